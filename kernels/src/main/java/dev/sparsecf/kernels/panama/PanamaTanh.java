package dev.sparsecf.kernels.panama;

import static dev.sparsecf.kernels.panama.PanamaVectorConstants.FLOATS;

import dev.sparsecf.kernels.DenseMatrix;
import dev.sparsecf.kernels.TanhKernel;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Lanewise TANH on float vectors, intrinsified through the JDK's vector math library (SVML on x86); a masked
 * tail covers the last partial vector of each row, so the padding is neither read into results nor written.
 */
final class PanamaTanh implements TanhKernel {

    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    @Override
    public void tanh(DenseMatrix x, int rowFrom, int rowTo) {
        MemorySegment s = x.segment();
        int n = x.cols();
        int bound = FLOATS.loopBound(n);
        for (int i = rowFrom; i < rowTo; i++) {
            long row = x.offset(i, 0);
            int j = 0;
            for (; j < bound; j += FLOATS.length()) {
                long o = row + (long) j * Float.BYTES;
                FloatVector.fromMemorySegment(FLOATS, s, o, ORDER).lanewise(VectorOperators.TANH).intoMemorySegment(s, o, ORDER);
            }
            if (j < n) {
                tail(s, row, j, n);
            }
        }
    }

    /** The masked last partial vector of a row, out of line so the main loop stays small for C1 and C2. */
    private static void tail(MemorySegment s, long row, int j, int n) {
        VectorMask<Float> m = FLOATS.indexInRange(j, n);
        long o = row + (long) j * Float.BYTES;
        FloatVector.fromMemorySegment(FLOATS, s, o, ORDER, m).lanewise(VectorOperators.TANH).intoMemorySegment(s, o, ORDER, m);
    }
}
