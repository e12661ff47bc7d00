package dev.sparsecf.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** {@code (float) Math.tanh} per element: within half a float ulp (plus Math.tanh's 2.5 double ulps); the oracle. */
final class ScalarTanh implements TanhKernel {

    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;

    @Override
    public void tanh(DenseMatrix x, int rowFrom, int rowTo) {
        MemorySegment s = x.segment();
        int n = x.cols();
        for (int i = rowFrom; i < rowTo; i++) {
            long base = (long) i * x.ld();
            for (int j = 0; j < n; j++) {
                s.setAtIndex(F, base + j, (float) Math.tanh(s.getAtIndex(F, base + j)));
            }
        }
    }
}
