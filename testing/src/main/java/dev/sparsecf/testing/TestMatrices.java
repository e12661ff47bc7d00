package dev.sparsecf.testing;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Seeded test inputs as heap arrays: a sparse matrix is its rows' sorted columns ({@code int[][]}) with optional
 * weights ({@code float[][]}), the form {@link DoubleReference} reads; each module wraps them in its own types.
 */
public final class TestMatrices {

    private TestMatrices() {
    }

    /** {@code count} floats uniform in {@code [lo, hi)}. */
    public static float[] uniform(SplittableRandom rnd, int count, float lo, float hi) {
        float[] v = new float[count];
        for (int i = 0; i < count; i++) {
            v[i] = lo + (hi - lo) * (float) rnd.nextDouble();
        }
        return v;
    }

    /** {@code count} distinct sorted columns drawn uniformly from {@code [0, cols)}. */
    public static int[] subset(SplittableRandom rnd, int cols, int count) {
        int[] all = new int[cols];
        for (int j = 0; j < cols; j++) {
            all[j] = j;
        }
        for (int t = 0; t < count; t++) { // partial Fisher-Yates
            int s = t + rnd.nextInt(cols - t);
            int tmp = all[t];
            all[t] = all[s];
            all[s] = tmp;
        }
        int[] pick = Arrays.copyOf(all, count);
        Arrays.sort(pick);
        return pick;
    }

    /** Columns {@code 0 .. cols-1}. */
    public static int[] allColumns(int cols) {
        int[] c = new int[cols];
        for (int j = 0; j < cols; j++) {
            c[j] = j;
        }
        return c;
    }

    /**
     * Rows for a CSR with {@code cols} columns exercising every row path: empty, every column set, and 1-5 and 7
     * entries (the leftovers of a 4-way unroll), then random rows.
     */
    public static int[][] rowPatterns(SplittableRandom rnd, int cols) {
        int[] sizes = {0, cols, 1, 2, 3, 4, 5, 7, rnd.nextInt(cols + 1)};
        int[][] rows = new int[sizes.length][];
        for (int i = 0; i < sizes.length; i++) {
            rows[i] = subset(rnd, cols, Math.min(cols, sizes[i]));
        }
        return rows;
    }

    /** Weights uniform in {@code [lo, hi)}, one per entry of {@code rows}. */
    public static float[][] weights(SplittableRandom rnd, int[][] rows, float lo, float hi) {
        float[][] w = new float[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            w[i] = uniform(rnd, rows[i].length, lo, hi);
        }
        return w;
    }
}
