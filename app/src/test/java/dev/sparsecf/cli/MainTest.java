package dev.sparsecf.cli;

import dev.sparsecf.perf.BenchProfile;
import dev.sparsecf.perf.BenchSession;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsecf.bench.TrialBenchmark;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.TimeValue;
import picocli.CommandLine;

/** Command-line errors (no benchmark runs here: every case fails or stops before JMH starts). */
public class MainTest {

    public record Outcome(int code, String out, String err) {
    }

    public static Outcome run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Outcome(code, out.toString(), err.toString());
    }

    /** A user mistake: exit 2 and exactly one line on stderr, which contains {@code expected}. */
    public static void assertOneLineError(String expected, String... args) {
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

    private static final String SPMM = "dev.sparsecf.bench.SpmmBenchmark.spmm";
    private static final String GEMM = "dev.sparsecf.bench.GemmBenchmark.gemm";
    private static final String GRAM = "dev.sparsecf.bench.GramBenchmark.gram";
    private static final String INVERT = "dev.sparsecf.bench.CholeskyInverseBenchmark.invert";
    private static final List<String> ALL = List.of(INVERT, GEMM, GRAM, SPMM, "dev.sparsecf.bench.TopKBenchmark.topK");

    @Test
    void userJmhOptionsWinOverTheQuickProfile() {
        BenchCommand cmd = parse("--include", "Spmm", "-f", "2", "-jvmArgsAppend", "-Dx=1");
        BenchProfile.Run run = new BenchProfile.Run(List.of(SPMM), Map.of(), false);
        Options o = BenchSession.options(cmd.profile, cmd.parseJmhArgs(), run, 3, Path.of("run.json"));
        assertEquals(2, o.getForkCount().get(), "user's -f");
        assertEquals(5, o.getWarmupIterations().get(), "quick profile");
        assertEquals(TimeValue.seconds(2), o.getWarmupTime().get(), "quick profile");
        assertEquals(List.of("^\\Q" + SPMM + "\\E$"), o.getIncludes(), "exactly the run's benchmarks");
        assertEquals(List.of("-Dsparsecf.threads=3"), List.copyOf(o.getJvmArgs().get()),
                "forks get the thread count instead of this JVM's arguments");
        List<String> append = new ArrayList<>(TrialBenchmark.FORK_JVM_ARGS);
        append.add("-Dx=1");
        assertEquals(append, List.copyOf(o.getJvmArgsAppend().get()), "the kernels' flags survive -jvmArgsAppend");
        assertEquals(ResultFormatType.JSON, o.getResultFormat().get());
        assertEquals("run.json", o.getResult().get());
        assertTrue(o.shouldFailOnError().get(), "a failed correctness check fails the run");
    }

    @Test
    void fullProfileKeepsTheBenchmarksOwnSettings() {
        BenchCommand cmd = parse("--profile", "FULL");
        BenchProfile.Run run = new BenchProfile.Run(List.of(SPMM), Map.of(), false);
        Options o = BenchSession.options(cmd.profile, cmd.parseJmhArgs(), run, 2, Path.of("run.json"));
        assertFalse(o.getForkCount().hasValue());
        assertFalse(o.getWarmupIterations().hasValue());
        assertFalse(o.getJvmArgsAppend().hasValue(), "the @Fork list applies");
    }

    @Test
    void quickProfileNarrowsGemmAndTheInverseAndSkipsGram() {
        List<BenchProfile.Run> runs = BenchProfile.QUICK.plan(ALL, null);
        assertEquals(3, runs.size(), runs.toString());
        assertEquals(List.of(SPMM, "dev.sparsecf.bench.TopKBenchmark.topK"), runs.get(0).benchmarks());
        assertEquals(Map.of(), runs.get(0).params(), "the sparse kernels keep their own grids");
        assertEquals(List.of(GEMM), runs.get(1).benchmarks());
        assertEquals(Map.of("impl", List.of("panama", "openblas", "dnnl"), "shape", List.of("ml20m-vae-out")), runs.get(1).params());
        assertEquals(List.of(INVERT), runs.get(2).benchmarks());
        assertEquals(Map.of("n", List.of("2000")), runs.get(2).params());
        assertTrue(runs.stream().noneMatch(r -> r.benchmarks().contains(GRAM)), "Gram is not in the quick profile");
    }

    @Test
    void fullProfileRunsTheNaiveGemmSmallAndTheBigInverseShort() {
        List<BenchProfile.Run> runs = BenchProfile.FULL.plan(ALL, null);
        assertEquals(List.of(GRAM, SPMM, "dev.sparsecf.bench.TopKBenchmark.topK"), runs.get(0).benchmarks());
        List<BenchProfile.Run> gemm = runs.stream().filter(r -> r.benchmarks().equals(List.of(GEMM))).toList();
        assertEquals(2, gemm.size());
        assertFalse(gemm.get(0).params().get("impl").contains("scalar"), "no naive GEMM at the big shapes");
        assertEquals(List.of("square-512"), gemm.get(1).params().get("shape"));
        BenchProfile.Run big = runs.get(runs.size() - 1);
        assertEquals(Map.of("n", List.of("8000")), big.params());
        assertTrue(big.longCalls());

        BenchCommand cmd = parse("--profile", "full");
        Options o = BenchSession.options(cmd.profile, cmd.parseJmhArgs(), big, 2, Path.of("run.json"));
        assertEquals(1, o.getForkCount().get(), "one fork when a call takes seconds");
        assertEquals(2, o.getWarmupIterations().get());
        assertEquals(3, o.getMeasurementIterations().get());
    }

    @Test
    void includeSelectsWithinTheProfile() {
        List<BenchProfile.Run> runs = BenchProfile.QUICK.plan(ALL, Pattern.compile("Gemm"));
        assertEquals(1, runs.size(), runs.toString());
        assertEquals(List.of(GEMM), runs.get(0).benchmarks());
        assertTrue(BenchProfile.QUICK.plan(ALL, Pattern.compile("Gram")).isEmpty(), "skipped even when asked");
        assertEquals(1, BenchProfile.FULL.plan(ALL, Pattern.compile("Gram")).size());
    }

    @Test
    void userParamWinsOverTheNarrowing() {
        BenchCommand cmd = parse("-p", "shape=square-2048");
        BenchProfile.Run gemm = BenchProfile.QUICK.plan(ALL, Pattern.compile("Gemm")).get(0);
        Options o = BenchSession.options(cmd.profile, cmd.parseJmhArgs(), gemm, 2, Path.of("run.json"));
        assertEquals(List.of("square-2048"), List.copyOf(o.getParameter("shape").get()));
        assertEquals(List.of("panama", "openblas", "dnnl"), List.copyOf(o.getParameter("impl").get()));
    }

    @Test
    void jmhRegexesAreRefusedInFavourOfInclude() {
        assertOneLineError("select benchmarks with --include", "bench", "Spmm");
    }

    @Test
    void includeMatchingNothingIsAUsageError() {
        assertOneLineError("--include 'NoSuchBenchmark' matches no benchmark", "bench", "--include", "NoSuchBenchmark");
    }

    @Test
    void theJarListsTheDenseBenchmarks() {
        List<String> names = BenchSession.benchmarkNames();
        assertTrue(names.containsAll(List.of(GEMM, GRAM, INVERT, SPMM)), names.toString());
    }

    @Test
    void versionNamesTheBuildAndTheJavaRuntime() {
        Outcome o = run("--version");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().startsWith("sparsecf "), o.out());
        assertTrue(o.out().contains("Java " + Runtime.version()), o.out());
    }

    @Test
    void aMistypedCommandOrOptionGetsASuggestion() {
        assertOneLineError("'trian'; did you mean train?", "trian");
        assertOneLineError("'--epoch', '3'; did you mean --epochs?", "train", "--model", "multvae", "--data",
                "ml-100k", "--epoch", "3", "--out", "x");
    }

    @Test
    void moreThreadsThanCoresWarnInOneLine() {
        int cores = Runtime.getRuntime().availableProcessors();
        Outcome o = run("data", "stats", "--threads", Integer.toString(cores + 1), "--data", "no-such-dataset");
        assertEquals(Main.USAGE_ERROR, o.code(), o.err());
        List<String> lines = o.err().lines().toList();
        assertEquals(2, lines.size(), o.err());
        assertEquals("sparsecf data stats: warning: --threads " + (cores + 1) + " is more than the " + cores
                + " cores here; the kernels will share them (OpenBLAS uses at most " + cores + ")", lines.get(0));
        assertTrue(run("data", "stats", "--threads", Integer.toString(cores), "--data", "no-such-dataset").err()
                .lines().count() == 1, "no warning at the core count");
    }
}
