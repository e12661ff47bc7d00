package dev.sparsecf.blas;

import dev.sparsecf.kernels.CholeskyInverseKernel;
import dev.sparsecf.kernels.DenseMatrix;
import dev.sparsecf.kernels.FloatCholeskyInverseKernel;
import dev.sparsecf.kernels.KernelThreads;
import java.lang.foreign.MemorySegment;
import java.util.function.DoubleConsumer;

/**
 * The SPD inverse on OpenBLAS LAPACKE ?potrf + ?potri, in double and float32, threaded by OpenBLAS itself (the
 * pool is not used). A non-SPD input names the leading minor LAPACK reports. Large matrices are factorised in
 * column blocks so that a long fit reports progress (see {@link InverseEta}).
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

    /** Progress per factorisation block above {@code 2 * OpenBlas.POTRF_BLOCK} columns, then potri's estimate. */
    @Override
    public void invertUpper(MemorySegment a, int n, int lda, KernelThreads pool, DoubleConsumer progress) {
        openBlas.dpotrfInverse(a, n, lda, OpenBlas.POTRF_BLOCK, progress);
    }

    @Override
    public void invertUpper(DenseMatrix a, DoubleConsumer progress) {
        openBlas.spotrfInverse(a.segment(), a.rows(), a.ld(), progress);
    }
}
