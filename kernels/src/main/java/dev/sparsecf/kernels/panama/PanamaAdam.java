package dev.sparsecf.kernels.panama;

import static dev.sparsecf.kernels.panama.PanamaVectorConstants.FLOATS;

import dev.sparsecf.kernels.AdamKernel;
import dev.sparsecf.kernels.DenseMatrix;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * The Adam step on float vectors, in the scalar oracle's order of operations: separate IEEE multiplies, adds,
 * a correctly rounded SQRT and a divide per lane (no FMA), so the result is bit-identical to it.
 */
final class PanamaAdam implements AdamKernel {

    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    @Override
    public void update(DenseMatrix param, DenseMatrix grad, DenseMatrix m, DenseMatrix v, float stepSize, float beta1,
                       float beta2, float epsilon, float decay, int rowFrom, int rowTo) {
        MemorySegment ps = param.segment();
        MemorySegment gs = grad.segment();
        MemorySegment ms = m.segment();
        MemorySegment vs = v.segment();
        int n = param.cols();
        int bound = FLOATS.loopBound(n);
        Step step = new Step(stepSize, beta1, 1 - beta1, beta2, 1 - beta2, epsilon, decay);
        for (int i = rowFrom; i < rowTo; i++) {
            long p = param.offset(i, 0);
            long g = grad.offset(i, 0);
            long mo = m.offset(i, 0);
            long vo = v.offset(i, 0);
            int j = 0;
            for (; j < bound; j += FLOATS.length()) {
                long o = (long) j * Float.BYTES;
                step.apply(ps, p + o, gs, g + o, ms, mo + o, vs, vo + o, null);
            }
            if (j < n) {
                tail(step, ps, p, gs, g, ms, mo, vs, vo, j, n);
            }
        }
    }

    /** The masked last partial vector of a row, out of line so the main loop stays small for C1 and C2. */
    private static void tail(Step step, MemorySegment ps, long p, MemorySegment gs, long g, MemorySegment ms, long mo,
                             MemorySegment vs, long vo, int j, int n) {
        long o = (long) j * Float.BYTES;
        step.apply(ps, p + o, gs, g + o, ms, mo + o, vs, vo + o, FLOATS.indexInRange(j, n));
    }

    /** The step's scalars, {@code c1 = 1 - beta1} and {@code c2 = 1 - beta2} rounded to float as in the oracle. */
    private record Step(float stepSize, float beta1, float c1, float beta2, float c2, float epsilon, float decay) {

        /** One vector of elements at the given byte offsets; {@code mask == null} means all lanes. */
        void apply(MemorySegment ps, long p, MemorySegment gs, long g, MemorySegment ms, long mo, MemorySegment vs, long vo,
                   VectorMask<Float> mask) {
            FloatVector w = load(ps, p, mask);
            FloatVector gj = load(gs, g, mask).add(w.mul(decay));
            FloatVector mj = load(ms, mo, mask).mul(beta1).add(gj.mul(c1));
            FloatVector vj = load(vs, vo, mask).mul(beta2).add(gj.mul(c2).mul(gj));
            FloatVector wj = w.sub(mj.mul(stepSize).div(vj.sqrt().add(epsilon)));
            store(mj, ms, mo, mask);
            store(vj, vs, vo, mask);
            store(wj, ps, p, mask);
        }

        private static FloatVector load(MemorySegment s, long o, VectorMask<Float> mask) {
            return mask == null ? FloatVector.fromMemorySegment(FLOATS, s, o, ORDER)
                    : FloatVector.fromMemorySegment(FLOATS, s, o, ORDER, mask);
        }

        private static void store(FloatVector x, MemorySegment s, long o, VectorMask<Float> mask) {
            if (mask == null) {
                x.intoMemorySegment(s, o, ORDER);
            } else {
                x.intoMemorySegment(s, o, ORDER, mask);
            }
        }
    }
}
