package dev.sparsecf.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** The plain loop a Java developer would write; the test oracle and the benchmark baseline for SpMM. */
final class ScalarSpmm implements SpmmKernel {

    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;

    @Override
    public void spmm(CsrMatrix a, DenseMatrix b, float[] rowScale, MemorySegment bias, DenseMatrix c, int rowFrom, int rowTo) {
        MemorySegment bs = b.segment();
        MemorySegment cs = c.segment();
        int n = c.cols();
        long ldb = b.ld();
        long ldc = c.ld();
        for (int i = rowFrom; i < rowTo; i++) {
            long cRow = i * ldc;
            for (int j = 0; j < n; j++) {
                cs.setAtIndex(F, cRow + j, 0f);
            }
            for (int p = a.rowStart(i); p < a.rowEnd(i); p++) {
                long bRow = a.col(p) * ldb;
                float w = a.value(p);
                for (int j = 0; j < n; j++) {
                    cs.setAtIndex(F, cRow + j, cs.getAtIndex(F, cRow + j) + w * bs.getAtIndex(F, bRow + j));
                }
            }
            float s = rowScale == null ? 1f : rowScale[i];
            for (int j = 0; j < n; j++) {
                float v = s * cs.getAtIndex(F, cRow + j);
                cs.setAtIndex(F, cRow + j, bias == null ? v : v + bias.getAtIndex(F, j));
            }
        }
    }
}
