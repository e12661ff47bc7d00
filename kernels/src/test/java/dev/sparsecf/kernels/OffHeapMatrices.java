package dev.sparsecf.kernels;

import static org.junit.jupiter.api.Assertions.fail;

import java.lang.foreign.ValueLayout;

/**
 * The kernels' off-heap types filled from {@link dev.sparsecf.testing.TestMatrices}' arrays, and sentinels that
 * catch kernels touching row padding.
 */
final class OffHeapMatrices {

    /**
     * Written into the row padding ({@code [cols, ld)}) of every test matrix: a kernel that reads padding into a
     * result produces NaN, and one that writes padding changes these exact bits.
     */
    static final float PADDING = Float.intBitsToFloat(0x7fc0_dead);

    private OffHeapMatrices() {
    }

    /** A CSR matrix from per-row sorted columns and weights ({@code null}: binary). */
    static CsrMatrix csr(int cols, int[][] rows, float[][] weights) {
        int[] rowPtr = new int[rows.length + 1];
        for (int i = 0; i < rows.length; i++) {
            rowPtr[i + 1] = rowPtr[i] + rows[i].length;
        }
        int[] colIdx = new int[rowPtr[rows.length]];
        float[] values = weights == null ? null : new float[colIdx.length];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, colIdx, rowPtr[i], rows[i].length);
            if (values != null) {
                System.arraycopy(weights[i], 0, values, rowPtr[i], rows[i].length);
            }
        }
        return CsrMatrix.of(rows.length, cols, rowPtr, colIdx, values);
    }

    /** A dense copy of a CSR matrix's values (row-major {@code rows x cols}). */
    static float[] densify(CsrMatrix a) {
        float[] d = new float[a.rows() * a.cols()];
        for (int i = 0; i < a.rows(); i++) {
            for (int p = a.rowStart(i); p < a.rowEnd(i); p++) {
                d[i * a.cols() + a.col(p)] = a.value(p);
            }
        }
        return d;
    }

    /** A dense matrix holding {@code values} with {@link #PADDING} in every row's padding. */
    static DenseMatrix dense(int rows, int cols, float[] values) {
        DenseMatrix m = DenseMatrix.of(rows, cols, values);
        poisonPadding(m);
        return m;
    }

    /** An output matrix: every valid element NaN (so "overwrites" is checked too) and {@link #PADDING} padding. */
    static DenseMatrix output(int rows, int cols) {
        DenseMatrix m = DenseMatrix.allocate(rows, cols);
        m.fill(Float.NaN);
        poisonPadding(m);
        return m;
    }

    /** Writes {@link #PADDING} into every row's padding. */
    static void poisonPadding(DenseMatrix m) {
        for (int i = 0; i < m.rows(); i++) {
            for (int j = m.cols(); j < m.ld(); j++) {
                m.segment().set(ValueLayout.JAVA_FLOAT, m.offset(i, j), PADDING);
            }
        }
    }

    /** Fails unless every padding float still holds the exact {@link #PADDING} bits. */
    static void assertPaddingIntact(DenseMatrix m, String what) {
        for (int i = 0; i < m.rows(); i++) {
            for (int j = m.cols(); j < m.ld(); j++) {
                float v = m.segment().get(ValueLayout.JAVA_FLOAT, m.offset(i, j));
                if (Float.floatToRawIntBits(v) != Float.floatToRawIntBits(PADDING)) {
                    fail(what + ": padding at row " + i + ", column " + j + " (ld " + m.ld() + ") was overwritten with " + v);
                }
            }
        }
    }
}
