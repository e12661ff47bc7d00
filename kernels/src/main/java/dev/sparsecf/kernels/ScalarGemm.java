package dev.sparsecf.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** The naive triple loop (one float dot product per element of C): the test oracle and the baseline for GEMM. */
final class ScalarGemm implements GemmKernel {

    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;

    @Override
    public void gemm(boolean transA, boolean transB, float alpha, DenseMatrix a, DenseMatrix b, float beta, DenseMatrix c,
                     int rowFrom, int rowTo, int colFrom, int colTo) {
        MemorySegment as = a.segment();
        MemorySegment bs = b.segment();
        MemorySegment cs = c.segment();
        int k = transA ? a.rows() : a.cols();
        // element (i, p) of op(A) is at i * aRow + p * aCol; likewise for op(B)
        long aRow = transA ? 1 : a.ld();
        long aCol = transA ? a.ld() : 1;
        long bRow = transB ? 1 : b.ld();
        long bCol = transB ? b.ld() : 1;
        long ldc = c.ld();
        for (int i = rowFrom; i < rowTo; i++) {
            for (int j = colFrom; j < colTo; j++) {
                float sum = 0f;
                for (int p = 0; p < k; p++) {
                    sum += as.getAtIndex(F, i * aRow + p * aCol) * bs.getAtIndex(F, p * bRow + j * bCol);
                }
                long at = i * ldc + j;
                cs.setAtIndex(F, at, beta == 0f ? alpha * sum : alpha * sum + beta * cs.getAtIndex(F, at));
            }
        }
    }
}
