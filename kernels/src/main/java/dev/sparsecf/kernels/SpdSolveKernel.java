package dev.sparsecf.kernels;

import java.lang.foreign.MemorySegment;

/** One symmetric positive definite solve {@code A x = b} by Cholesky, for batches of small systems (neighbourhood EASE). */
public interface SpdSolveKernel {

    /**
     * Solves {@code A x = b} for the SPD {@code A[n x n]} (double, row-major, leading dimension {@code lda}; the upper
     * triangle is read and overwritten by the factor U of {@code A = U^T U}, the strict lower triangle is untouched);
     * {@code b} (n doubles) is replaced by x. Returns -1, or the first pivot (0-based) that is not positive, in which
     * case A and b are partly overwritten. One thread.
     */
    int solve(MemorySegment a, int n, int lda, MemorySegment b);
}
