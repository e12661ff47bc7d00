package dev.sparsecf.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Row by row: clear C's row, then add {@code a_ui * B[i, :]} for each entry of A's row, straight into C: the oracle. */
final class ScalarCsrProduct implements CsrProductKernel {

    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;

    @Override
    public void multiply(CsrMatrix a, CsrMatrix b, DenseMatrix c, int from, int to) {
        MemorySegment cs = c.segment();
        for (int u = from; u < to; u++) {
            long row = (long) u * c.ld();
            cs.asSlice(row * Float.BYTES, (long) c.cols() * Float.BYTES).fill((byte) 0);
            for (int p = a.rowStart(u); p < a.rowEnd(u); p++) {
                float w = a.isBinary() ? 1f : a.value(p);
                int i = a.col(p);
                for (int q = b.rowStart(i); q < b.rowEnd(i); q++) {
                    long at = row + b.col(q);
                    cs.setAtIndex(F, at, cs.getAtIndex(F, at) + w * (b.isBinary() ? 1f : b.value(q)));
                }
            }
        }
    }
}
