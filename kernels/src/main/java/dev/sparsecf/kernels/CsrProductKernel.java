package dev.sparsecf.kernels;

/** Sparse times sparse into dense: {@code C = A * B} with B in CSR (scores {@code X_u B} of a sparse EASE). */
public interface CsrProductKernel {

    /**
     * Rows {@code [from, to)} of {@code C[m x n] = A[m x k] * B[k x n]}: A and B CSR (binary means every stored
     * entry is 1), C's valid columns overwritten. Each element sums its terms in the order of A's row, then of B's
     * rows, in float: every implementation gives the same bits.
     */
    void multiply(CsrMatrix a, CsrMatrix b, DenseMatrix c, int from, int to);
}
