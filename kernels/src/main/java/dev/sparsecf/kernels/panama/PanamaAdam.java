package dev.sparsecf.kernels.panama;

import static dev.sparsecf.kernels.panama.PanamaVectorConstants.FLOATS;

import dev.sparsecf.kernels.AdamKernel;
import dev.sparsecf.kernels.DenseMatrix;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;

/**
 * The Adam step on float vectors, in the scalar oracle's order of operations: separate IEEE multiplies, adds,
 * a correctly rounded SQRT and a divide per lane (no FMA), so the result is bit-identical to it.
 */
final class PanamaAdam implements AdamKernel {

    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;

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
            // The row's last n % 16 elements element by element: a masked vector here was boxed per row in some
            // compilations (about 1 MB per call at 20,108 x 600).
            for (int j = bound; j < n; j++) {
                long o = (long) j * Float.BYTES;
                float w = ps.get(F, p + o);
                float gj = gs.get(F, g + o) + w * decay;
                float mj = ms.get(F, mo + o) * beta1 + gj * c1;
                float vj = vs.get(F, vo + o) * beta2 + gj * c2 * gj;
                ms.set(F, mo + o, mj);
                vs.set(F, vo + o, vj);
                ps.set(F, p + o, w - mj * stepSize / ((float) Math.sqrt(vj) + epsilon));
            }
        }
    }
}
