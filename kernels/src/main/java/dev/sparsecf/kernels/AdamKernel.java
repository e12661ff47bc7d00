package dev.sparsecf.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * One in-place Adam step over a row range of same-shape matrices, in float with separate multiplies and adds
 * (no FMA), so that every implementation gives bit-identical results:
 * {@code g = grad + decay * w; m = beta1 * m + (1 - beta1) * g; v = beta2 * v + (1 - beta2) * g * g;
 * w -= stepSize * m / (sqrt(v) + epsilon)}.
 */
public interface AdamKernel {

    /** Rows {@code [rowFrom, rowTo)} of {@code param}, {@code m} and {@code v}; {@code grad} is only read. */
    void update(DenseMatrix param, DenseMatrix grad, DenseMatrix m, DenseMatrix v, float stepSize, float beta1, float beta2,
                float epsilon, float decay, int rowFrom, int rowTo);

    /**
     * The step on columns {@code [colFrom, colTo)} of rows {@code [rowFrom, rowTo)}, element by element in the order
     * above: the scalar oracle, and the row tails of vector implementations (so that both share one formula).
     */
    static void updateElements(DenseMatrix param, DenseMatrix grad, DenseMatrix m, DenseMatrix v, float stepSize,
                               float beta1, float beta2, float epsilon, float decay, int rowFrom, int rowTo,
                               int colFrom, int colTo) {
        ValueLayout.OfFloat f = ValueLayout.JAVA_FLOAT;
        MemorySegment ps = param.segment();
        MemorySegment gs = grad.segment();
        MemorySegment ms = m.segment();
        MemorySegment vs = v.segment();
        float c1 = 1 - beta1;
        float c2 = 1 - beta2;
        int count = colTo - colFrom;
        for (int i = rowFrom; i < rowTo; i++) {
            long p = (long) i * param.ld() + colFrom;
            long g = (long) i * grad.ld() + colFrom;
            long mo = (long) i * m.ld() + colFrom;
            long vo = (long) i * v.ld() + colFrom;
            // j from 0, the column offset folded into the row bases: a loop from colFrom ran the scalar kernel about
            // 40% slower (C2 vectorises this loop; measured with alternating calls of both versions)
            for (int j = 0; j < count; j++) {
                float w = ps.getAtIndex(f, p + j);
                float gj = gs.getAtIndex(f, g + j) + decay * w;
                float mj = beta1 * ms.getAtIndex(f, mo + j) + c1 * gj;
                float vj = beta2 * vs.getAtIndex(f, vo + j) + c2 * gj * gj;
                ms.setAtIndex(f, mo + j, mj);
                vs.setAtIndex(f, vo + j, vj);
                // a float sqrt rounded from double is the correctly rounded float sqrt (IEEE), as the vector SQRT
                ps.setAtIndex(f, p + j, w - stepSize * mj / ((float) Math.sqrt(vj) + epsilon));
            }
        }
    }
}
