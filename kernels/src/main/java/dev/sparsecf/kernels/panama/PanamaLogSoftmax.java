package dev.sparsecf.kernels.panama;

import static dev.sparsecf.kernels.panama.PanamaVectorConstants.FLOATS;

import dev.sparsecf.kernels.CsrMatrix;
import dev.sparsecf.kernels.DenseMatrix;
import dev.sparsecf.kernels.LogSoftmaxKernel;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Fused log-softmax likelihood with one exponential per element: sweep 1 finds the row max (and, for dense
 * targets, sum(x) and x.z), sweep 2 writes {@code e_j = exp(z_j - max)} into the gradient row and sums it, and
 * sweep 3 scales that row in place by {@code sumX / sum(e)} (and subtracts dense targets) while it is still in
 * L2 (80 KB at 20,108 items). The exp is {@link PanamaExp} (within 1.011 float ulps, flushing results below
 * 2^-125.5 to 0), not the Vector API's EXP: the same bits in every run. Per-lane float sums; the log-sum-exp is finished in double.
 * No vector crosses a call to a method of this project (helpers take segments and return scalars): C2 inlines such a
 * call or not depending on the JIT's order, and a vector passed to one it does not inline is allocated.
 */
final class PanamaLogSoftmax implements LogSoftmaxKernel {

    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;

    /**
     * Start value of the row max: finite, so that {@code exp(-inf - max)} is 0 rather than NaN in a row whose
     * logits are all -inf (masked items).
     */
    private static final float LOWEST = -Float.MAX_VALUE;

    @Override
    public void sparseTargets(DenseMatrix logits, CsrMatrix targets, DenseMatrix grad, double[] rowLoss, int rowFrom, int rowTo) {
        MemorySegment zs = logits.segment();
        MemorySegment gs = grad.segment();
        int n = logits.cols();
        for (int i = rowFrom; i < rowTo; i++) {
            long zRow = logits.offset(i, 0);
            long gRow = grad.offset(i, 0);
            float max = rowMax(zs, zRow, n);
            double sumX = 0;
            double dot = 0; // read before an in-place gradient overwrites z
            for (int p = targets.rowStart(i); p < targets.rowEnd(i); p++) {
                double x = targets.value(p);
                sumX += x;
                if (x != 0) { // 0 * log 0 = 0: a zero weight on a masked (-inf) logit adds nothing, not NaN
                    dot += x * zs.get(F, zRow + (long) targets.col(p) * Float.BYTES);
                }
            }
            double sumExp = PanamaExp.expRow(zs, zRow, gs, gRow, n, max);
            rowLoss[i] = sumX * (max + Math.log(sumExp)) - dot;
            scaleRow(gs, gRow, n, (float) (sumX / sumExp), null, 0);
            for (int p = targets.rowStart(i); p < targets.rowEnd(i); p++) {
                long at = gRow + (long) targets.col(p) * Float.BYTES;
                gs.set(F, at, gs.get(F, at) - targets.value(p));
            }
        }
    }

    @Override
    public void denseTargets(DenseMatrix logits, DenseMatrix targets, DenseMatrix grad, double[] rowLoss, int rowFrom, int rowTo) {
        MemorySegment zs = logits.segment();
        MemorySegment xs = targets.segment();
        MemorySegment gs = grad.segment();
        int n = logits.cols();
        int bound = FLOATS.loopBound(n);
        for (int i = rowFrom; i < rowTo; i++) {
            long zRow = logits.offset(i, 0);
            long xRow = targets.offset(i, 0);
            long gRow = grad.offset(i, 0);
            // sum(x) and x.z ride along with the max sweep, before an in-place gradient overwrites z
            FloatVector max = FloatVector.broadcast(FLOATS, LOWEST);
            FloatVector sumX = FloatVector.zero(FLOATS);
            FloatVector dot = FloatVector.zero(FLOATS);
            for (int j = 0; j < n; j += FLOATS.length()) {
                long o = (long) j * Float.BYTES;
                FloatVector z;
                FloatVector x;
                if (j < bound) {
                    z = FloatVector.fromMemorySegment(FLOATS, zs, zRow + o, ORDER);
                    x = FloatVector.fromMemorySegment(FLOATS, xs, xRow + o, ORDER);
                } else { // inactive lanes: z = -inf (no effect on the max), x = 0
                    VectorMask<Float> m = FLOATS.indexInRange(j, n);
                    z = FloatVector.broadcast(FLOATS, Float.NEGATIVE_INFINITY).blend(FloatVector.fromMemorySegment(FLOATS, zs, zRow + o, ORDER, m), m);
                    x = FloatVector.fromMemorySegment(FLOATS, xs, xRow + o, ORDER, m);
                }
                sumX = sumX.add(x);
                // z zeroed where x is 0, so that x * z is 0 rather than NaN for masked (-inf) logits
                dot = x.fma(z.blend(0f, x.compare(VectorOperators.EQ, 0f)), dot);
                max = max.blend(z, z.compare(VectorOperators.GT, max)); // as in rowMax
            }
            float rowMax = max.reduceLanes(VectorOperators.MAX);
            double totalX = 0;
            double totalDot = 0;
            for (int l = 0; l < FLOATS.length(); l++) { // in lane order: the same bits in every JIT tier
                totalX += sumX.lane(l);
                totalDot += dot.lane(l);
            }
            double sumExp = PanamaExp.expRow(zs, zRow, gs, gRow, n, rowMax);
            rowLoss[i] = totalX * (rowMax + Math.log(sumExp)) - totalDot;
            scaleRow(gs, gRow, n, (float) (totalX / sumExp), xs, xRow);
        }
    }

    /**
     * Sweep 1: the row's largest logit (at least {@link #LOWEST}), as lanewise {@code z > max ? z : max}: a compare
     * and a blend, where {@code max()} with {@code Math.max}'s NaN and signed-zero rules costs several instructions
     * per vector. A NaN logit is skipped here and makes its row's sum, loss and gradient NaN in sweep 2.
     */
    private static float rowMax(MemorySegment zs, long zRow, int n) {
        FloatVector max = FloatVector.broadcast(FLOATS, LOWEST);
        int bound = FLOATS.loopBound(n);
        for (int j = 0; j < n; j += FLOATS.length()) {
            long o = (long) j * Float.BYTES;
            FloatVector z;
            if (j < bound) {
                z = FloatVector.fromMemorySegment(FLOATS, zs, zRow + o, ORDER);
            } else { // inactive lanes read as -inf
                VectorMask<Float> m = FLOATS.indexInRange(j, n);
                z = FloatVector.broadcast(FLOATS, Float.NEGATIVE_INFINITY).blend(FloatVector.fromMemorySegment(FLOATS, zs, zRow + o, ORDER, m), m);
            }
            max = max.blend(z, z.compare(VectorOperators.GT, max));
        }
        return max.reduceLanes(VectorOperators.MAX);
    }

    /** Sweep 3: {@code g = g * scale - x} in place ({@code x} dense, or null when handled sparsely). */
    private static void scaleRow(MemorySegment gs, long gRow, int n, float scale, MemorySegment xs, long xRow) {
        int bound = FLOATS.loopBound(n);
        int j = 0;
        for (; j < bound; j += FLOATS.length()) {
            long o = (long) j * Float.BYTES;
            FloatVector g = FloatVector.fromMemorySegment(FLOATS, gs, gRow + o, ORDER).mul(scale);
            if (xs != null) {
                g = g.sub(FloatVector.fromMemorySegment(FLOATS, xs, xRow + o, ORDER));
            }
            g.intoMemorySegment(gs, gRow + o, ORDER);
        }
        if (j < n) {
            VectorMask<Float> m = FLOATS.indexInRange(j, n);
            long o = (long) j * Float.BYTES;
            FloatVector g = FloatVector.fromMemorySegment(FLOATS, gs, gRow + o, ORDER, m).mul(scale);
            if (xs != null) {
                g = g.sub(FloatVector.fromMemorySegment(FLOATS, xs, xRow + o, ORDER, m));
            }
            g.intoMemorySegment(gs, gRow + o, ORDER, m);
        }
    }
}
