package dev.sparsecf.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench --peers}: the ratio lines from a JMH result, the missing-jar message and the benchmark selection. */
class PeerRunTest {

    @Test
    void eachSparsecfStepIsComparedWithEachLibtorchStep() throws IOException {
        String json = "[" + String.join(",",
                JmhJson.result("dev.sparsecf.bench.TrainStepBenchmark.step", "thrpt", Map.of("dense", "openblas"),
                        JmhJson.metric(6.0, 0.1, "ops/s", 6.0), Map.of()),
                JmhJson.result("dev.sparsecf.bench.TorchTrainStepBenchmark.step", "thrpt", Map.of("input", "sparse"),
                        JmhJson.metric(0.5, 0.01, "ops/s", 0.5), Map.of()),
                JmhJson.result("dev.sparsecf.bench.TorchTrainStepBenchmark.step", "thrpt", Map.of("input", "dense"),
                        JmhJson.metric(2.0, 0.01, "ops/s", 2.0), Map.of())) + "]";
        String lines = PeerRun.ratios(JmhResults.parse(json));
        assertEquals(List.of("sparsecf dense=openblas / libtorch input=sparse: 12.00x (steps per second)",
                "sparsecf dense=openblas / libtorch input=dense: 3.00x (steps per second)"), lines.lines().toList());
    }

    @Test
    void aMissingPeersJarSaysHowToBuildIt(@TempDir Path home) {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> PeerRun.jar(home));
        assertTrue(e.getMessage().contains("-Ppeers-torch") && e.getMessage().contains("target-peers"), e.getMessage());
    }

    @Test
    void theSelectionIsBothTrainingSteps() {
        assertTrue("dev.sparsecf.bench.TrainStepBenchmark.step".matches(PeerRun.INCLUDE));
        assertTrue("dev.sparsecf.bench.TorchTrainStepBenchmark.step".matches(PeerRun.INCLUDE));
        assertTrue(!"dev.sparsecf.bench.GemmBenchmark.gemm".matches(PeerRun.INCLUDE));
    }
}
