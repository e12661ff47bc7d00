package dev.sparsecf.kernels;

/** Transposed sparse times dense, accumulated: {@code G += A^T * D} (the first layer's weight gradient). */
public interface SpmmTransposeKernel {

    /**
     * Adds {@code A^T * D} to columns {@code [colFrom, colTo)} of {@code G[k x n]}, where {@code A} is
     * {@code m x k} CSR and {@code D} is {@code m x n}. Each element of {@code G} accumulates its terms in
     * row order of {@code A}, so the result does not depend on how columns are split across threads.
     */
    void spmmTransposeAccumulate(CsrMatrix a, DenseMatrix d, DenseMatrix g, int colFrom, int colTo);
}
