package dev.sparsecf.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** The plain loop for {@code G += A^T * D}; the test oracle and the benchmark baseline. */
final class ScalarSpmmTranspose implements SpmmTransposeKernel {

    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;

    @Override
    public void spmmTransposeAccumulate(CsrMatrix a, DenseMatrix d, DenseMatrix g, int colFrom, int colTo) {
        MemorySegment ds = d.segment();
        MemorySegment gs = g.segment();
        long ldd = d.ld();
        long ldg = g.ld();
        for (int i = 0; i < a.rows(); i++) {
            long dRow = i * ldd;
            for (int p = a.rowStart(i); p < a.rowEnd(i); p++) {
                long gRow = a.col(p) * ldg;
                float w = a.value(p);
                for (int j = colFrom; j < colTo; j++) {
                    gs.setAtIndex(F, gRow + j, gs.getAtIndex(F, gRow + j) + w * ds.getAtIndex(F, dRow + j));
                }
            }
        }
    }
}
