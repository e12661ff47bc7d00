package dev.sparsecf.kernels;

/** Top-K columns per row of a score matrix, skipping excluded (already seen) columns. */
public interface TopKKernel {

    /**
     * For each row {@code i} in {@code [rowFrom, rowTo)} writes the {@code k} highest-scoring columns not in
     * row {@code i} of {@code exclude} (may be null) to {@code out[i*k .. i*k+k)}, best first, ties broken by
     * the lower column index; NaN scores rank below every number; missing slots (fewer than k candidates)
     * are -1.
     */
    void topK(DenseMatrix scores, CsrMatrix exclude, int k, int[] out, int rowFrom, int rowTo);
}
