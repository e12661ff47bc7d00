package dev.sparsecf.blas;

import dev.sparsecf.kernels.DenseMatrix;
import dev.sparsecf.kernels.Kernels;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * The dense products and inverses a model needs, routed once to the backend {@code -Dsparsecf.blas} chose: OpenBLAS
 * ({@link OpenBlas}) or the pure-Java kernels ({@link Kernels#gemm}, scalar or Panama per
 * {@code -Dsparsecf.kernels}). Models depend on this class, never on {@code org.bytedeco}.
 */
public final class DenseAlgebra {

    private final Kernels kernels;
    private final BlasProvider blas;
    private final OpenBlas openBlas; // null when the Java kernels are used

    private DenseAlgebra(Kernels kernels, BlasProvider blas) {
        this.kernels = Objects.requireNonNull(kernels, "kernels");
        this.blas = Objects.requireNonNull(blas, "blas");
        this.openBlas = blas.openBlas().orElse(null);
    }

    /** The process-wide choice: {@link Kernels#get()} and {@link BlasProvider#get()}. */
    public static DenseAlgebra get() {
        return new DenseAlgebra(Kernels.get(), BlasProvider.get());
    }

    /** An explicit pairing of Java kernels and BLAS backend (tests, benchmarks). */
    public static DenseAlgebra of(Kernels kernels, BlasProvider blas) {
        return new DenseAlgebra(kernels, blas);
    }

    /** The sparse and Java dense kernels. */
    public Kernels kernels() {
        return kernels;
    }

    /** {@code openblas} or {@code java/<kernels>}: which code runs the dense products. */
    public String implementationName() {
        return openBlas != null ? blas.implementationName() : "java/" + kernels.implementationName();
    }

    /** {@code C = alpha * op(A) * op(B) + beta * C} on the chosen backend; shapes as in {@link Kernels#gemm}. */
    public void gemm(boolean transA, boolean transB, float alpha, DenseMatrix a, DenseMatrix b, float beta, DenseMatrix c) {
        if (openBlas != null) {
            openBlas.sgemm(transA, transB, alpha, a, b, beta, c);
        } else {
            kernels.gemm(transA, transB, alpha, a, b, beta, c);
        }
    }

    /**
     * Replaces the symmetric positive definite {@code A[n x n]} (double, row-major, leading dimension
     * {@code lda}, upper triangle read) by its inverse in place (potrf + potri), mirrored into the lower
     * triangle when {@code fillLower}.
     *
     * @throws IllegalArgumentException when A is not positive definite (the message names the failing pivot)
     */
    public void invertSpd(MemorySegment a, int n, int lda, boolean fillLower) {
        if (openBlas != null) {
            openBlas.dpotrfInverse(a, n, lda, fillLower);
        } else {
            kernels.invertSpd(a, n, lda, fillLower);
        }
    }

    /** Whether {@link #invertSpdFloat} is available: OpenBLAS has spotrf + spotri; the Java kernels are double only. */
    public boolean hasFloatInverse() {
        return openBlas != null;
    }

    /**
     * The float32 version of {@link #invertSpd}: the square SPD {@code a} (upper triangle read) is replaced by its
     * inverse in place (spotrf + spotri), mirrored into the lower triangle when {@code fillLower}.
     *
     * @throws UnsupportedOperationException on the Java backend (see {@link #hasFloatInverse()})
     * @throws IllegalArgumentException      when A is not positive definite (the message names the failing pivot)
     */
    public void invertSpdFloat(DenseMatrix a, boolean fillLower) {
        if (openBlas == null) {
            throw new UnsupportedOperationException("a float32 SPD inverse needs OpenBLAS (-D" + BlasProvider.BLAS_PROPERTY
                    + "=openblas); the " + implementationName() + " backend inverts in double only");
        }
        openBlas.spotrfInverse(a, fillLower);
    }
}
