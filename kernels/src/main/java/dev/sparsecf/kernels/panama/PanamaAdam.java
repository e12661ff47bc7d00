package dev.sparsecf.kernels.panama;

import static dev.sparsecf.kernels.panama.PanamaVectorConstants.FLOATS;

import dev.sparsecf.kernels.AdamKernel;
import dev.sparsecf.kernels.DenseMatrix;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;

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
        float c1 = 1 - beta1;
        float c2 = 1 - beta2;
        for (int i = rowFrom; i < rowTo; i++) {
            long p = param.offset(i, 0);
            long g = grad.offset(i, 0);
            long mo = m.offset(i, 0);
            long vo = v.offset(i, 0);
            // Every vector is created and consumed in this loop body, with no calls in between, so C2 keeps them
            // in registers whatever it decides to inline; a helper taking or returning vectors (or a mask) boxed
            // them in some compilations and not others.
            for (int j = 0; j < bound; j += FLOATS.length()) {
                long o = (long) j * Float.BYTES;
                FloatVector w = FloatVector.fromMemorySegment(FLOATS, ps, p + o, ORDER);
                FloatVector gj = FloatVector.fromMemorySegment(FLOATS, gs, g + o, ORDER).add(w.mul(decay));
                FloatVector mj = FloatVector.fromMemorySegment(FLOATS, ms, mo + o, ORDER).mul(beta1).add(gj.mul(c1));
                FloatVector vj = FloatVector.fromMemorySegment(FLOATS, vs, vo + o, ORDER).mul(beta2).add(gj.mul(c2).mul(gj));
                mj.intoMemorySegment(ms, mo + o, ORDER);
                vj.intoMemorySegment(vs, vo + o, ORDER);
                w.sub(mj.mul(stepSize).div(vj.sqrt().add(epsilon))).intoMemorySegment(ps, p + o, ORDER);
            }
        }
        // Each row's last n % 16 elements, element by element by the oracle itself: a masked vector here was boxed per
        // row in some compilations (about 1 MB per call at 20,108 x 600). An allocated matrix pads its rows to 16
        // floats, so the tails are cache lines of their own and this second pass moves no extra bytes.
        AdamKernel.updateElements(param, grad, m, v, stepSize, beta1, beta2, epsilon, decay, rowFrom, rowTo, bound, n);
    }
}
