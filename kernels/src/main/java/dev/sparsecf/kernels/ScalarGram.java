package dev.sparsecf.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Every pair of items (i <= j) of every row adds 1 to {@code G[i][j]}, straight into G: the test oracle; one thread. */
final class ScalarGram implements GramKernel {

    private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;

    @Override
    public void gramUpper(CsrMatrix x, MemorySegment g, int ldg, KernelThreads pool) {
        int n = x.cols();
        for (int i = 0; i < n; i++) {
            g.asSlice(((long) i * ldg + i) * Double.BYTES, (long) (n - i) * Double.BYTES).fill((byte) 0);
        }
        for (int u = 0; u < x.rows(); u++) {
            for (int p = x.rowStart(u); p < x.rowEnd(u); p++) {
                long row = (long) x.col(p) * ldg;
                for (int q = p; q < x.rowEnd(u); q++) { // columns are sorted: col(q) >= col(p)
                    long at = row + x.col(q);
                    g.setAtIndex(D, at, g.getAtIndex(D, at) + 1);
                }
            }
        }
    }
}
