package dev.sparsecf.perf.gate;

import dev.sparsecf.cli.Main;
import dev.sparsecf.perf.JmhJson;
import dev.sparsecf.perf.JmhResults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sparsecf bench gate --baseline A --candidate B}: synthetic JMH runs with known scores and intervals. */
class RegressionGateTest {

    private static final String SPMM = "dev.sparsecf.bench.SpmmBenchmark.spmm";
    private static final String TOPK = "dev.sparsecf.bench.TopKBenchmark.topK";

    @TempDir
    Path dir;

    private record Outcome(int code, String out, String err) {
    }

    private static Outcome gate(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = new String[args.length + 2];
        all[0] = "bench";
        all[1] = "gate";
        System.arraycopy(args, 0, all, 2, args.length);
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), all);
        return new Outcome(code, out.toString(), err.toString());
    }

    private static String thrpt(String benchmark, String impl, String metric) {
        return JmhJson.result(benchmark, "thrpt", Map.of("impl", impl, "shape", "ml20m-vae"), metric, Map.of());
    }

    /** A throughput run of two results: spmm/panama with the given metric and a steady topK/panama. */
    private Path run(String name, String spmmMetric) throws IOException {
        return JmhJson.write(dir, name, thrpt(SPMM, "panama", spmmMetric),
                thrpt(TOPK, "panama", JmhJson.metric(25.0, 0.5, "ops/s", 24.8, 25.2)));
    }

    @Test
    void failsOnAThirtyPercentSlowdownWhoseIntervalsAreApart() throws IOException {
        Path a = run("a.json", JmhJson.metric(300.0, 6.0, "ops/s", 297, 303));
        Path b = run("b.json", JmhJson.metric(210.0, 6.0, "ops/s", 207, 213)); // 30% slower: [204, 216] vs [294, 306]
        Outcome o = gate("--baseline", a.toString(), "--candidate", b.toString());
        assertEquals(Main.FAILURE, o.code(), o.out() + o.err());
        String spmmLine = o.out().lines().filter(l -> l.startsWith("SpmmBenchmark.spmm")).findFirst().orElseThrow();
        assertTrue(spmmLine.contains("+30.0%") && spmmLine.contains("apart") && spmmLine.endsWith("REGRESSION"),
                spmmLine);
        String topKLine = o.out().lines().filter(l -> l.startsWith("TopKBenchmark.topK")).findFirst().orElseThrow();
        assertTrue(topKLine.endsWith("ok"), topKLine);
        assertTrue(o.err().startsWith("gate FAILED: 1 of 2 results regressed"), o.err());
        assertTrue(o.err().contains(SPMM + "{impl=panama, shape=ml20m-vae}"), "names the key: " + o.err());
    }

    @Test
    void passesOnIdenticalRuns() throws IOException {
        Path a = run("a.json", JmhJson.metric(300.0, 6.0, "ops/s", 297, 303));
        Outcome o = gate("--baseline", a.toString(), "--candidate", a.toString());
        assertEquals(0, o.code(), o.out() + o.err());
        assertTrue(o.out().contains("gate passed: 2 results compared, none worse by more than 10%"), o.out());
        assertEquals("", o.err());
    }

    @Test
    void aSlowdownInsideOverlappingIntervalsIsNoise() throws IOException {
        Path a = run("a.json", JmhJson.metric(300.0, 80.0, "ops/s", 230, 370)); // [220, 380]
        Path b = run("b.json", JmhJson.metric(210.0, 80.0, "ops/s", 150, 270)); // [130, 290]
        Outcome o = gate("--baseline", a.toString(), "--candidate", b.toString());
        assertEquals(0, o.code(), o.out() + o.err());
        assertTrue(o.out().contains("overlap  within noise"), o.out());
    }

    @Test
    void aSmallSlowdownOutsideTheIntervalsFailsOnlyBelowItsSize() throws IOException {
        Path a = run("a.json", JmhJson.metric(300.0, 1.0, "ops/s", 300, 300));
        Path b = run("b.json", JmhJson.metric(276.0, 1.0, "ops/s", 276, 276)); // 8% slower
        assertEquals(0, gate("--baseline", a.toString(), "--candidate", b.toString()).code(), "default 10%");
        assertEquals(Main.FAILURE, gate("--baseline", a.toString(), "--candidate", b.toString(),
                "--threshold", "5%").code());
        assertEquals(Main.FAILURE, gate("--baseline", a.toString(), "--candidate", b.toString(),
                "--threshold", "7.5").code(), "a bare number is a percentage too");
    }

    @Test
    void timePerCallIsBetterLower() throws IOException {
        Map<String, String> params = Map.of("impl", "panama", "shape", "ml20m-vae");
        Path a = JmhJson.write(dir, "a.json", JmhJson.result(SPMM, "avgt", params,
                JmhJson.metric(10.0, 0.2, "ms/op", 10.0), Map.of()));
        Path slower = JmhJson.write(dir, "slower.json", JmhJson.result(SPMM, "avgt", params,
                JmhJson.metric(13.0, 0.2, "ms/op", 13.0), Map.of()));
        Path faster = JmhJson.write(dir, "faster.json", JmhJson.result(SPMM, "avgt", params,
                JmhJson.metric(7.0, 0.2, "ms/op", 7.0), Map.of()));
        Outcome worse = gate("--baseline", a.toString(), "--candidate", slower.toString());
        assertEquals(Main.FAILURE, worse.code(), worse.out());
        Outcome better = gate("--baseline", a.toString(), "--candidate", faster.toString());
        assertEquals(0, better.code(), better.out());
        assertTrue(better.out().contains("-30.0%") && better.out().contains("improved"), better.out());
    }

    @Test
    void jmhNonFiniteStringsAreHandled() throws IOException {
        // one measured iteration: JMH writes "NaN" for the error and both interval ends
        Path a = run("a.json", JmhJson.metric(300.0, "NaN", "NaN", "NaN", "ops/s", 300));
        Path same = run("same.json", JmhJson.metric(300.0, "NaN", "NaN", "NaN", "ops/s", 300));
        Outcome o = gate("--baseline", a.toString(), "--candidate", same.toString());
        assertEquals(0, o.code(), o.out() + o.err());

        // without intervals the scores alone decide: a 30% slowdown still fails
        Path slow = run("slow.json", JmhJson.metric(210.0, "NaN", "NaN", "NaN", "ops/s", 210));
        assertEquals(Main.FAILURE, gate("--baseline", a.toString(), "--candidate", slow.toString()).code());

        // a score JMH could not compute is reported, not compared
        Path nan = run("nan.json", JmhJson.metric("NaN", "NaN", "NaN", "NaN", "ops/s"));
        Path inf = run("inf.json", JmhJson.metric("+INF", "NaN", "-INF", "+INF", "ops/s"));
        Outcome none = gate("--baseline", nan.toString(), "--candidate", inf.toString());
        assertEquals(0, none.code(), none.out() + none.err());
        assertTrue(none.out().contains("no score"), none.out());
    }

    @Test
    void aChangedModeCannotPass() throws IOException {
        Map<String, String> params = Map.of("impl", "panama", "shape", "ml20m-vae");
        Path a = JmhJson.write(dir, "a.json", JmhJson.result(SPMM, "thrpt", params,
                JmhJson.metric(100.0, 1.0, "ops/s", 100), Map.of()));
        Path b = JmhJson.write(dir, "b.json", JmhJson.result(SPMM, "avgt", params,
                JmhJson.metric(10.0, 0.1, "ms/op", 10), Map.of()));
        Outcome o = gate("--baseline", a.toString(), "--candidate", b.toString());
        assertEquals(Main.FAILURE, o.code());
        assertTrue(o.out().contains("INCOMPARABLE"), o.out());
    }

    @Test
    void resultsAreMatchedByBenchmarkAndSortedParams() throws IOException {
        JmhResults.Result base = JmhResults.read(run("a.json", JmhJson.metric(300.0, 1.0, "ops/s", 300))).getFirst();
        // the same params written in the other order, plus a shape only the candidate has
        Path b = JmhJson.write(dir, "b.json",
                "{\"benchmark\": \"" + SPMM + "\", \"mode\": \"thrpt\", \"params\": {\"shape\": \"ml20m-vae\", "
                        + "\"impl\": \"panama\"}, \"primaryMetric\": " + JmhJson.metric(300.0, 1.0, "ops/s", 300) + "}",
                thrpt(SPMM, "panama", JmhJson.metric(300.0, 1.0, "ops/s", 300)).replace("ml20m-vae", "awkward"));
        List<RegressionGate.Comparison> c = RegressionGate.compare(List.of(base), JmhResults.read(b), 0.1);
        assertEquals(2, c.size());
        assertEquals(RegressionGate.Verdict.OK, c.get(0).verdict());
        assertEquals(RegressionGate.Verdict.ONLY_CANDIDATE, c.get(1).verdict());
    }

    @Test
    void aFileWithTheSameResultTwiceIsRejected() throws IOException {
        String r = thrpt(SPMM, "panama", JmhJson.metric(300.0, 1.0, "ops/s", 300));
        List<JmhResults.Result> twice = JmhResults.read(JmhJson.write(dir, "twice.json", r, r));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RegressionGate.compare(twice, twice, 0.1));
        assertTrue(e.getMessage().contains("holds " + SPMM + "{impl=panama, shape=ml20m-vae} twice"), e.getMessage());
    }

    @Test
    void nothingInCommonIsAnError() throws IOException {
        Path a = JmhJson.write(dir, "a.json", thrpt(SPMM, "panama", JmhJson.metric(1.0, 0.1, "ops/s", 1)));
        Path b = JmhJson.write(dir, "b.json", thrpt(TOPK, "panama", JmhJson.metric(1.0, 0.1, "ops/s", 1)));
        Outcome o = gate("--baseline", a.toString(), "--candidate", b.toString());
        assertEquals(Main.FAILURE, o.code());
        assertTrue(o.err().contains("no benchmark with the same params in common"), o.err());
    }

    @Test
    void commandLineMistakes() throws IOException {
        Path a = run("a.json", JmhJson.metric(300.0, 6.0, "ops/s", 300));
        assertUsage("give --baseline A.json --candidate B.json, or --ratios", "--baseline", a.toString());
        assertUsage("--threshold must be a percentage such as 10% or 2.5, got 'ten'",
                "--baseline", a.toString(), "--candidate", a.toString(), "--threshold", "ten");
        assertUsage("--threshold must be a percentage >= 0", "--baseline", a.toString(), "--candidate",
                a.toString(), "--threshold", "-5%");
        assertUsage("not both", "--ratios", "gates.json", "--baseline", a.toString());
        Outcome missing = gate("--baseline", dir.resolve("nope.json").toString(), "--candidate", a.toString());
        assertEquals(Main.FAILURE, missing.code());
        assertTrue(missing.err().contains("nope.json: no such file"), missing.err());
    }

    @Test
    void brokenJsonIsNamedWithItsLine() throws IOException {
        Path a = run("a.json", JmhJson.metric(300.0, 6.0, "ops/s", 300));
        Path broken = dir.resolve("broken.json");
        java.nio.file.Files.writeString(broken, "[\n{\"benchmark\": \n");
        Outcome o = gate("--baseline", a.toString(), "--candidate", broken.toString());
        assertEquals(Main.FAILURE, o.code());
        assertTrue(o.err().contains("broken.json: not valid JSON at line"), o.err());
        assertEquals(1, o.err().lines().count(), o.err());
    }

    private static void assertUsage(String expected, String... args) {
        Outcome o = gate(args);
        assertEquals(Main.USAGE_ERROR, o.code(), o.out() + o.err());
        assertTrue(o.err().contains(expected), "'" + expected + "' in: " + o.err());
    }
}
