package dev.sparsecf.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * The element-wise steps of a dense layer's backward pass (and its bias broadcast), over the valid columns of a row
 * or column range; the row padding is neither read into results nor written. Every implementation must give the
 * bits of the element formulas below: a few float multiplies per element (no FMA) and double column sums added in
 * row order, which SIMD lanes reproduce exactly.
 */
public interface ElementwiseKernel {

    /** In place {@code d *= 1 - y * y} (the tanh derivative through its output {@code y}) on rows {@code [rowFrom, rowTo)}. */
    void tanhBackward(DenseMatrix y, DenseMatrix d, int rowFrom, int rowTo);

    /** In place {@code d[i, :] *= scale * rowScale[i]} on rows {@code [rowFrom, rowTo)}; {@code rowScale} may be null (all ones). */
    void scaleRows(DenseMatrix d, float[] rowScale, float scale, int rowFrom, int rowTo);

    /**
     * {@code sums[0, j] = (float) (scale * sum_i d[i, j])} for columns {@code [colFrom, colTo)}, each sum accumulated in
     * double over the rows in order, in {@code scratch[j]}.
     */
    void columnSums(DenseMatrix d, float scale, DenseMatrix sums, double[] scratch, int colFrom, int colTo);

    /** Copies the single row of {@code bias} ({@code 1 x n}) into rows {@code [rowFrom, rowTo)} of {@code out}: a plain copy for every tier. */
    default void broadcastRow(DenseMatrix bias, DenseMatrix out, int rowFrom, int rowTo) {
        long bytes = (long) out.cols() * Float.BYTES;
        for (int i = rowFrom; i < rowTo; i++) {
            MemorySegment.copy(bias.segment(), 0, out.segment(), out.offset(i, 0), bytes);
        }
    }

    /**
     * {@link #tanhBackward} on columns {@code [colFrom, colTo)}, element by element: the scalar oracle, and the row tails
     * of vector implementations (so that both share one formula).
     */
    static void tanhBackwardElements(DenseMatrix y, DenseMatrix d, int rowFrom, int rowTo, int colFrom, int colTo) {
        ValueLayout.OfFloat f = ValueLayout.JAVA_FLOAT;
        MemorySegment ys = y.segment();
        MemorySegment ds = d.segment();
        int count = colTo - colFrom;
        for (int i = rowFrom; i < rowTo; i++) {
            long yBase = (long) i * y.ld() + colFrom;
            long dBase = (long) i * d.ld() + colFrom;
            for (int j = 0; j < count; j++) {
                float v = ys.getAtIndex(f, yBase + j);
                ds.setAtIndex(f, dBase + j, ds.getAtIndex(f, dBase + j) * (1f - v * v));
            }
        }
    }

    /** {@link #scaleRows} on columns {@code [colFrom, colTo)}, element by element (the oracle and the vector tails). */
    static void scaleRowsElements(DenseMatrix d, float[] rowScale, float scale, int rowFrom, int rowTo, int colFrom, int colTo) {
        ValueLayout.OfFloat f = ValueLayout.JAVA_FLOAT;
        MemorySegment ds = d.segment();
        int count = colTo - colFrom;
        for (int i = rowFrom; i < rowTo; i++) {
            float factor = rowFactor(rowScale, scale, i);
            long base = (long) i * d.ld() + colFrom;
            for (int j = 0; j < count; j++) {
                ds.setAtIndex(f, base + j, ds.getAtIndex(f, base + j) * factor);
            }
        }
    }

    /** The factor {@link #scaleRows} multiplies row {@code i} by, rounded to float once. */
    static float rowFactor(float[] rowScale, float scale, int i) {
        return scale * (rowScale == null ? 1f : rowScale[i]);
    }

    /**
     * {@link #columnSums} element by element, rows outer (row-major friendly): the scalar oracle, and the column tails
     * of vector implementations.
     */
    static void columnSumsElements(DenseMatrix d, float scale, DenseMatrix sums, double[] scratch, int colFrom, int colTo) {
        MemorySegment ds = d.segment();
        Arrays.fill(scratch, colFrom, colTo, 0.0);
        for (int i = 0; i < d.rows(); i++) {
            long base = (long) i * d.ld();
            for (int j = colFrom; j < colTo; j++) {
                scratch[j] += ds.getAtIndex(ValueLayout.JAVA_FLOAT, base + j);
            }
        }
        for (int j = colFrom; j < colTo; j++) {
            sums.set(0, j, (float) (scale * scratch[j]));
        }
    }
}
