package dev.sparsecf.bench;

import dev.sparsecf.data.DataSplit;
import dev.sparsecf.data.Datasets;
import dev.sparsecf.data.SplitConfig;
import dev.sparsecf.kernels.CsrMatrix;
import dev.sparsecf.kernels.Kernels;
import dev.sparsecf.models.ease.EaseModel;
import dev.sparsecf.models.ease.FitReport;
import dev.sparsecf.models.ease.Neighbourhoods;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * One neighbourhood EASE fit ({@code train --model ease --neighbors K}'s model) with its phases (load, sparse Gram +
 * neighbours, systems built, solves, B), the solves' rate in GFLOP/s ({@code sum_j |N(j)|^3 / 3} flops of Cholesky),
 * the process's CPU time per phase (on a loaded machine the wall time says little), the load average before and
 * after and the peak resident set. A dataset id fits its training split (split seed 0,
 * as {@code train}); a {@code synthetic:...} spec fits every generated user. Not JMH: one fit takes minutes.
 *
 * <p>Run: {@code java --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp
 * bench/target/sparsecf-bench.jar dev.sparsecf.bench.NeighbourhoodFitBenchmark --data ml-1m --neighbors 500
 * [--lambda 500] [--threads 2] [--kernels panama] [--blas openblas] [--cap auto|M]} ({@code --cap}: each Gram row's
 * top M co-occurring items, see {@link Neighbourhoods#prepare(CsrMatrix, int, int, Kernels, java.util.function.Consumer)}).
 */
public final class NeighbourhoodFitBenchmark {

    private NeighbourhoodFitBenchmark() {
    }

    /** CPU time of every thread of this process so far (user + system). */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> opt = EaseFitBenchmark.options(args, Map.of("--data", "ml-1m", "--data-dir",
                Datasets.defaultDataDir().toString(), "--neighbors", "500", "--lambda", "500", "--kernels", "panama",
                "--blas", "openblas", "--threads", "2", "--cap", "auto"));
        double[] loadBefore = EaseFitBenchmark.loadAverage();
        System.out.println("load average before: " + EaseFitBenchmark.format(loadBefore));
        Kernels kernels = Kernels.create(opt.get("--kernels"), opt.get("--blas"), Integer.parseInt(opt.get("--threads")));
        System.out.println(kernels.startupLine());
        String spec = opt.get("--data");
        long t0 = System.nanoTime();
        CsrMatrix x;
        if (spec.startsWith("synthetic")) {
            x = Datasets.load(spec, Path.of(opt.get("--data-dir"))).toCsr();
        } else {
            x = DataSplit.create(Datasets.load(spec, Path.of(opt.get("--data-dir"))), SplitConfig.defaults(0)).train().toCsr();
        }
        System.out.printf(Locale.ROOT, "load: %s in %.2f s%n", x, (System.nanoTime() - t0) / 1e9);
        int k = Integer.parseInt(opt.get("--neighbors"));
        String cap = opt.get("--cap");
        long cpu0 = processCpuNanos();
        try (x; Neighbourhoods nb = cap.equals("auto") ? Neighbourhoods.prepare(x, k, kernels, System.out::println)
                : Neighbourhoods.prepare(x, k, Integer.parseInt(cap), kernels, System.out::println)) {
            long cpu1 = processCpuNanos();
            try (EaseModel model = nb.fit(Double.parseDouble(opt.get("--lambda")), System.out::println)) {
                long cpu2 = processCpuNanos();
                FitReport r = model.report().orElseThrow();
                System.out.println(r.format());
                System.out.printf(Locale.ROOT, "process CPU time: sparse Gram + neighbours %.1f s, fit %.1f s (wall %.1f s"
                        + " and %.1f s: the process had %.2f and %.2f of the cores)%n", (cpu1 - cpu0) / 1e9, (cpu2 - cpu1) / 1e9,
                        r.gramNanos() / 1e9, (r.totalNanos() - r.gramNanos()) / 1e9, (double) (cpu1 - cpu0) / r.gramNanos(),
                        (double) (cpu2 - cpu1) / (r.totalNanos() - r.gramNanos()));
                double flops = nb.choleskyFlops();
                System.out.printf(Locale.ROOT, "solves: %.3g flops of Cholesky in %.2f s: %.2f GFLOP/s%n", flops,
                        r.invertNanos() / 1e9, flops / r.invertNanos());
            }
        }
        System.out.printf(Locale.ROOT, "load average after: %s; peak resident set %.2f GB%n",
                EaseFitBenchmark.format(EaseFitBenchmark.loadAverage()), EaseFitBenchmark.peakResidentBytes() / 1e9);
    }
}
