package dev.sparsecf.models;

import dev.sparsecf.kernels.CsrMatrix;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Gathers user rows of a click matrix into a batch: the targets (the full binary rows), the network input
 * (the same rows with input dropout: each click kept with probability {@code 1 - dropout} and weighted
 * {@code 1 / (1 - dropout)}, as inverted dropout does) and the per-row L2 normalisers {@code 1 / sqrt(clicks)}
 * computed before dropout (Liang et al. normalise, then drop out).
 */
public final class Batches {

    private Batches() {
    }

    /** One batch; closing it frees both CSR copies. */
    public record Batch(CsrMatrix input, float[] rowScale, CsrMatrix targets) implements AutoCloseable {
        public int size() {
            return targets.rows();
        }

        @Override
        public void close() {
            input.close();
            if (targets != input) {
                targets.close();
            }
        }
    }

    /**
     * The rows {@code users[from..to)} of {@code data}; {@code rng == null} or {@code dropout == 0} means no
     * dropout (the input is then the targets themselves).
     */
    public static Batch gather(CsrMatrix data, int[] users, int from, int to, double dropout, RandomGenerator rng) {
        int m = to - from;
        int[] rowPtr = new int[m + 1];
        for (int r = 0; r < m; r++) {
            rowPtr[r + 1] = rowPtr[r] + data.rowNnz(users[from + r]);
        }
        int[] cols = new int[rowPtr[m]];
        float[] rowScale = new float[m];
        for (int r = 0; r < m; r++) {
            int u = users[from + r];
            int start = data.rowStart(u);
            int nnz = data.rowNnz(u);
            for (int t = 0; t < nnz; t++) {
                cols[rowPtr[r] + t] = data.col(start + t);
            }
            rowScale[r] = nnz == 0 ? 0f : (float) (1 / Math.sqrt(nnz));
        }
        CsrMatrix targets = CsrMatrix.binary(m, data.cols(), rowPtr, cols);
        if (rng == null || dropout == 0) {
            return new Batch(targets, rowScale, targets);
        }
        double keep = 1 - dropout;
        float weight = (float) (1 / keep);
        int[] keptPtr = new int[m + 1];
        int[] keptCols = new int[cols.length];
        int kept = 0;
        for (int r = 0; r < m; r++) {
            for (int p = rowPtr[r]; p < rowPtr[r + 1]; p++) {
                if (rng.nextDouble() < keep) {
                    keptCols[kept++] = cols[p];
                }
            }
            keptPtr[r + 1] = kept;
        }
        float[] weights = new float[kept];
        Arrays.fill(weights, weight);
        CsrMatrix input = CsrMatrix.of(m, data.cols(), keptPtr, Arrays.copyOf(keptCols, kept), weights);
        return new Batch(input, rowScale, targets);
    }
}
