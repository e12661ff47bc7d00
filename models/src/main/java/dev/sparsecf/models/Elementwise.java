package dev.sparsecf.models;

import dev.sparsecf.kernels.DenseMatrix;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The small element-wise steps between the kernels (batch x hidden sized, a fraction of a GEMM's cost):
 * plain loops over the valid columns of {@link DenseMatrix} rows.
 */
final class Elementwise {

    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;

    private Elementwise() {
    }

    /** In place {@code d *= 1 - y^2}, the tanh derivative expressed through its output {@code y}. */
    static void tanhBackward(DenseMatrix y, DenseMatrix d) {
        MemorySegment ys = y.segment();
        MemorySegment ds = d.segment();
        for (int i = 0; i < d.rows(); i++) {
            long yBase = (long) i * y.ld();
            long dBase = (long) i * d.ld();
            for (int j = 0; j < d.cols(); j++) {
                float v = ys.getAtIndex(F, yBase + j);
                ds.setAtIndex(F, dBase + j, ds.getAtIndex(F, dBase + j) * (1f - v * v));
            }
        }
    }

    /** Copies the single row of {@code bias} (1 x n) into every row of {@code out} (m x n). */
    static void broadcastRow(DenseMatrix bias, DenseMatrix out) {
        long bytes = (long) out.cols() * Float.BYTES;
        for (int i = 0; i < out.rows(); i++) {
            MemorySegment.copy(bias.segment(), 0, out.segment(), out.offset(i, 0), bytes);
        }
    }

    /**
     * {@code sums[0, j] = scale * sum_i d[i, j]}, accumulated in double in row order (row-major friendly)
     * in {@code scratch} (at least {@code d.cols()} long).
     */
    static void columnSums(DenseMatrix d, float scale, DenseMatrix sums, double[] scratch) {
        MemorySegment ds = d.segment();
        int n = d.cols();
        java.util.Arrays.fill(scratch, 0, n, 0.0);
        for (int i = 0; i < d.rows(); i++) {
            long base = (long) i * d.ld();
            for (int j = 0; j < n; j++) {
                scratch[j] += ds.getAtIndex(F, base + j);
            }
        }
        for (int j = 0; j < n; j++) {
            sums.set(0, j, (float) (scale * scratch[j]));
        }
    }

    /** In place {@code d[i, :] *= scale * rowScale[i]} ({@code rowScale} may be null: all ones). */
    static void scaleRows(DenseMatrix d, float[] rowScale, float scale) {
        MemorySegment ds = d.segment();
        for (int i = 0; i < d.rows(); i++) {
            float f = scale * (rowScale == null ? 1f : rowScale[i]);
            long base = (long) i * d.ld();
            for (int j = 0; j < d.cols(); j++) {
                ds.setAtIndex(F, base + j, ds.getAtIndex(F, base + j) * f);
            }
        }
    }
}
