package dev.sparsecf.kernels;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A rough throughput printout (not JMH, not a test) for the dense kernels at the Mult-VAE output-layer shapes;
 * best of a few runs after warm-up. Run from {@code kernels/} after {@code mvn -B test-compile}:
 * {@code java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes
 * dev.sparsecf.kernels.DenseKernelsThroughput [impl] [threads] [reps]}.
 */
public final class DenseKernelsThroughput {

    private static final com.sun.management.OperatingSystemMXBean CPU =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    private DenseKernelsThroughput() {
    }

    public static void main(String[] args) {
        String impl = args.length > 0 ? args[0] : "panama";
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int reps = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        Kernels kernels = Kernels.create(impl, threads);
        System.out.println(kernels.startupLine());
        int batch = 500;
        int hidden = 600;
        int items = 20_108;
        SplittableRandom rnd = new SplittableRandom(42);
        try (DenseMatrix h = random(rnd, batch, hidden); DenseMatrix w = random(rnd, hidden, items);
             DenseMatrix dz = random(rnd, batch, items); DenseMatrix z = DenseMatrix.allocate(batch, items);
             DenseMatrix dw = DenseMatrix.allocate(hidden, items); DenseMatrix dh = DenseMatrix.allocate(batch, hidden)) {
            report("forward Z = H W        ", 2.0 * batch * hidden * items, reps,
                    () -> kernels.gemm(false, false, 1f, h, w, 0f, z));
            report("dW = H^T dZ            ", 2.0 * batch * hidden * items, reps,
                    () -> kernels.gemm(true, false, 1f, h, dz, 0f, dw));
            report("dH = dZ W^T            ", 2.0 * batch * hidden * items, reps,
                    () -> kernels.gemm(false, true, 1f, dz, w, 0f, dh));
        }
        int n = 2000;
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofShared()) {
            java.lang.foreign.MemorySegment spd = arena.allocate(java.lang.foreign.ValueLayout.JAVA_DOUBLE, (long) n * n);
            java.lang.foreign.MemorySegment work = arena.allocate(java.lang.foreign.ValueLayout.JAVA_DOUBLE, (long) n * n);
            for (int i = 0; i < n; i++) {
                for (int j = i; j < n; j++) { // diagonally dominant, hence SPD
                    spd.setAtIndex(java.lang.foreign.ValueLayout.JAVA_DOUBLE, (long) i * n + j, (i == j ? n : 0) + rnd.nextDouble() - 0.5);
                }
            }
            report("SPD inverse n=" + n + " (n^3)", (double) n * n * n, Math.max(1, reps / 2), () -> {
                java.lang.foreign.MemorySegment.copy(spd, 0, work, 0, spd.byteSize());
                kernels.invertSpd(work, n, n, false);
            });
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
        // per CPU-second: what the kernel does with the cycles it gets on a machine shared with other jobs
        System.out.printf(Locale.ROOT, "%s best %7.1f GFLOP/s (%.1f ms), mean %7.1f GFLOP/s, %6.1f GFLOP per CPU-second%n",
                what, flops / best, best / 1e6, flops * reps / total, flops * reps / cpu);
    }
}
