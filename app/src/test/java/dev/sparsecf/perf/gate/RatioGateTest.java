package dev.sparsecf.perf.gate;

import dev.sparsecf.cli.Main;
import dev.sparsecf.perf.JmhJson;
import dev.sparsecf.perf.JmhResults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsecf.bench.BenchShape;
import dev.sparsecf.bench.BytesCounter;
import dev.sparsecf.bench.FlopsCounter;
import dev.sparsecf.bench.KernelBenchmark;
import dev.sparsecf.bench.TrialBenchmark;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.runner.options.Options;

/** {@code sparsecf bench gate --ratios}: the gates file, the checks on synthetic runs, the JMH options. */
class RatioGateTest {

    private static final String SPMM = "dev.sparsecf.bench.SpmmBenchmark.spmm";
    private static final String TOPK = "dev.sparsecf.bench.TopKBenchmark.topK";

    /** The checked-in gates file; surefire runs in the module directory. */
    private static final Path CHECKED_IN = Path.of("..", "bench", "gates.json");

    @TempDir
    Path dir;

    private Path gates(String kernels) throws IOException {
        return Files.writeString(dir.resolve("gates.json"), """
                {
                  "about": ["test gates"],
                  "run": {"threads": 2, "forks": 1, "warmupIterations": 2, "warmupSeconds": 1,
                          "measurementIterations": 3, "measurementSeconds": 1, "jvmArgsAppend": ["-XX:+UseSerialGC"]},
                  "kernels": {%s}
                }
                """.formatted(kernels));
    }

    private Path twoKernelGates() throws IOException {
        return gates("""
                "SpmmBenchmark.spmm": {"params": {"shape": "ml20m-vae"}, "minSpeedup": {"panama": 2.5},
                                       "maxAllocBytesPerOp": 2048, "why": "test"},
                "TopKBenchmark.topK": {"params": {"shape": "ml20m-vae"}, "minSpeedup": {"panama": 1.5},
                                       "maxAllocBytesPerOp": 16384}
                """);
    }

    /** A thrpt result with per-iteration calls/s and bytes/op (the last iteration's bytes include the teardown). */
    private static String result(String benchmark, String impl, String shape, double[] calls, double[] bytes) {
        double mean = java.util.Arrays.stream(calls).average().orElseThrow();
        double meanBytes = java.util.Arrays.stream(bytes).average().orElseThrow();
        return JmhJson.result(benchmark, "thrpt", Map.of("impl", impl, "shape", shape),
                JmhJson.metric(mean, 1.0, "ops/s", calls),
                Map.of(RatioGate.ALLOC_METRIC, JmhJson.metric(meanBytes, 1.0, "B/op", bytes)));
    }

    /** Scalar and panama results of both kernels; {@code spmmPanama} and {@code topKBytes} vary per test. */
    private Path run(double[] spmmPanama, double[] topKBytes) throws IOException {
        double[] clean = {300, 310, 2_000_000}; // the last iteration counts the correctness check's arrays
        return JmhJson.write(dir, "run.json",
                result(SPMM, "scalar", "ml20m-vae", new double[] {50, 60, 55}, clean),
                result(SPMM, "panama", "ml20m-vae", spmmPanama, clean),
                result(SPMM, "panama", "awkward-37x1021x103", new double[] {1, 1, 1}, clean),
                result(TOPK, "scalar", "ml20m-vae", new double[] {8, 9, 10}, new double[] {14_000, 14_100, 900_000}),
                result(TOPK, "panama", "ml20m-vae", new double[] {25, 27, 26}, topKBytes));
    }

    private static List<RatioGate.Check> check(Path gates, Path run) throws IOException {
        return RatioGate.check(RatioGate.read(gates, 512), JmhResults.read(run));
    }

    private static RatioGate.Check find(List<RatioGate.Check> checks, String kernel, String impl) {
        return checks.stream().filter(c -> c.gate().benchmark().equals(kernel) && c.impl().equals(impl))
                .findFirst().orElseThrow();
    }

    @Test
    void passesWhenEveryKernelIsFastEnoughAndAllocatesLittle() throws IOException {
        List<RatioGate.Check> checks = check(twoKernelGates(),
                run(new double[] {250, 330, 320}, new double[] {14_000, 14_200, 900_000}));
        assertTrue(RatioGate.passed(checks), RatioGate.table(checks));
        assertEquals(4, checks.size(), "scalar and panama of both kernels");
        // best iterations: 330 / 60
        assertEquals(330.0 / 60, find(checks, "SpmmBenchmark.spmm", "panama").speedup(), 1e-12);
        assertEquals(310, find(checks, "SpmmBenchmark.spmm", "panama").allocBytesPerOp(), "median, not the mean");
    }

    @Test
    void failsOnARatioBelowTheFloor() throws IOException {
        // 120 / 60 = 2.0x < 2.5x, as when the Panama kernel runs its slow path
        List<RatioGate.Check> checks = check(twoKernelGates(),
                run(new double[] {100, 120, 110}, new double[] {14_000, 14_200, 900_000}));
        assertTrue(!RatioGate.passed(checks));
        RatioGate.Check spmm = find(checks, "SpmmBenchmark.spmm", "panama");
        assertEquals(List.of("speed-up 2.00x is below the floor 2.50x"), spmm.problems());
        assertTrue(find(checks, "TopKBenchmark.topK", "panama").problems().isEmpty());
    }

    @Test
    void failsOnAKernelThatAllocates() throws IOException {
        // 40 KB per call in every iteration: per-row scratch, say
        List<RatioGate.Check> checks = check(twoKernelGates(),
                run(new double[] {250, 330, 320}, new double[] {40_000, 41_000, 940_000}));
        RatioGate.Check topK = find(checks, "TopKBenchmark.topK", "panama");
        assertEquals(List.of("allocates 41,000 B/op, more than the ceiling 16,384"), topK.problems());
        assertTrue(RatioGate.table(checks).contains("FAIL: allocates 41,000 B/op"), RatioGate.table(checks));
    }

    @Test
    void aRunWithoutTheGcProfilerOrAKernelFails() throws IOException {
        Path run = JmhJson.write(dir, "run.json",
                JmhJson.result(SPMM, "thrpt", Map.of("impl", "scalar", "shape", "ml20m-vae"),
                        JmhJson.metric(55.0, 1.0, "ops/s", 55), Map.of()),
                JmhJson.result(SPMM, "thrpt", Map.of("impl", "panama", "shape", "ml20m-vae"),
                        JmhJson.metric(300.0, 1.0, "ops/s", 300), Map.of()));
        List<RatioGate.Check> checks = check(twoKernelGates(), run);
        assertEquals(List.of("no gc.alloc.rate.norm: the run needs JMH's -prof gc"),
                find(checks, "SpmmBenchmark.spmm", "panama").problems());
        assertEquals(List.of("no result with impl=scalar and params {shape=ml20m-vae}"),
                find(checks, "TopKBenchmark.topK", "scalar").problems());
    }

    @Test
    void commandLineFromAFinishedRun() throws IOException {
        Path gates = twoKernelGates();
        Path good = run(new double[] {250, 330, 320}, new double[] {14_000, 14_200, 900_000});
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true),
                "bench", "gate", "--ratios", gates.toString(), "--from", good.toString());
        assertEquals(0, code, out + "" + err);
        assertTrue(out.toString().contains("gate passed: 2 kernels"), out.toString());

        Path slow = run(new double[] {100, 120, 110}, new double[] {14_000, 14_200, 900_000});
        err = new StringWriter();
        code = Main.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true),
                "bench", "gate", "--ratios", gates.toString(), "--from", slow.toString());
        assertEquals(Main.FAILURE, code);
        assertTrue(err.toString().startsWith("gate FAILED: 1 of 4 kernel/impl checks"), err.toString());
    }

    @Test
    void gatesFileMistakesNameTheField() throws IOException {
        assertBadGates("unknown field kernels.SpmmBenchmark.spmm.minSpeedUp",
                "\"SpmmBenchmark.spmm\": {\"minSpeedUp\": {\"panama\": 2}, \"maxAllocBytesPerOp\": 1}");
        assertBadGates("kernels.SpmmBenchmark.spmm.minSpeedup.panama must be a positive number, got 0",
                "\"SpmmBenchmark.spmm\": {\"minSpeedup\": {\"panama\": 0}, \"maxAllocBytesPerOp\": 1}");
        assertBadGates("minSpeedup names scalar",
                "\"SpmmBenchmark.spmm\": {\"minSpeedup\": {\"scalar\": 1}, \"maxAllocBytesPerOp\": 1}");
        assertBadGates("kernels.SpmmBenchmark.spmm.maxAllocBytesPerOp must be a number >= 0, got null",
                "\"SpmmBenchmark.spmm\": {\"minSpeedup\": {\"panama\": 2}}");
        assertBadGates("kernels is empty", "");
        Path few = Files.writeString(dir.resolve("few.json"), """
                {"run": {"threads": 1, "forks": 1, "warmupIterations": 1, "warmupSeconds": 1,
                         "measurementIterations": 2, "measurementSeconds": 1}, "kernels": {}}
                """);
        IOException e = assertThrows(IOException.class, () -> RatioGate.read(few, 512));
        assertTrue(e.getMessage().contains("run.measurementIterations must be >= 3"), e.getMessage());
    }

    @Test
    void aFloorPerVectorWidthResolvesToThisMachinesWidth() throws IOException {
        Path gates = gates("""
                "TanhBenchmark.tanh": {"minSpeedup": {"panama": {"512": 7.5, "256": 3}}, "maxAllocBytesPerOp": 1}
                """);
        assertEquals(7.5, RatioGate.read(gates, 512).kernels().getFirst().minSpeedup().get("panama"));
        assertEquals(3.0, RatioGate.read(gates, 256).kernels().getFirst().minSpeedup().get("panama"));
        IOException e = assertThrows(IOException.class, () -> RatioGate.read(gates, 128));
        assertTrue(e.getMessage().contains("kernels.TanhBenchmark.tanh.minSpeedup.panama has no floor for this "
                + "machine's 128-bit vectors (it has [512-bit, 256-bit]); measure the kernel here and add one"),
                e.getMessage());
        e = assertThrows(IOException.class, () -> RatioGate.read(gates, null));
        assertTrue(e.getMessage().contains("but the Vector API is not available"), e.getMessage());
        assertBadGates("kernels.TanhBenchmark.tanh.minSpeedup.panama.512 must be a positive number, got \"fast\"",
                "\"TanhBenchmark.tanh\": {\"minSpeedup\": {\"panama\": {\"512\": \"fast\"}}, \"maxAllocBytesPerOp\": 1}");
    }

    private void assertBadGates(String expected, String kernels) throws IOException {
        Path gates = gates(kernels);
        IOException e = assertThrows(IOException.class, () -> RatioGate.read(gates, 512));
        assertTrue(e.getMessage().startsWith(gates.toString()) && e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void optionsRunTheKernelAtItsShapeWithTheGcProfiler() throws IOException {
        RatioGate.Config config = RatioGate.read(twoKernelGates(), 512);
        Options o = RatioGate.options(config.kernels().getFirst(), config.run(), 2, dir.resolve("r.json"));
        Pattern include = Pattern.compile(o.getIncludes().getFirst());
        assertTrue(include.matcher(SPMM).find());
        assertTrue(!include.matcher("dev.sparsecf.bench.SpmmTransposeBenchmark.spmmTranspose").find());
        assertTrue(!include.matcher("dev.sparsecf.bench.XSpmmBenchmark.spmm").find());
        assertEquals(List.of("scalar", "panama"), List.copyOf(o.getParameter("impl").get()));
        assertEquals(List.of("ml20m-vae"), List.copyOf(o.getParameter("shape").get()));
        assertEquals(List.of("-Dsparsecf.threads=2"), List.copyOf(o.getJvmArgs().get()));
        List<String> append = new ArrayList<>(KernelBenchmark.FORK_JVM_ARGS);
        append.add("-XX:+UseSerialGC");
        assertEquals(append, List.copyOf(o.getJvmArgsAppend().get()));
        assertEquals(GCProfiler.class.getName(), o.getProfilers().getFirst().getKlass());
        assertEquals(3, o.getMeasurementIterations().get());
        assertTrue(o.shouldFailOnError().get());
    }

    @Test
    void theCheckedInGatesNameRealBenchmarksAndShapes() throws Exception {
        // every floor resolves on both CPUs the floors were measured on: AVX-512 and AVX2
        assertEquals(RatioGate.read(CHECKED_IN, 256).kernels().size(),
                RatioGate.read(CHECKED_IN, 512).kernels().size());
        RatioGate.Config config = RatioGate.read(CHECKED_IN, 512);
        assertTrue(config.run().jvmArgsAppend().stream().noneMatch(a -> a.contains("TieredCompilation")),
                "the gate measures the tiered JIT the kernels run under");
        for (RatioGate.KernelGate g : config.kernels()) {
            String[] parts = g.benchmark().split("\\.");
            assertEquals(2, parts.length, g.benchmark());
            Class<?> c = Class.forName("dev.sparsecf.bench." + parts[0]);
            assertTrue(TrialBenchmark.class.isAssignableFrom(c), g.benchmark());
            Method m = java.util.Arrays.stream(c.getMethods()).filter(x -> x.getName().equals(parts[1]))
                    .findFirst().orElseThrow(() -> new AssertionError("no method " + g.benchmark()));
            assertTrue(m.isAnnotationPresent(Benchmark.class), g.benchmark());
            if (KernelBenchmark.class.isAssignableFrom(c)) {
                BenchShape.named(g.params().get("shape"));
            }
            // a few KB, or an index of a few hundred KB built per call (SpMM^T); the boxing it caught was 26.7 MB
            assertTrue(g.maxAllocBytesPerOp() <= 1024 * 1024, "a ceiling well under a boxed mask per entry: " + g);
        }
        for (String probe : config.probes().benchmarks().values()) {
            String[] parts = probe.split("\\.");
            Method m = Class.forName("dev.sparsecf.bench." + parts[0]).getMethod(parts[1],
                    parts[1].equals("triad") ? BytesCounter.class : FlopsCounter.class);
            assertTrue(m.isAnnotationPresent(Benchmark.class), probe);
        }
    }
}
