package dev.sparsecf.kernels;

import java.lang.foreign.MemorySegment;

/** Sparse times dense: {@code C = diag(s) * A * B + 1 * bias}. Implementations trust their (validated) input. */
public interface SpmmKernel {

    /**
     * Overwrites rows {@code [rowFrom, rowTo)} of {@code C[m x n]} with
     * {@code rowScale[i] * sum_p A[i, col(p)] * B[col(p), :] + bias}, where {@code A} is {@code m x k} CSR
     * (binary or weighted), {@code B} is {@code k x n}; {@code rowScale} (m floats) and {@code bias}
     * (n floats) may be null. Not in place: {@code C} must not alias {@code B}.
     */
    void spmm(CsrMatrix a, DenseMatrix b, float[] rowScale, MemorySegment bias, DenseMatrix c, int rowFrom, int rowTo);
}
