package dev.sparsecf.bench;

import dev.sparsecf.kernels.Kernels;
import dev.sparsecf.testing.Agreement;
import dev.sparsecf.testing.ErrorBounds;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * EASE's dominant step: the in-place inverse of a symmetric positive definite {@code n x n} double matrix (upper
 * triangle; potrf + potri), by the Panama kernels (blocked Gauss-Jordan sweeps) or OpenBLAS.
 *
 * <p>Flops per call: {@code n^3} (potrf {@code n^3/3}, potri {@code 2 n^3/3}). The matrix is restored from a
 * pristine copy before every call, outside the timed region (a call takes 0.1 s or more, so JMH's per-invocation
 * set-up costs nothing measurable). The scalar kernel is the unblocked test oracle and is not timed here.
 *
 * <p>Run: {@code ./sparsecf bench --include CholeskyInverseBenchmark}, or
 * {@code java -jar bench/target/sparsecf-bench.jar CholeskyInverseBenchmark -p n=2000}.
 */
public class CholeskyInverseBenchmark extends TrialBenchmark {

    private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;
    /** Residual elements of {@code A inv(A) - I} checked after the trial. */
    private static final int SAMPLES = 256;

    /** {@code panama}: the Java kernels; {@code openblas}: dpotrf + dpotri. */
    @Param({"panama", "openblas"})
    public String impl;

    /** The order of the matrix (EASE's is the item count: 3,396 on ML-1M, 20,108 on ML-20M). */
    @Param({"2000", "8000"})
    public int n;

    private Kernels kernels;
    private MemorySegment spd;
    private MemorySegment work;

    @Override
    protected void prepareTrial() {
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1, got " + n);
        }
        kernels = denseKernels(impl);
        Arena arena = owned(Arena.ofShared()); // the kernels' worker threads touch it
        spd = arena.allocate(D, (long) n * n);
        work = arena.allocate(D, (long) n * n);
        // diagonally dominant, hence SPD; the condition (about 1) does not change the work of a Cholesky inverse
        SplittableRandom rnd = new SplittableRandom(SEED);
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double v = (i == j ? n : 0) + rnd.nextDouble() - 0.5;
                spd.setAtIndex(D, (long) i * n + j, v);
                spd.setAtIndex(D, (long) j * n + i, v);
            }
        }
    }

    /** Every call inverts the original matrix, not the previous call's inverse. */
    @Setup(Level.Invocation)
    public void restore() {
        work.copyFrom(spd);
    }

    @Benchmark
    public MemorySegment invert(Flops64Counter counter) {
        kernels.invertSpd(work, n, n, false);
        counter.flops64 += (long) n * n * n;
        return work;
    }

    /**
     * Sampled elements of {@code A X - I} (X the inverse from its upper triangle, the product in double) within
     * {@code 4 n u kappa + gamma(n) kappa}, {@code kappa = ||A||_inf ||X||_inf}: the residual bound of a
     * backward-stable inversion (Higham 14.1-14.3) plus the rounding of the check's own dot product.
     */
    @Override
    protected void verifyTrial() {
        double bound = ErrorBounds.inverseResidual(n, (i, j) -> spd.getAtIndex(D, (long) i * n + j), this::x);
        SplittableRandom rnd = new SplittableRandom(SEED + 1);
        Agreement.Samples samples = new Agreement.Samples(SAMPLES);
        for (int t = 0; t < SAMPLES; t++) {
            int i = rnd.nextInt(n);
            int j = t % 4 == 0 ? i : rnd.nextInt(n); // a quarter on the diagonal
            double s = 0;
            for (int p = 0; p < n; p++) {
                s += spd.getAtIndex(D, (long) i * n + p) * x(p, j);
            }
            samples.add(i, j, i == j ? 1 : 0, s, bound);
        }
        samples.require(trialName(), "A inv(A)", "the identity");
    }

    /** Element (i, j) of the inverse, read from the upper triangle. */
    private double x(int i, int j) {
        return i <= j ? work.getAtIndex(D, (long) i * n + j) : work.getAtIndex(D, (long) j * n + i);
    }

    @Override
    protected String trialParams() {
        return impl + ", n=" + n;
    }
}
