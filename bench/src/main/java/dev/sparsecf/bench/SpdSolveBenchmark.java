package dev.sparsecf.bench;

import dev.sparsecf.kernels.Kernels;
import dev.sparsecf.testing.Agreement;
import dev.sparsecf.testing.ErrorBounds;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * Neighbourhood EASE's dominant step: a batch of {@value #SYSTEMS} SPD solves {@code (G_NN + lambda I) b = G_Nj} of
 * order K (Cholesky, then two triangular solves), threaded over the systems, by the scalar oracle and the Panama
 * kernel. The systems are co-occurrence counts of random 0/1 rows plus lambda, as EASE's.
 *
 * <p>Flops per call: {@code SYSTEMS * (K^3 / 3 + 2 K^2)}. The batch is restored from a pristine copy before every
 * call, outside the timed region (a call takes a millisecond or more).
 *
 * <p>Run: {@code ./sparsecf bench --include SpdSolveBenchmark}, or
 * {@code java -jar bench/target/sparsecf-bench.jar SpdSolveBenchmark -p k=500}.
 */
public class SpdSolveBenchmark extends TrialBenchmark {

    static final int SYSTEMS = 32;
    private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;

    /** The kernels: the {@code -Dsparsecf.kernels} ids. */
    @Param({"scalar", "panama"})
    public String impl;

    /** The neighbourhood size K: the order of every system. */
    @Param({"100", "500"})
    public int k;

    private Kernels kernels;
    private MemorySegment a0;
    private MemorySegment b0;
    private MemorySegment a;
    private MemorySegment b;
    private int[] orders;

    @Override
    protected void prepareTrial() {
        kernels = sparseKernels(impl);
        Arena arena = owned(Arena.ofShared());
        long square = (long) k * k;
        a0 = arena.allocate(D, SYSTEMS * square);
        b0 = arena.allocate(D, (long) SYSTEMS * k);
        a = arena.allocate(D, SYSTEMS * square);
        b = arena.allocate(D, (long) SYSTEMS * k);
        orders = new int[SYSTEMS];
        Arrays.fill(orders, k);
        SplittableRandom rnd = new SplittableRandom(SEED);
        int users = 4 * k;
        int[] row = new int[k + 1];
        for (int s = 0; s < SYSTEMS; s++) {
            double[] g = new double[(k + 1) * (k + 1)]; // item k plays j, the right-hand side
            for (int u = 0; u < users; u++) {
                int len = 0;
                for (int i = 0; i <= k; i++) {
                    if (rnd.nextInt(8) == 0) {
                        row[len++] = i;
                    }
                }
                for (int p = 0; p < len; p++) {
                    for (int q = p; q < len; q++) {
                        g[row[p] * (k + 1) + row[q]]++;
                    }
                }
            }
            for (int i = 0; i < k; i++) {
                b0.setAtIndex(D, (long) s * k + i, g[i * (k + 1) + k]);
                for (int j = i; j < k; j++) {
                    double v = g[i * (k + 1) + j] + (i == j ? 200.0 : 0); // lambda 200
                    a0.setAtIndex(D, s * square + (long) i * k + j, v);
                    a0.setAtIndex(D, s * square + (long) j * k + i, v);
                }
            }
        }
    }

    /** Every call solves the original systems, not the previous call's factors. */
    @Setup(Level.Invocation)
    public void restore() {
        a.copyFrom(a0);
        b.copyFrom(b0);
    }

    @Benchmark
    public MemorySegment solve(Flops64Counter counter) {
        kernels.solveSpdBatch(a, b, orders, SYSTEMS, k);
        counter.flops64 += SYSTEMS * ((long) k * k * k / 3 + 2L * k * k);
        return b;
    }

    /** Sampled residuals {@code b - A x} within the Cholesky solve's backward-error bound (from the computed factor). */
    @Override
    protected void verifyTrial() {
        SplittableRandom rnd = new SplittableRandom(SEED + 1);
        Agreement.Samples samples = new Agreement.Samples(64);
        long square = (long) k * k;
        for (int t = 0; t < 64; t++) {
            int s = rnd.nextInt(SYSTEMS);
            int i = rnd.nextInt(k);
            double r = b0.getAtIndex(D, (long) s * k + i);
            double axb = Math.abs(r);
            double utux = 0;
            for (int j = 0; j < k; j++) {
                double x = b.getAtIndex(D, (long) s * k + j);
                double aij = a0.getAtIndex(D, s * square + (long) i * k + j);
                r -= aij * x;
                axb += Math.abs(aij * x);
                double ut = 0;
                for (int p = 0; p <= Math.min(i, j); p++) {
                    ut += Math.abs(a.getAtIndex(D, s * square + (long) p * k + i) * a.getAtIndex(D, s * square + (long) p * k + j));
                }
                utux += ut * Math.abs(x);
            }
            samples.add(s, i, 0, r, ErrorBounds.choleskySolveResidual(k, utux, axb));
        }
        samples.require(trialName(), "b - A x", "zero");
    }

    @Override
    protected String trialParams() {
        return impl + ", k=" + k;
    }
}
