package dev.sparsecf.kernels;

/** Dense float32 matrix product {@code C = alpha * op(A) * op(B) + beta * C}, op = identity or transpose. */
public interface GemmKernel {

    /**
     * Overwrites the block rows {@code [rowFrom, rowTo)} x columns {@code [colFrom, colTo)} of {@code C[m x n]}
     * with {@code alpha * op(A) * op(B) + beta * C}, where {@code op(A)} is {@code m x k} ({@code A} is
     * {@code k x m} when {@code transA}), {@code op(B)} is {@code k x n}, all row-major with lda/ldb/ldc =
     * {@code ld()}; {@code beta == 0} means C is not read (NaN in C does not propagate). Not in place: C must not
     * share memory with A or B.
     */
    void gemm(boolean transA, boolean transB, float alpha, DenseMatrix a, DenseMatrix b, float beta, DenseMatrix c,
              int rowFrom, int rowTo, int colFrom, int colTo);
}
