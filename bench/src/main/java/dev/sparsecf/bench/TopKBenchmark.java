package dev.sparsecf.bench;

import dev.sparsecf.kernels.CsrMatrix;
import dev.sparsecf.kernels.DenseMatrix;
import dev.sparsecf.kernels.Kernels;
import dev.sparsecf.testing.Agreement;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;

/**
 * Evaluation's ranking step: the top {@value #K} items per user of a {@code batch x items} score matrix,
 * skipping the items the user already clicked.
 *
 * <p>Traffic per call: one read of the scores (the exclusion lists and the k outputs are comparatively tiny).
 *
 * <p>Run: {@code ./sparsecf bench --include 'TopKBenchmark'}.
 */
public class TopKBenchmark extends KernelBenchmark {

    /** The deepest cut-off the evaluation reports (NDCG@100). */
    static final int K = 100;

    private DenseMatrix scores;
    private CsrMatrix seen;
    private int[] top;
    private long bytesPerOp;

    @Override
    protected void prepare(BenchShape s, SplittableRandom rnd) {
        seen = owned(s.clicks(SEED));
        scores = gaussian(s.users(), s.items(), 1.0, rnd);
        top = new int[s.users() * K];
        bytesPerOp = (long) s.users() * s.items() * Float.BYTES;
    }

    @Benchmark
    public int[] topK(BytesCounter traffic) {
        kernels.topK(scores, seen, K, top);
        traffic.bytes += bytesPerOp;
        return top;
    }

    /** Every implementation ranks through the same heap and tie rule, so the columns must match exactly. */
    @Override
    protected void verify(Kernels reference) {
        int[] expected = new int[top.length];
        reference.topK(scores, seen, K, expected);
        Agreement.requireEqual(trialName(), "top", expected, top, K);
    }
}
