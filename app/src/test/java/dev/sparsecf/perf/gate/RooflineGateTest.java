package dev.sparsecf.perf.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsecf.perf.JmhJson;
import dev.sparsecf.perf.JmhResults;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.runner.options.Options;

/** The roofline floors of {@code bench gate --ratios}: probes, fractions and their failures, on fabricated JMH runs. */
class RooflineGateTest {

    private static final String TRIAD = "dev.sparsecf.bench.PeakProbeBenchmark.triad";
    private static final String FMA = "dev.sparsecf.bench.PeakProbeBenchmark.fma";
    private static final String SPMMT = "dev.sparsecf.bench.SpmmTransposeBenchmark.spmmTranspose";
    private static final String GEMM = "dev.sparsecf.bench.GemmBenchmark.gemm";

    @TempDir
    Path dir;

    private Path gates(String probes, String kernels) throws IOException {
        return Files.writeString(dir.resolve("gates.json"), """
                {
                  "run": {"threads": 2, "forks": 1, "warmupIterations": 2, "warmupSeconds": 1,
                          "measurementIterations": 3, "measurementSeconds": 1, "jvmArgsAppend": []},
                  %s
                  "kernels": {%s}
                }
                """.formatted(probes, kernels));
    }

    private static final String PROBES =
            "\"probes\": {\"memory\": \"PeakProbeBenchmark.triad\", \"fma\": \"PeakProbeBenchmark.fma\"},";

    private Path standardGates() throws IOException {
        return gates(PROBES, """
                "SpmmTransposeBenchmark.spmmTranspose": {"params": {"shape": "ml20m-vae"}, "minSpeedup": {"panama": 0.6},
                    "bound": "memory", "minRoofline": {"panama": 0.3}, "maxAllocBytesPerOp": 1048576},
                "GemmBenchmark.gemm": {"params": {"shape": "ml20m-vae-out"}, "bound": "fma",
                    "minRoofline": {"panama": 0.2}, "maxAllocBytesPerOp": 4096}
                """);
    }

    /** A thrpt result with per-iteration calls/s, one aux counter's per-iteration rates, and a small allocation. */
    private static String result(String benchmark, Map<String, String> params, double[] calls, String counter,
                                 double[] rates) {
        return JmhJson.result(benchmark, "thrpt", params, JmhJson.metric(calls[0], 1.0, "ops/s", calls),
                Map.of(counter, JmhJson.metric(rates[0], 1.0, "ops/s", rates),
                        RatioGate.ALLOC_METRIC, JmhJson.metric(300, 1.0, "B/op", 300, 310, 320)));
    }

    /** Probes at 60 GB/s (best of 50, 60, 55) and 400 GFLOP/s; SpMM^T's panama and GEMM's rates as given. */
    private List<JmhResults.Result> run(double[] spmmtBytes, double[] gemmFlops) throws IOException {
        return JmhResults.read(JmhJson.write(dir, "run.json",
                result(TRIAD, Map.of(), new double[] {2, 2, 2}, "bytes", new double[] {50e9, 60e9, 55e9}),
                result(FMA, Map.of(), new double[] {9, 9, 9}, "flops", new double[] {380e9, 400e9, 390e9}),
                result(SPMMT, Map.of("impl", "scalar", "shape", "ml20m-vae"), new double[] {5, 5, 5}, "bytes",
                        new double[] {5e9, 5e9, 5e9}),
                result(SPMMT, Map.of("impl", "panama", "shape", "ml20m-vae"), new double[] {40, 40, 40}, "bytes",
                        spmmtBytes),
                result(GEMM, Map.of("impl", "panama", "shape", "ml20m-vae-out"), new double[] {13, 13, 13}, "flops",
                        gemmFlops)));
    }

    @Test
    void passesAboveEveryFloorAndReportsTheFractions() throws IOException {
        RatioGate.Config config = RatioGate.read(standardGates(), 512);
        List<RatioGate.Check> checks = RatioGate.check(config, run(new double[] {30e9, 36e9, 33e9},
                new double[] {150e9, 160e9, 155e9}));
        assertTrue(RatioGate.passed(checks), RatioGate.table(checks));
        RatioGate.Check spmmt = checks.stream().filter(c -> c.impl().equals("panama")
                && c.gate().benchmark().startsWith("Spmm")).findFirst().orElseThrow();
        assertEquals(0.6, spmmt.roofline(), 1e-12); // best 36 of best 60 GB/s
        RatioGate.Check gemm = checks.stream().filter(c -> c.gate().benchmark().startsWith("Gemm")).findFirst()
                .orElseThrow();
        assertEquals(0.4, gemm.roofline(), 1e-12); // best 160 of best 400 GFLOP/s
        String table = RatioGate.table(checks);
        assertTrue(table.contains("60% memory") && table.contains("40% fma") && table.contains("30%"), table);
        assertEquals("roofline probes (best iteration): memory 60.0 GB/s, fma 400.0 GFLOP/s" + System.lineSeparator(),
                RatioGate.probeSummary(config, run(new double[] {1, 1, 1}, new double[] {1, 1, 1})));
    }

    @Test
    void failsAMemoryBoundKernelBelowItsFractionOfTheBandwidthProbe() throws IOException {
        RatioGate.Config config = RatioGate.read(standardGates(), 512);
        // half the passing rate: 18 of 60 GB/s = 30% would pass, 15 does not; still 8x over scalar
        List<RatioGate.Check> checks = RatioGate.check(config, run(new double[] {12e9, 15e9, 14e9},
                new double[] {150e9, 160e9, 155e9}));
        assertTrue(!RatioGate.passed(checks));
        List<String> problems = checks.stream().flatMap(c -> c.problems().stream()).toList();
        assertEquals(List.of("25% of 60.0 GB/s (memory), below the roofline floor 30%"), problems);
    }

    @Test
    void failsAComputeBoundKernelBelowItsFractionOfTheFmaProbe() throws IOException {
        RatioGate.Config config = RatioGate.read(standardGates(), 512);
        List<RatioGate.Check> checks = RatioGate.check(config, run(new double[] {30e9, 36e9, 33e9},
                new double[] {60e9, 70e9, 75e9}));
        List<String> problems = checks.stream().flatMap(c -> c.problems().stream()).toList();
        assertEquals(List.of("19% of 400.0 GFLOP/s (fma), below the roofline floor 20%"), problems);
    }

    @Test
    void aMissingProbeOrCounterFailsRatherThanPassing() throws IOException {
        RatioGate.Config config = RatioGate.read(standardGates(), 512);
        List<JmhResults.Result> all = run(new double[] {30e9, 36e9, 33e9}, new double[] {150e9, 160e9, 155e9});
        List<JmhResults.Result> noTriad = all.stream().filter(r -> !r.benchmark().equals(TRIAD)).toList();
        List<String> problems = RatioGate.check(config, noTriad).stream().flatMap(c -> c.problems().stream()).toList();
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.getFirst().startsWith("no memory probe result"), problems.toString());
    }

    @Test
    void aKernelWithOnlyARooflineFloorRunsOnlyThatImplAndTheProbesRunFirst() throws IOException {
        RatioGate.Config config = RatioGate.read(standardGates(), 512);
        RatioGate.KernelGate gemm = config.kernels().get(1);
        assertEquals(List.of("panama"), gemm.impls());
        assertEquals(List.of("scalar", "panama"), config.kernels().getFirst().impls());
        Options o = Roofline.options(config.probes(), config.run(), 2, dir.resolve("p.json"));
        List<String> includes = o.getIncludes();
        assertTrue(includes.stream().anyMatch(i -> Pattern.compile(i).matcher(TRIAD).find()));
        assertTrue(includes.stream().anyMatch(i -> Pattern.compile(i).matcher(FMA).find()));
        assertEquals(List.of("-Dsparsecf.threads=2"), List.copyOf(o.getJvmArgs().get()));
    }

    @Test
    void gatesFileMistakesNameTheField() throws IOException {
        String kernel = "\"SpmmBenchmark.spmm\": {\"minSpeedup\": {\"panama\": 1}, %s \"maxAllocBytesPerOp\": 10}";
        assertBad("kernels.SpmmBenchmark.spmm.bound must say what minRoofline is a fraction of",
                PROBES, kernel.formatted("\"minRoofline\": {\"panama\": 0.3},"));
        assertBad("kernels.SpmmBenchmark.spmm.bound must be \"memory\" or \"fma\", got dram",
                PROBES, kernel.formatted("\"bound\": \"dram\", \"minRoofline\": {\"panama\": 0.3},"));
        assertBad("kernels.SpmmBenchmark.spmm.minRoofline.panama is a fraction of the probe, at most 1, got 30",
                PROBES, kernel.formatted("\"bound\": \"memory\", \"minRoofline\": {\"panama\": 30},"));
        assertBad("kernels.SpmmBenchmark.spmm.bound without minRoofline",
                PROBES, kernel.formatted("\"bound\": \"memory\","));
        assertBad("probes must be a JSON object naming the memory and fma probe benchmarks",
                "", kernel.formatted("\"bound\": \"memory\", \"minRoofline\": {\"panama\": 0.3},"));
        assertBad("probes.fma is missing", "\"probes\": {\"memory\": \"PeakProbeBenchmark.triad\"},",
                kernel.formatted(""));
    }

    private void assertBad(String expected, String probes, String kernels) throws IOException {
        Path file = gates(probes, kernels);
        IOException e = assertThrows(IOException.class, () -> RatioGate.read(file, 512));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    }
}
