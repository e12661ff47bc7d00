package dev.sparsecf.kernels;

import dev.sparsecf.kernels.synthetic.SyntheticClicks;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A rough throughput printout (not JMH, not a test) for the dense kernels: GEMM at the Mult-VAE output-layer
 * shapes, the SPD inverse at n = 2000, and the Gram matrix of ML-20M-shaped synthetic clicks; best and mean of a
 * few runs after two warm-up runs, plus GFLOP per CPU-second (what the kernel makes of the cycles it gets on a
 * shared machine). Run from {@code kernels/} after {@code mvn -B test-compile}:
 * {@code java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes
 * dev.sparsecf.kernels.DenseKernelsThroughput [impl=panama] [threads=2] [reps=5] [gemm|inverse|gram ...]}.
 */
public final class DenseKernelsThroughput {

    private static final com.sun.management.OperatingSystemMXBean CPU =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private DenseKernelsThroughput() {
    }

    public static void main(String[] args) {
        String impl = args.length > 0 ? args[0] : "panama";
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int reps = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        List<String> what = args.length > 3 ? List.of(args).subList(3, args.length) : List.of("gemm", "inverse", "gram");
        Kernels kernels = Kernels.create(impl, threads);
        System.out.println(kernels.startupLine());
        if (what.contains("gemm")) {
            gemm(kernels, reps);
        }
        if (what.contains("inverse")) {
            inverse(kernels, reps, 2000);
        }
        if (what.contains("gram")) {
            gram(kernels, reps);
        }
    }

    private static void gemm(Kernels kernels, int reps) {
        int batch = 500;
        int hidden = 600;
        int items = SyntheticClicks.ML20M_ITEMS;
        double flops = 2.0 * batch * hidden * items;
        SplittableRandom rnd = new SplittableRandom(42);
        try (DenseMatrix h = random(rnd, batch, hidden); DenseMatrix w = random(rnd, hidden, items);
             DenseMatrix dz = random(rnd, batch, items); DenseMatrix z = DenseMatrix.allocate(batch, items);
             DenseMatrix dw = DenseMatrix.allocate(hidden, items); DenseMatrix dh = DenseMatrix.allocate(batch, hidden)) {
            report("gemm forward Z = H W (500x600 * 600x20108)", flops, reps, () -> kernels.gemm(false, false, 1f, h, w, 0f, z));
            report("gemm dW = H^T dZ (600x500 * 500x20108)", flops, reps, () -> kernels.gemm(true, false, 1f, h, dz, 0f, dw));
            report("gemm dH = dZ W^T (500x20108 * 20108x600)", flops, reps, () -> kernels.gemm(false, true, 1f, dz, w, 0f, dh));
        }
    }

    private static void inverse(Kernels kernels, int reps, int n) {
        SplittableRandom rnd = new SplittableRandom(43);
        try (Arena arena = Arena.ofShared()) {
            MemorySegment spd = arena.allocate(ValueLayout.JAVA_DOUBLE, (long) n * n);
            MemorySegment work = arena.allocate(ValueLayout.JAVA_DOUBLE, (long) n * n);
            for (int i = 0; i < n; i++) {
                for (int j = i; j < n; j++) { // diagonally dominant, hence SPD
                    spd.setAtIndex(ValueLayout.JAVA_DOUBLE, (long) i * n + j, (i == j ? n : 0) + rnd.nextDouble() - 0.5);
                }
            }
            report("SPD inverse n=" + n + " (n^3 flops, copy included)", (double) n * n * n, reps, () -> {
                MemorySegment.copy(spd, 0, work, 0, spd.byteSize());
                kernels.invertSpd(work, n, n, false);
            });
        }
    }

    private static void gram(Kernels kernels, int reps) {
        try (CsrMatrix x = SyntheticClicks.ml20mShape(1.0, 44); Arena arena = Arena.ofShared()) {
            int n = x.cols();
            double updates = 0;
            for (int u = 0; u < x.rows(); u++) {
                updates += x.rowNnz(u) * (x.rowNnz(u) + 1.0) / 2;
            }
            System.out.printf(Locale.ROOT, "gram input: %s, %.3g pair updates (the 'flops' below)%n", x, updates);
            MemorySegment g = arena.allocate(ValueLayout.JAVA_DOUBLE, (long) n * n);
            report("gram G = X^T X (ML-20M shape)", updates, reps, () -> kernels.gram(x, g, n));
        }
    }

    private static DenseMatrix random(SplittableRandom rnd, int rows, int cols) {
        DenseMatrix m = DenseMatrix.allocate(rows, cols);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                m.set(i, j, (float) (rnd.nextDouble() - 0.5));
            }
        }
        return m;
    }

    private static void report(String what, double flops, int reps, Runnable run) {
        run.run(); // warm-up: JIT and scratch allocation
        run.run();
        long best = Long.MAX_VALUE;
        long total = 0;
        long cpu0 = CPU.getProcessCpuTime();
        for (int r = 0; r < reps; r++) {
            long t0 = System.nanoTime();
            run.run();
            long t = System.nanoTime() - t0;
            best = Math.min(best, t);
            total += t;
        }
        long cpu = CPU.getProcessCpuTime() - cpu0;
        System.out.printf(Locale.ROOT, "%-50s best %6.1f G/s (%.1f ms), mean %6.1f G/s, %6.1f G per CPU-second%n",
                what, flops / best, best / 1e6, flops * reps / total, flops * reps / cpu);
    }
}
