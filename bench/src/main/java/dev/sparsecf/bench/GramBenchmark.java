package dev.sparsecf.bench;

import dev.sparsecf.kernels.CsrMatrix;
import dev.sparsecf.kernels.Kernels;
import dev.sparsecf.kernels.synthetic.SyntheticClicks;
import dev.sparsecf.testing.Agreement;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;

/**
 * EASE's first step: the upper triangle of the Gram matrix {@code G = X^T X} (item co-occurrence counts, double)
 * of ML-20M-shaped synthetic clicks with a fifth of its users (27,335 x 20,108, about 2M clicks), by the scalar
 * pair loop and the Panama kernel.
 *
 * <p>Traffic per call: the upper triangle of G written once ({@code n (n + 1) / 2} doubles, 1.6 GB), which
 * dominates; the clicks themselves are 8 MB. G takes 3.2 GB off-heap for the trial.
 *
 * <p>Run: {@code ./sparsecf bench --profile full --include GramBenchmark}.
 */
public class GramBenchmark extends TrialBenchmark {

    /** ML-20M's item count and activity with 20% of its users. */
    static final String ML20M_FIFTH = "ml20m-0.2";

    private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;
    /** Rows of G recounted after the trial: the most popular item's (the longest), the last and random ones. */
    private static final int SAMPLED_ROWS = 8;

    /** The Gram kernel: the {@code -Dsparsecf.kernels} ids. */
    @Param({"scalar", "panama"})
    public String impl;

    /** {@value #ML20M_FIFTH}, or a {@link BenchShape} name. */
    @Param({ML20M_FIFTH})
    public String shape;

    private Kernels kernels;
    private CsrMatrix x;
    private MemorySegment g;
    private long bytesPerOp;

    @Override
    protected void prepareTrial() {
        kernels = sparseKernels(impl);
        x = owned(clicks(shape));
        int n = x.cols();
        g = owned(Arena.ofShared()).allocate(D, (long) n * n); // the kernels' worker threads write it
        bytesPerOp = (long) n * (n + 1) / 2 * Double.BYTES;
    }

    /** {@value #ML20M_FIFTH}, or a {@link BenchShape}'s clicks (its awkward shape keeps the harness test small). */
    private static CsrMatrix clicks(String shape) {
        if (shape.equals(ML20M_FIFTH)) {
            return SyntheticClicks.ml20mShape(0.2, SEED);
        }
        for (BenchShape s : BenchShape.ALL) {
            if (s.name().equals(shape)) {
                return s.clicks(SEED);
            }
        }
        throw new IllegalArgumentException("unknown Gram shape '" + shape + "'; expected " + ML20M_FIFTH + " or one of "
                + BenchShape.ALL.stream().map(BenchShape::name).toList());
    }

    @Benchmark
    public MemorySegment gram(BytesCounter traffic) {
        kernels.gram(x, g, x.cols());
        traffic.bytes += bytesPerOp;
        return g;
    }

    /** Sampled rows of G must equal a direct count of co-occurrences exactly (integer counts, any order). */
    @Override
    protected void verifyTrial() {
        int n = x.cols();
        SplittableRandom rnd = new SplittableRandom(SEED + 1);
        int[] items = new int[SAMPLED_ROWS];
        items[0] = 0; // the Zipf head: SyntheticClicks makes item 0 the most popular
        items[1] = n - 1;
        for (int t = 2; t < SAMPLED_ROWS; t++) {
            items[t] = rnd.nextInt(n);
        }
        for (int i : items) {
            double[] count = new double[n];
            for (int u = 0; u < x.rows(); u++) {
                int at = positionOf(i, u);
                for (int p = at; at >= 0 && p < x.rowEnd(u); p++) { // the row is sorted: the items from i on
                    count[x.col(p)]++;
                }
            }
            Agreement.Samples samples = new Agreement.Samples(n - i);
            for (int j = i; j < n; j++) {
                samples.add(i, j, count[j], g.getAtIndex(D, (long) i * n + j), 0); // counts are exact
            }
            samples.require(trialName(), "G", "a direct count");
        }
    }

    /** Position of item {@code i} in row {@code u} of X, or -1. */
    private int positionOf(int i, int u) {
        for (int p = x.rowStart(u); p < x.rowEnd(u); p++) {
            if (x.col(p) == i) {
                return p;
            }
        }
        return -1;
    }

    @Override
    protected String trialParams() {
        return impl + ", " + shape;
    }
}
