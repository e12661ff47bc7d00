package dev.sparsecf.perf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code sparsecf bench --peers}: sparsecf's {@code TrainStepBenchmark} beside libtorch's
 * {@code TorchTrainStepBenchmark} in one JMH run of the peers jar ({@code bench/target-peers/sparsecf-bench.jar},
 * built by the opt-in {@code peers-torch} Maven profile, which downloads libtorch), and the ratio of their steps.
 */
public final class PeerRun {

    /** Both training-step benchmarks, sparsecf's and libtorch's. */
    static final String INCLUDE = "^dev\\.sparsecf\\.bench\\.(Torch)?TrainStepBenchmark\\.step$";
    static final String TORCH = "TorchTrainStepBenchmark";

    private PeerRun() {
    }

    /** The peers jar under {@code home}; a missing jar is an error that says how to build it. */
    public static Path jar(Path home) {
        Path jar = home.resolve("bench/target-peers/sparsecf-bench.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("--peers needs " + jar + "; build it once (it downloads libtorch: 92 MB,"
                    + " about 350 MB unpacked): mvn -B -pl bench -am package -Ppeers-torch -DskipTests");
        }
        return jar;
    }

    /**
     * Runs both benchmarks in a child JVM of the peers jar ({@code quick}: 1 fork, 2 warm-up and 3 measured
     * iterations of 3 s; {@code full}: the benchmarks' own settings), {@code jmhArgs} appended, and returns its
     * JSON result array.
     */
    public static byte[] run(Path jar, BenchProfile profile, int threads, List<String> jmhArgs)
            throws IOException, InterruptedException {
        Path json = Files.createTempFile("sparsecf-peers-", ".json");
        try {
            List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                    "-jar", jar.toString(), INCLUDE, "-jvmArgs", "-Dsparsecf.threads=" + threads));
            if (profile == BenchProfile.QUICK) {
                cmd.addAll(List.of("-f", "1", "-wi", "2", "-w", "3", "-i", "3", "-r", "3"));
            }
            cmd.addAll(jmhArgs);
            cmd.addAll(List.of("-rf", "json", "-rff", json.toString()));
            int status = new ProcessBuilder(cmd).inheritIO().start().waitFor();
            if (status != 0) {
                throw new IllegalStateException("the peers benchmark run failed (exit " + status + "; see its output above)");
            }
            return Files.readAllBytes(json);
        } finally {
            Files.deleteIfExists(json);
        }
    }

    /** One line per pair: how many sparsecf steps per libtorch step, e.g. {@code sparsecf dense=openblas / libtorch input=sparse: 12.3x}. */
    public static String ratios(List<JmhResults.Result> results) {
        StringBuilder sb = new StringBuilder();
        for (JmhResults.Result ours : results) {
            if (ours.benchmark().contains(TORCH)) {
                continue;
            }
            for (JmhResults.Result torch : results) {
                if (torch.benchmark().contains(TORCH)) {
                    sb.append(String.format(Locale.ROOT, "sparsecf %s / libtorch %s: %.2fx (steps per second)%n",
                            params(ours), params(torch), ours.primary().score() / torch.primary().score()));
                }
            }
        }
        return sb.toString();
    }

    private static String params(JmhResults.Result r) {
        StringBuilder sb = new StringBuilder();
        r.params().forEach((k, v) -> sb.append(sb.isEmpty() ? "" : ",").append(k).append('=').append(v));
        return sb.toString();
    }
}
