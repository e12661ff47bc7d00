package dev.sparsecf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsecf.bench.KernelBenchmark;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.TimeValue;
import picocli.CommandLine;

/** Command-line errors (no benchmark runs here: every case fails or stops before JMH starts). */
class MainTest {

    record Outcome(int code, String out, String err) {
    }

    static Outcome run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Outcome(code, out.toString(), err.toString());
    }

    /** A user mistake: exit 2 and exactly one line on stderr, which contains {@code expected}. */
    static void assertOneLineError(String expected, String... args) {
        Outcome o = run(args);
        assertEquals(Main.USAGE_ERROR, o.code(), o.err());
        assertEquals(1, o.err().lines().count(), "one line: " + o.err());
        assertTrue(o.err().contains(expected), "'" + expected + "' in: " + o.err());
    }

    @Test
    void missingCommand() {
        assertOneLineError("sparsecf: missing command (one of bench, data");
    }

    @Test
    void unknownCommand() {
        assertOneLineError("Unmatched argument at index 0: 'fly'", "fly");
    }

    @Test
    void unknownProfile() {
        assertOneLineError("--profile", "bench", "--profile", "fast");
    }

    @Test
    void threadsMustBePositive() {
        assertOneLineError("--threads must be >= 1, got 0", "bench", "--threads", "0");
        assertOneLineError("'abc'", "bench", "--threads", "abc");
    }

    @Test
    void includeMustBeARegex() {
        assertOneLineError("--include is not a valid regex", "bench", "--include", "Spmm(");
    }

    @Test
    void badJmhOptionIsReportedAsSuch() {
        assertOneLineError("JMH option", "bench", "-wi", "many");
    }

    @Test
    void resultFileOptionsBelongToSparsecf() {
        assertOneLineError("-rf/-rff", "bench", "-rf", "csv");
    }

    @Test
    void benchmarksAlwaysFork() {
        assertOneLineError("-f must be >= 1", "bench", "-f", "0");
    }

    @Test
    void debugAddsTheStackTrace() {
        Outcome o = run("bench", "--debug", "--threads", "0");
        assertEquals(Main.USAGE_ERROR, o.code());
        assertTrue(o.err().contains("\tat "), o.err());
    }

    @Test
    void helpListsTheBenchOptions() {
        Outcome o = run("bench", "--help");
        assertEquals(0, o.code(), o.err());
        for (String option : new String[] {"--profile", "--include", "--threads", "--out", "JMH_ARGS"}) {
            assertTrue(o.out().contains(option), option + " in: " + o.out());
        }
    }

    private static BenchCommand parse(String... args) {
        BenchCommand cmd = new BenchCommand();
        CommandLine cl = new CommandLine(cmd);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setUnmatchedOptionsArePositionalParams(true);
        cl.parseArgs(args);
        return cmd;
    }

    @Test
    void userJmhOptionsWinOverTheQuickProfile() {
        BenchCommand cmd = parse("--include", "Spmm", "-f", "2", "-jvmArgsAppend", "-Dx=1");
        Options o = cmd.jmhOptions(cmd.parseJmhArgs(), 3, Path.of("run.json"));
        assertEquals(2, o.getForkCount().get(), "user's -f");
        assertEquals(5, o.getWarmupIterations().get(), "quick profile");
        assertEquals(TimeValue.seconds(2), o.getWarmupTime().get(), "quick profile");
        assertEquals(List.of("Spmm"), o.getIncludes());
        assertEquals(List.of("-Dsparsecf.threads=3"), List.copyOf(o.getJvmArgs().get()),
                "forks get the thread count instead of this JVM's arguments");
        List<String> append = new ArrayList<>(KernelBenchmark.FORK_JVM_ARGS);
        append.add("-Dx=1");
        assertEquals(append, List.copyOf(o.getJvmArgsAppend().get()), "the kernels' flags survive -jvmArgsAppend");
        assertEquals(ResultFormatType.JSON, o.getResultFormat().get());
        assertEquals("run.json", o.getResult().get());
        assertTrue(o.shouldFailOnError().get(), "a failed correctness check fails the run");
    }

    @Test
    void fullProfileKeepsTheBenchmarksOwnSettings() {
        BenchCommand cmd = parse("--profile", "FULL");
        Options o = cmd.jmhOptions(cmd.parseJmhArgs(), 2, Path.of("run.json"));
        assertFalse(o.getForkCount().hasValue());
        assertFalse(o.getWarmupIterations().hasValue());
        assertFalse(o.getJvmArgsAppend().hasValue(), "the @Fork list applies");
    }
}
