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
 * Fused log-softmax likelihood in two sweeps per row. Sweep 1 is an online (running-max) log-sum-exp: each
 * lane keeps its own max and a sum of exponentials shifted by it, rescaled only when a chunk raises some
 * lane's max (rare after the first chunks, so one EXP per element). Sweep 2 writes the gradient. Lanewise
 * EXP is intrinsified through the JDK's SVML stubs on x86.
 */
final class PanamaLogSoftmax implements LogSoftmaxKernel {

    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;

    /**
     * Start value of the per-lane max: finite, so that {@code exp(-inf - max)} is 0 rather than NaN when a
     * lane has seen only -inf logits (masked items).
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
            double logSumExp = logSumExp(zs, zRow, n);
            double sumX = 0;
            double dot = 0; // read before an in-place gradient overwrites z
            for (int p = targets.rowStart(i); p < targets.rowEnd(i); p++) {
                double x = targets.value(p);
                sumX += x;
                if (x != 0) { // 0 * log 0 = 0: a zero weight on a masked (-inf) logit adds nothing, not NaN
                    dot += x * zs.get(F, zRow + (long) targets.col(p) * Float.BYTES);
                }
            }
            rowLoss[i] = sumX * logSumExp - dot;
            writeSoftmaxTimes(zs, zRow, gs, gRow, n, logSumExp, sumX, null, 0);
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
            // sum(x) and x.z ride along with sweep 1 in the same loop as the log-sum-exp
            FloatVector max = FloatVector.broadcast(FLOATS, LOWEST);
            FloatVector sum = FloatVector.zero(FLOATS);
            FloatVector sumX = FloatVector.zero(FLOATS);
            FloatVector dot = FloatVector.zero(FLOATS);
            int j = 0;
            for (; j < bound; j += FLOATS.length()) {
                long o = (long) j * Float.BYTES;
                FloatVector z = FloatVector.fromMemorySegment(FLOATS, zs, zRow + o, ORDER);
                FloatVector x = FloatVector.fromMemorySegment(FLOATS, xs, xRow + o, ORDER);
                sumX = sumX.add(x);
                dot = x.fma(zeroWhereNoTarget(z, x), dot);
                if (z.compare(VectorOperators.GT, max).anyTrue()) {
                    FloatVector newMax = max.max(z);
                    sum = sum.mul(max.sub(newMax).lanewise(VectorOperators.EXP));
                    max = newMax;
                }
                sum = sum.add(z.sub(max).lanewise(VectorOperators.EXP));
            }
            if (j < n) {
                VectorMask<Float> m = FLOATS.indexInRange(j, n);
                long o = (long) j * Float.BYTES;
                FloatVector z = tailLogits(zs, zRow + o, m);
                FloatVector x = FloatVector.fromMemorySegment(FLOATS, xs, xRow + o, ORDER, m);
                sumX = sumX.add(x);
                dot = x.fma(zeroWhereNoTarget(z, x), dot); // also zeroes the -inf of the inactive lanes
                FloatVector newMax = max.max(z);
                sum = sum.mul(max.sub(newMax).lanewise(VectorOperators.EXP)).add(z.sub(newMax).lanewise(VectorOperators.EXP));
                max = newMax;
            }
            double logSumExp = combineLanes(max, sum);
            double totalX = sumX.reduceLanes(VectorOperators.ADD);
            rowLoss[i] = totalX * logSumExp - dot.reduceLanes(VectorOperators.ADD);
            writeSoftmaxTimes(zs, zRow, gs, gRow, n, logSumExp, totalX, xs, xRow);
        }
    }

    /** {@code z} with 0 where {@code x} is 0, so that {@code x * z} is 0 rather than NaN for masked (-inf) logits. */
    private static FloatVector zeroWhereNoTarget(FloatVector z, FloatVector x) {
        return z.blend(0f, x.compare(VectorOperators.EQ, 0f));
    }

    /** Sweep 1: {@code log(sum_j exp(z_j))} by per-lane online max and rescaled sums. */
    private static double logSumExp(MemorySegment zs, long zRow, int n) {
        FloatVector max = FloatVector.broadcast(FLOATS, LOWEST);
        FloatVector sum = FloatVector.zero(FLOATS);
        int bound = FLOATS.loopBound(n);
        int j = 0;
        for (; j < bound; j += FLOATS.length()) {
            FloatVector z = FloatVector.fromMemorySegment(FLOATS, zs, zRow + (long) j * Float.BYTES, ORDER);
            // rescale only when some lane's max grows; otherwise one EXP per element
            if (z.compare(VectorOperators.GT, max).anyTrue()) {
                FloatVector newMax = max.max(z);
                sum = sum.mul(max.sub(newMax).lanewise(VectorOperators.EXP));
                max = newMax;
            }
            sum = sum.add(z.sub(max).lanewise(VectorOperators.EXP));
        }
        if (j < n) {
            FloatVector z = tailLogits(zs, zRow + (long) j * Float.BYTES, FLOATS.indexInRange(j, n));
            FloatVector newMax = max.max(z);
            sum = sum.mul(max.sub(newMax).lanewise(VectorOperators.EXP)).add(z.sub(newMax).lanewise(VectorOperators.EXP));
            max = newMax;
        }
        return combineLanes(max, sum);
    }

    /** Masked tail load; inactive lanes read as -inf so that they add exp(-inf) = 0. */
    private static FloatVector tailLogits(MemorySegment zs, long offset, VectorMask<Float> m) {
        return FloatVector.broadcast(FLOATS, Float.NEGATIVE_INFINITY)
                .blend(FloatVector.fromMemorySegment(FLOATS, zs, offset, ORDER, m), m);
    }

    /** Merges per-lane (max, shifted sum) pairs into the row's log-sum-exp, in double. */
    private static double combineLanes(FloatVector max, FloatVector sum) {
        float rowMax = max.reduceLanes(VectorOperators.MAX);
        float total = sum.mul(max.sub(rowMax).lanewise(VectorOperators.EXP)).reduceLanes(VectorOperators.ADD);
        return rowMax + Math.log(total);
    }

    /**
     * Sweep 2: {@code grad = exp(z - logSumExp) * sumX - x} ({@code x} dense, or null when handled sparsely).
     * Computed as {@code exp(z - shift) * scale} with {@code shift} the float nearest {@code logSumExp} and
     * {@code scale = sumX * exp(shift - logSumExp)} in double: subtracting a rounded {@code logSumExp} directly
     * would scale every probability by up to {@code 1 + ulp(logSumExp) / 2} (1 + 5e-4 at logits of 1e4), an
     * error that grows with the logits' offset although softmax is shift invariant.
     */
    private static void writeSoftmaxTimes(MemorySegment zs, long zRow, MemorySegment gs, long gRow, int n,
                                          double logSumExp, double sumX, MemorySegment xs, long xRow) {
        float shift = (float) logSumExp;
        float scale = (float) (sumX * Math.exp(shift - logSumExp));
        int bound = FLOATS.loopBound(n);
        int j = 0;
        for (; j < bound; j += FLOATS.length()) {
            long o = (long) j * Float.BYTES;
            FloatVector g = FloatVector.fromMemorySegment(FLOATS, zs, zRow + o, ORDER)
                    .sub(shift).lanewise(VectorOperators.EXP).mul(scale);
            if (xs != null) {
                g = g.sub(FloatVector.fromMemorySegment(FLOATS, xs, xRow + o, ORDER));
            }
            g.intoMemorySegment(gs, gRow + o, ORDER);
        }
        if (j < n) {
            VectorMask<Float> m = FLOATS.indexInRange(j, n);
            long o = (long) j * Float.BYTES;
            FloatVector g = FloatVector.fromMemorySegment(FLOATS, zs, zRow + o, ORDER, m)
                    .sub(shift).lanewise(VectorOperators.EXP).mul(scale);
            if (xs != null) {
                g = g.sub(FloatVector.fromMemorySegment(FLOATS, xs, xRow + o, ORDER, m));
            }
            g.intoMemorySegment(gs, gRow + o, ORDER, m);
        }
    }
}
