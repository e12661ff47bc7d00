package dev.sparsecf.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** The Adam step as a plain loop: the oracle every other implementation must match bit for bit. */
final class ScalarAdam implements AdamKernel {

    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;

    @Override
    public void update(DenseMatrix param, DenseMatrix grad, DenseMatrix m, DenseMatrix v, float stepSize, float beta1,
                       float beta2, float epsilon, float decay, int rowFrom, int rowTo) {
        MemorySegment ps = param.segment();
        MemorySegment gs = grad.segment();
        MemorySegment ms = m.segment();
        MemorySegment vs = v.segment();
        int n = param.cols();
        float c1 = 1 - beta1;
        float c2 = 1 - beta2;
        for (int i = rowFrom; i < rowTo; i++) {
            long p = (long) i * param.ld();
            long g = (long) i * grad.ld();
            long mo = (long) i * m.ld();
            long vo = (long) i * v.ld();
            for (int j = 0; j < n; j++) {
                float w = ps.getAtIndex(F, p + j);
                float gj = gs.getAtIndex(F, g + j) + decay * w;
                float mj = beta1 * ms.getAtIndex(F, mo + j) + c1 * gj;
                float vj = beta2 * vs.getAtIndex(F, vo + j) + c2 * gj * gj;
                ms.setAtIndex(F, mo + j, mj);
                vs.setAtIndex(F, vo + j, vj);
                // a float sqrt rounded from double is the correctly rounded float sqrt (IEEE), as the vector SQRT
                ps.setAtIndex(F, p + j, w - stepSize * mj / ((float) Math.sqrt(vj) + epsilon));
            }
        }
    }
}
