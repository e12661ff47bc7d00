package dev.sparsecf.kernels;

import java.lang.foreign.MemorySegment;
import java.util.function.DoubleConsumer;

/** In-place inverse of a symmetric positive definite double matrix (LAPACK potrf + potri semantics, upper). */
public interface CholeskyInverseKernel {

    /**
     * Replaces the upper triangle ({@code j >= i}) of the SPD {@code A[n x n]} (double, row-major, leading
     * dimension {@code lda}; only the upper triangle is read) by the upper triangle of {@code inv(A)}; the strict
     * lower triangle is neither read nor written. Threads come from {@code pool}; the result does not depend on
     * their number.
     *
     * @throws IllegalArgumentException "matrix is not positive definite: pivot j is d" naming the first pivot
     *     (0-based) of the Cholesky factorisation that is not positive; A is then partly overwritten
     */
    void invertUpper(MemorySegment a, int n, int lda, KernelThreads pool);

    /**
     * As {@link #invertUpper(MemorySegment, int, int, KernelThreads)}, calling {@code progress} with the fraction
     * of the work done (in (0, 1]) after each step; an implementation that is one native call never calls it.
     */
    default void invertUpper(MemorySegment a, int n, int lda, KernelThreads pool, DoubleConsumer progress) {
        invertUpper(a, n, lda, pool);
    }

    /** The message for a failed pivot, shared by every implementation. */
    static IllegalArgumentException notPositiveDefinite(int pivot, double value) {
        return new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                "matrix is not positive definite: pivot %d is %.4g (the leading %dx%d block is not positive definite)",
                pivot, value, pivot + 1, pivot + 1));
    }
}
