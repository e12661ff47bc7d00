package dev.sparsecf.kernels.panama;

import static dev.sparsecf.kernels.panama.PanamaVectorConstants.FLOATS;
import static dev.sparsecf.kernels.panama.PanamaVectorConstants.LANES;

import dev.sparsecf.kernels.CsrMatrix;
import dev.sparsecf.kernels.CsrProductKernel;
import dev.sparsecf.kernels.DenseMatrix;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;

/**
 * Each row of C is accumulated in a heap float array (n floats per call, reused across rows): a run of B's row is
 * copied in bulk to small index and value arrays, then added by vector gather-add-scatter (B's columns are strictly
 * increasing within a row, so no two lanes hit the same element); the row is written to C with vector stores. Each
 * element gets the same float additions in the same order as the scalar oracle, so the bits agree.
 */
final class PanamaCsrProduct implements CsrProductKernel {

    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    /** Entries of B's row copied per step: small enough for L1, many vectors long. */
    private static final int RUN = 256;

    @Override
    public void multiply(CsrMatrix a, CsrMatrix b, DenseMatrix c, int from, int to) {
        int n = c.cols();
        float[] acc = new float[n];
        int[] idx = new int[RUN];
        float[] val = new float[RUN];
        if (b.isBinary()) {
            Arrays.fill(val, 1f);
        }
        MemorySegment cs = c.segment();
        for (int u = from; u < to; u++) {
            for (int p = a.rowStart(u); p < a.rowEnd(u); p++) {
                float w = a.isBinary() ? 1f : a.value(p);
                int i = a.col(p);
                for (int q = b.rowStart(i); q < b.rowEnd(i); q += RUN) {
                    int len = Math.min(RUN, b.rowEnd(i) - q);
                    MemorySegment.copy(b.colIdx(), ValueLayout.JAVA_INT, (long) q * Integer.BYTES, idx, 0, len);
                    if (!b.isBinary()) {
                        MemorySegment.copy(b.values(), ValueLayout.JAVA_FLOAT, (long) q * Float.BYTES, val, 0, len);
                    }
                    addRun(acc, idx, val, len, w);
                }
            }
            long row = (long) u * c.ld() * Float.BYTES;
            int j = 0;
            for (; j < FLOATS.loopBound(n); j += LANES) {
                FloatVector.fromArray(FLOATS, acc, j).intoMemorySegment(cs, row + (long) j * Float.BYTES, ORDER);
            }
            for (; j < n; j++) {
                cs.set(ValueLayout.JAVA_FLOAT, row + (long) j * Float.BYTES, acc[j]);
            }
            Arrays.fill(acc, 0f);
        }
    }

    /** {@code acc[idx[t]] += w * val[t]} for {@code t < len}. */
    private static void addRun(float[] acc, int[] idx, float[] val, int len, float w) {
        int t = 0;
        for (; t < FLOATS.loopBound(len); t += LANES) {
            FloatVector.fromArray(FLOATS, acc, 0, idx, t)
                    .add(FloatVector.fromArray(FLOATS, val, t).mul(w))
                    .intoArray(acc, 0, idx, t);
        }
        for (; t < len; t++) {
            acc[idx[t]] += w * val[t];
        }
    }
}
