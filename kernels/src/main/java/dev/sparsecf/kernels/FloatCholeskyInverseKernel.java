package dev.sparsecf.kernels;

import java.util.function.DoubleConsumer;

/** In-place float32 inverse of a symmetric positive definite matrix (LAPACK spotrf + spotri semantics, upper). */
public interface FloatCholeskyInverseKernel {

    /**
     * Replaces the upper triangle ({@code j >= i}) of the square SPD {@code a} (only the upper triangle is read) by
     * the upper triangle of {@code inv(a)}; the strict lower triangle is neither read nor written.
     *
     * @throws IllegalArgumentException when {@code a} is not positive definite (the message names the failing pivot)
     */
    default void invertUpper(DenseMatrix a) {
        invertUpper(a, done -> { });
    }

    /** As {@link #invertUpper(DenseMatrix)}, telling {@code progress} the share of the work done, as it can. */
    void invertUpper(DenseMatrix a, DoubleConsumer progress);
}
