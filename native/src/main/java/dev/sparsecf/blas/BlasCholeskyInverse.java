package dev.sparsecf.blas;

import dev.sparsecf.kernels.CholeskyInverseKernel;
import dev.sparsecf.kernels.DenseMatrix;
import dev.sparsecf.kernels.FloatCholeskyInverseKernel;
import dev.sparsecf.kernels.KernelThreads;
import java.lang.foreign.MemorySegment;

/**
 * The SPD inverse on OpenBLAS LAPACKE ?potrf + ?potri, in double and float32, threaded by OpenBLAS itself (the
 * pool is not used). A non-SPD input names the leading minor LAPACK reports.
 */
final class BlasCholeskyInverse implements CholeskyInverseKernel, FloatCholeskyInverseKernel {

    private final OpenBlas openBlas;

    BlasCholeskyInverse(OpenBlas openBlas) {
        this.openBlas = openBlas;
    }

    @Override
    public void invertUpper(MemorySegment a, int n, int lda, KernelThreads pool) {
        openBlas.dpotrfInverse(a, n, lda);
    }

    @Override
    public void invertUpper(DenseMatrix a) {
        openBlas.spotrfInverse(a.segment(), a.rows(), a.ld());
    }
}
