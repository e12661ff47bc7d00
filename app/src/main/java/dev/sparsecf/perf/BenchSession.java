package dev.sparsecf.perf;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.sparsecf.bench.TrialBenchmark;
import dev.sparsecf.kernels.KernelThreads;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.NoBenchmarksException;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormat;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.VerboseMode;

/** Runs a profile's JMH runs in forked JVMs and merges their JSON results into one array. */
public final class BenchSession {

    private BenchSession() {
    }

    /** The benchmarks in this jar (JMH's generated list), by full name: {@code dev.sparsecf.bench.SpmmBenchmark.spmm}. */
    public static List<String> benchmarkNames() {
        OutputFormat silent = OutputFormatFactory.createFormatInstance(new PrintStream(OutputStream.nullOutputStream()),
                VerboseMode.SILENT);
        return BenchmarkList.defaultList().getAll(silent, List.of()).stream()
                .map(BenchmarkListEntry::getUsername).distinct().sorted().toList();
    }

    /**
     * Runs {@code runs} one after another with the user's JMH options and returns the merged JSON result array
     * (pretty-printed, as saved); runs whose benchmarks the user's {@code -e} excluded add nothing.
     */
    public static byte[] run(BenchProfile profile, Options user, List<BenchProfile.Run> runs, int kernelThreads)
            throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        ArrayNode merged = mapper.createArrayNode();
        Path json = Files.createTempFile("sparsecf-bench-", ".json");
        try {
            for (BenchProfile.Run run : runs) {
                try {
                    new Runner(options(profile, user, run, kernelThreads, json)).run();
                } catch (NoBenchmarksException e) {
                    continue; // the user's -e excluded this run's benchmarks
                } catch (RunnerException e) {
                    throw new IllegalStateException("the benchmark run failed", e);
                }
                merged.addAll((ArrayNode) mapper.readTree(json.toFile()));
            }
        } finally {
            Files.deleteIfExists(json);
        }
        return mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(merged);
    }

    /**
     * One run's options: its benchmarks and params (the user's own -p wins), the user's JMH options, then the
     * profile's run lengths; forks get exactly {@code -Dsparsecf.threads=N} plus the benchmarks' own flags instead
     * of inheriting this JVM's arguments.
     */
    public static Options options(BenchProfile profile, Options user, BenchProfile.Run run, int kernelThreads,
            Path resultFile) {
        ChainedOptionsBuilder b = new OptionsBuilder().parent(user);
        run.benchmarks().forEach(name -> b.include("^" + Pattern.quote(name) + "$"));
        run.params().forEach((param, values) -> {
            if (!user.getParameter(param).hasValue()) {
                b.param(param, values.toArray(String[]::new));
            }
        });
        profile.apply(b, user, run.longCalls());
        List<String> forkArgs = new ArrayList<>(user.getJvmArgs().orElse(List.of()));
        forkArgs.add("-D" + KernelThreads.THREADS_PROPERTY + "=" + kernelThreads);
        b.jvmArgs(forkArgs.toArray(String[]::new));
        if (user.getJvmArgsAppend().hasValue()) {
            // JMH replaces the @Fork list with the user's: keep the flags the kernels cannot run without
            List<String> append = new ArrayList<>(TrialBenchmark.FORK_JVM_ARGS);
            append.addAll(user.getJvmArgsAppend().get());
            b.jvmArgsAppend(append.toArray(String[]::new));
        }
        if (!user.shouldFailOnError().hasValue()) {
            b.shouldFailOnError(true); // a failed correctness check must fail the run, not drop a row
        }
        return b.resultFormat(ResultFormatType.JSON).result(resultFile.toString()).build();
    }
}
