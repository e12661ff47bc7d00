package dev.sparsecf.blas;

import dev.sparsecf.kernels.BlasProvider;
import dev.sparsecf.kernels.DenseMatrix;
import dev.sparsecf.kernels.KernelProvider;
import dev.sparsecf.kernels.KernelThreads;
import dev.sparsecf.kernels.Kernels;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Prints the BLAS start-up line and, with {@code --measure n}, a quick (not JMH) throughput check: sgemm at
 * {@code n x n x n} and the SPD inverse dpotrf+dpotri at {@code n}, best of a few runs after one warm-up.
 *
 * <p>Run: {@code java --enable-native-access=ALL-UNNAMED -Dsparsecf.threads=2 -cp <native + deps>
 * dev.sparsecf.blas.BlasInfo --measure 2000}. Use bench/ (JMH) for numbers worth comparing.
 */
public final class BlasInfo {

    private static final int RUNS = 3;

    private BlasInfo() {
    }

    public static void main(String[] args) {
        int n = 0;
        if (args.length == 2 && args[0].equals("--measure")) {
            n = Integer.parseInt(args[1]);
        } else if (args.length != 0) {
            System.err.println("usage: BlasInfo [--measure n]");
            System.exit(2);
        }
        int threads = KernelThreads.configuredThreads();
        BlasProvider provider = BlasProvider.forName(System.getProperty(BlasProvider.BLAS_PROPERTY), threads,
                KernelProvider.scalar(), msg -> System.err.println("WARNING: " + msg));
        System.out.println(provider.startupLine());
        if (n > 0) {
            if (!provider.isNative()) {
                throw new IllegalStateException("--measure needs OpenBLAS; -D" + BlasProvider.BLAS_PROPERTY + " chose java");
            }
            Kernels kernels = Kernels.create("scalar", "openblas", threads);
            System.out.printf(Locale.ROOT, "sgemm %d^3: %.1f GFLOP/s%n", n, sgemmGflops(kernels, n));
            System.out.printf(Locale.ROOT, "dpotrf+dpotri n=%d: %.1f GFLOP/s (n^3 flops)%n", n,
                    inverseGflops(kernels, OpenBlas.load(threads), n));
        }
    }

    private static double sgemmGflops(Kernels kernels, int n) {
        SplittableRandom rnd = new SplittableRandom(42);
        try (DenseMatrix a = DenseMatrix.allocate(n, n); DenseMatrix b = DenseMatrix.allocate(n, n);
                DenseMatrix c = DenseMatrix.allocate(n, n)) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    a.set(i, j, (float) rnd.nextDouble(-1, 1));
                    b.set(i, j, (float) rnd.nextDouble(-1, 1));
                }
            }
            long best = Long.MAX_VALUE;
            for (int r = 0; r <= RUNS; r++) { // run 0 warms up (thread pool start, page faults on C)
                long t0 = System.nanoTime();
                kernels.gemm(false, false, 1f, a, b, 0f, c);
                long dt = System.nanoTime() - t0;
                if (r > 0) {
                    best = Math.min(best, dt);
                }
            }
            return 2.0 * n * n * n / best;
        }
    }

    private static double inverseGflops(Kernels kernels, OpenBlas blas, int n) {
        SplittableRandom rnd = new SplittableRandom(43);
        try (Arena arena = Arena.ofShared()) { // the facade requires memory its threads can reach
            long bytes = (long) n * n * Double.BYTES;
            MemorySegment x = arena.allocate(bytes, 64);
            for (long i = 0; i < (long) n * n; i++) {
                x.setAtIndex(ValueLayout.JAVA_DOUBLE, i, rnd.nextDouble(-1, 1));
            }
            // SPD and well conditioned: G = X X^T / n + I.
            MemorySegment spd = arena.allocate(bytes, 64);
            for (int i = 0; i < n; i++) {
                spd.setAtIndex(ValueLayout.JAVA_DOUBLE, (long) i * n + i, 1.0);
            }
            blas.dsyrk(false, n, n, 1.0 / n, x, n, 1.0, spd, n);
            MemorySegment work = arena.allocate(bytes, 64);
            long best = Long.MAX_VALUE;
            for (int r = 0; r <= RUNS; r++) {
                work.copyFrom(spd);
                long t0 = System.nanoTime();
                kernels.invertSpd(work, n, n, false);
                long dt = System.nanoTime() - t0;
                if (r > 0) {
                    best = Math.min(best, dt);
                }
            }
            return (double) n * n * n / best; // potrf n^3/3 + potri 2n^3/3
        }
    }
}
