package dev.sparsecf.kernels;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code auto}'s calibration: GEMM at Mult-VAE's output layer at the ML-20M shape ({@code C[500 x 20,108] =
 * A[500 x 600] B[600 x 20,108]}, 12 GFLOP a call; also on oneDNN and MKL when they loaded) and the SPD inverse at
 * n = 3,072 (29 GFLOP; also MKL's), each tier called through the facade as the models call it, alternately, best time after a warm-up call;
 * once per machine key.
 */
final class BlasCalibration implements AutoBlas.Calibrator {

    private static final int ROUNDS = 2; // timed calls per tier after the warm-up (alternating, best kept)

    private final int m;
    private final int n;
    private final int k;
    private final int inverseN;
    private double lastCpuShare = 1;

    /**
     * The default shapes: 500 x 20,108 x 600 and n = 3,072 (eight of the Panama inverse's 384-wide pivot blocks). At
     * n = 1,536 a call took about 45 ms and the winner flipped between calibrations on a quiet machine.
     */
    BlasCalibration() {
        this(500, 20_108, 600, 3_072);
    }

    /** Other shapes (tests use small ones). */
    BlasCalibration(int m, int n, int k, int inverseN) {
        this.m = m;
        this.n = n;
        this.k = k;
        this.inverseN = inverseN;
    }

    @Override
    public String gemmShape() {
        return m + "x" + n + "x" + k;
    }

    @Override
    public int inverseN() {
        return inverseN;
    }

    @Override
    public AutoBlas.Rates measure(List<BlasProvider> gemmTiers, List<BlasProvider> inverseTiers, KernelProvider kernels,
                                  int threads) {
        long cpu0 = processCpuNanos();
        long t0 = System.nanoTime();
        // the inverse first, as in an EASE fit, where no GEMM tier's worker threads (OpenMP's spin before they sleep)
        // have just run beside it
        long[] inverse = inverseNanos(facades(inverseTiers, kernels, threads));
        long[] gemm = gemmNanos(facades(gemmTiers, kernels, threads));
        long cpu = processCpuNanos() - cpu0;
        lastCpuShare = cpu0 < 0 ? 1 : (double) cpu / ((System.nanoTime() - t0) * (double) threads);
        double gemmFlops = 2.0 * m * n * k;
        double inverseFlops = (double) inverseN * inverseN * inverseN; // potrf n^3/3 + potri 2n^3/3
        return new AutoBlas.Rates(perTier(gemmTiers, gemmFlops, gemm), perTier(inverseTiers, inverseFlops, inverse));
    }

    private static Kernels[] facades(List<BlasProvider> tiers, KernelProvider kernels, int threads) {
        return tiers.stream().map(t -> Kernels.of(kernels, t, threads)).toArray(Kernels[]::new);
    }

    private static Map<String, Double> perTier(List<BlasProvider> tiers, double flops, long[] nanos) {
        Map<String, Double> rates = new LinkedHashMap<>();
        for (int t = 0; t < tiers.size(); t++) {
            rates.put(tiers.get(t).name(), flops / nanos[t]);
        }
        return rates;
    }

    @Override
    public double lastCpuShare() {
        return lastCpuShare;
    }

    /** CPU time of the whole process (every thread, OpenBLAS's included), or -1 where the JVM does not say. */
    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
    }

    /** Best time per tier of {@code C = A B} at the calibration shape. */
    private long[] gemmNanos(Kernels[] tiers) {
        try (DenseMatrix a = random(m, k, 1); DenseMatrix b = random(k, n, 2); DenseMatrix c = DenseMatrix.allocate(m, n)) {
            return bestOf(tiers, t -> t.gemm(false, false, 1f, a, b, 0f, c));
        }
    }

    /** Best time per tier of the in-place inverse of a well-conditioned SPD matrix (diagonally dominant). */
    private long[] inverseNanos(Kernels[] tiers) {
        long bytes = (long) inverseN * inverseN * Double.BYTES;
        try (Arena arena = Arena.ofShared()) { // the Java tier's threads read and write it
            MemorySegment spd = arena.allocate(bytes, 64);
            SplittableRandom rnd = new SplittableRandom(3);
            for (int i = 0; i < inverseN; i++) {
                for (int j = i; j < inverseN; j++) {
                    double v = i == j ? 2.0 : rnd.nextDouble(-1, 1) / inverseN;
                    spd.setAtIndex(ValueLayout.JAVA_DOUBLE, (long) i * inverseN + j, v);
                    spd.setAtIndex(ValueLayout.JAVA_DOUBLE, (long) j * inverseN + i, v);
                }
            }
            MemorySegment work = arena.allocate(bytes, 64);
            return bestOf(tiers, t -> {
                work.copyFrom(spd); // inside the timed call: a copy is about 1% of the inverse
                t.invertSpd(work, inverseN, inverseN, false);
            });
        }
    }

    /** One warm-up call per tier, then {@link #ROUNDS} alternating timed calls; the best time of each tier. */
    private static long[] bestOf(Kernels[] tiers, java.util.function.Consumer<Kernels> call) {
        long[] best = new long[tiers.length];
        Arrays.fill(best, Long.MAX_VALUE);
        for (int round = 0; round <= ROUNDS; round++) {
            for (int t = 0; t < tiers.length; t++) {
                long t0 = System.nanoTime();
                call.accept(tiers[t]);
                long dt = Math.max(1, System.nanoTime() - t0);
                if (round > 0) {
                    best[t] = Math.min(best[t], dt);
                }
            }
        }
        return best;
    }

    private static DenseMatrix random(int rows, int cols, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        DenseMatrix x = DenseMatrix.allocate(rows, cols);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                x.set(i, j, (float) rnd.nextDouble(-1, 1));
            }
        }
        return x;
    }
}
