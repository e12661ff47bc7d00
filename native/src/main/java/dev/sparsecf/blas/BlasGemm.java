package dev.sparsecf.blas;

import dev.sparsecf.kernels.DenseMatrix;
import dev.sparsecf.kernels.GemmKernel;
import java.lang.foreign.MemorySegment;

/**
 * {@link GemmKernel} on a native row-major sgemm (OpenBLAS {@code cblas_sgemm} or oneDNN {@code dnnl_sgemm}): one call
 * per block, threaded by the library itself.
 */
final class BlasGemm implements GemmKernel {

    /** A row-major sgemm with BLAS arguments, unchecked (as {@link OpenBlas#sgemm}). */
    @FunctionalInterface
    interface Sgemm {
        void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, MemorySegment a, int lda,
                   MemorySegment b, int ldb, float beta, MemorySegment c, int ldc);
    }

    private final Sgemm library;

    BlasGemm(Sgemm library) {
        this.library = library;
    }

    @Override
    public void gemm(boolean transA, boolean transB, float alpha, DenseMatrix a, DenseMatrix b, float beta, DenseMatrix c,
                     int rowFrom, int rowTo, int colFrom, int colTo) {
        int m = rowTo - rowFrom;
        int n = colTo - colFrom;
        if (m <= 0 || n <= 0) {
            return;
        }
        int k = transA ? a.rows() : a.cols();
        // The block's operands start at its first row of op(A) and first column of op(B): a row of A, or a column
        // of the stored A^T (likewise for B), so only the start address moves and lda/ldb stay.
        MemorySegment aBlock = a.segment().asSlice((transA ? rowFrom : (long) rowFrom * a.ld()) * Float.BYTES);
        MemorySegment bBlock = b.segment().asSlice((transB ? (long) colFrom * b.ld() : colFrom) * Float.BYTES);
        MemorySegment cBlock = c.segment().asSlice(((long) rowFrom * c.ld() + colFrom) * Float.BYTES);
        library.sgemm(transA, transB, m, n, k, alpha, aBlock, a.ld(), bBlock, b.ld(), beta, cBlock, c.ld());
    }
}
