package dev.sparsecf.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Plain three-sweep log-softmax likelihood in double precision (max, sum of exponentials, gradient): the
 * readable test oracle and the benchmark baseline.
 */
final class ScalarLogSoftmax implements LogSoftmaxKernel {

    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;

    @Override
    public void sparseTargets(DenseMatrix logits, CsrMatrix targets, DenseMatrix grad, double[] rowLoss, int rowFrom, int rowTo) {
        MemorySegment zs = logits.segment();
        MemorySegment gs = grad.segment();
        int n = logits.cols();
        for (int i = rowFrom; i < rowTo; i++) {
            long zRow = (long) i * logits.ld();
            long gRow = (long) i * grad.ld();
            double logSumExp = logSumExp(zs, zRow, n);
            double sumX = 0;
            double dot = 0; // sum_i x_i * z_i, read before an in-place gradient overwrites z
            for (int p = targets.rowStart(i); p < targets.rowEnd(i); p++) {
                double x = targets.value(p);
                sumX += x;
                if (x != 0) { // 0 * log 0 = 0: a zero weight on a masked (-inf) logit adds nothing, not NaN
                    dot += x * zs.getAtIndex(F, zRow + targets.col(p));
                }
            }
            rowLoss[i] = sumX * logSumExp - dot;
            for (int j = 0; j < n; j++) {
                gs.setAtIndex(F, gRow + j, (float) (Math.exp(zs.getAtIndex(F, zRow + j) - logSumExp) * sumX));
            }
            for (int p = targets.rowStart(i); p < targets.rowEnd(i); p++) {
                long at = gRow + targets.col(p);
                gs.setAtIndex(F, at, (float) (gs.getAtIndex(F, at) - targets.value(p)));
            }
        }
    }

    @Override
    public void denseTargets(DenseMatrix logits, DenseMatrix targets, DenseMatrix grad, double[] rowLoss, int rowFrom, int rowTo) {
        MemorySegment zs = logits.segment();
        MemorySegment xs = targets.segment();
        MemorySegment gs = grad.segment();
        int n = logits.cols();
        for (int i = rowFrom; i < rowTo; i++) {
            long zRow = (long) i * logits.ld();
            long xRow = (long) i * targets.ld();
            long gRow = (long) i * grad.ld();
            double logSumExp = logSumExp(zs, zRow, n);
            double sumX = 0;
            double dot = 0;
            for (int j = 0; j < n; j++) {
                double x = xs.getAtIndex(F, xRow + j);
                sumX += x;
                if (x != 0) { // skip non-targets: 0 * -inf (a masked logit) would make the loss NaN
                    dot += x * zs.getAtIndex(F, zRow + j);
                }
            }
            rowLoss[i] = sumX * logSumExp - dot;
            for (int j = 0; j < n; j++) {
                double softmax = Math.exp(zs.getAtIndex(F, zRow + j) - logSumExp);
                gs.setAtIndex(F, gRow + j, (float) (softmax * sumX - xs.getAtIndex(F, xRow + j)));
            }
        }
    }

    /** {@code log(sum_j exp(z_j))}, shifted by the row maximum so no term overflows. */
    private static double logSumExp(MemorySegment zs, long zRow, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            max = Math.max(max, zs.getAtIndex(F, zRow + j));
        }
        double sum = 0;
        for (int j = 0; j < n; j++) {
            sum += Math.exp(zs.getAtIndex(F, zRow + j) - max);
        }
        return max + Math.log(sum);
    }
}
