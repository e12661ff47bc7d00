package dev.sparsecf.testing;

import java.util.Locale;

/**
 * Element-wise comparison of a benchmark's output with a reference (scalar kernels, exact sums) within error bounds
 * (see {@link ErrorBounds}); a mismatch is an {@link IllegalStateException}, so a benchmark's trial fails with it.
 */
public final class Agreement {

    private Agreement() {
    }

    /**
     * Throws {@link IllegalStateException} naming the first element where {@code |actual - expected| > tol}
     * (NaN never passes) and how many elements differ; arrays are row-major with {@code cols} columns.
     */
    public static void requireClose(String trial, String what, float[] expected, float[] actual, double[] tol, int cols) {
        int bad = 0;
        int first = -1;
        for (int e = 0; e < expected.length; e++) {
            if (!(Math.abs((double) actual[e] - expected[e]) <= tol[e])) {
                bad++;
                first = first < 0 ? e : first;
            }
        }
        if (bad > 0) {
            throw new IllegalStateException(String.format(Locale.ROOT,
                    "%s: %s(%d, %d) = %s but the scalar kernels give %s (tolerance %.3g); %d of %d elements differ",
                    trial, what, first / cols, first % cols, actual[first], expected[first], tol[first], bad,
                    expected.length));
        }
    }

    /** As {@link #requireClose(String, String, float[], float[], double[], int)} for one value per row. */
    public static void requireClose(String trial, String what, double[] expected, double[] actual, double[] tol) {
        for (int i = 0; i < expected.length; i++) {
            if (!(Math.abs(actual[i] - expected[i]) <= tol[i])) {
                throw new IllegalStateException(String.format(Locale.ROOT,
                        "%s: %s[%d] = %s but the scalar kernels give %s (tolerance %.3g)",
                        trial, what, i, actual[i], expected[i], tol[i]));
            }
        }
    }

    /**
     * Sampled elements of an output, each with its expected value and tolerance; {@link #require} then checks them
     * as {@link #requireClose(String, String, float[], float[], double[], int)} checks whole outputs.
     */
    public static final class Samples {
        private final int[] rows;
        private final int[] cols;
        private final double[] expected;
        private final double[] actual;
        private final double[] tol;
        private int size;

        /** Room for {@code capacity} samples. */
        public Samples(int capacity) {
            rows = new int[capacity];
            cols = new int[capacity];
            expected = new double[capacity];
            actual = new double[capacity];
            tol = new double[capacity];
        }

        /** Element (i, j) is {@code actual}; {@code expected} within {@code tol} passes. */
        public void add(int i, int j, double expectedValue, double actualValue, double tolerance) {
            rows[size] = i;
            cols[size] = j;
            expected[size] = expectedValue;
            actual[size] = actualValue;
            tol[size] = tolerance;
            size++;
        }

        /**
         * Throws {@link IllegalStateException} naming the first sample off by more than its tolerance (NaN never
         * passes), how many are, and {@code reference}, what computed the expected values.
         */
        public void require(String trial, String what, String reference) {
            int bad = 0;
            int first = -1;
            for (int t = 0; t < size; t++) {
                if (!(Math.abs(actual[t] - expected[t]) <= tol[t])) {
                    bad++;
                    first = first < 0 ? t : first;
                }
            }
            if (bad > 0) {
                throw new IllegalStateException(String.format(Locale.ROOT,
                        "%s: %s(%d, %d) = %s but %s gives %s (tolerance %.3g); %d of %d sampled elements differ",
                        trial, what, rows[first], cols[first], actual[first], reference, expected[first], tol[first],
                        bad, size));
            }
        }
    }

    /** Throws {@link IllegalStateException} naming the first position where the int outputs differ. */
    public static void requireEqual(String trial, String what, int[] expected, int[] actual, int cols) {
        for (int e = 0; e < expected.length; e++) {
            if (actual[e] != expected[e]) {
                throw new IllegalStateException(String.format(Locale.ROOT,
                        "%s: %s(%d, %d) = %d but the scalar kernels give %d",
                        trial, what, e / cols, e % cols, actual[e], expected[e]));
            }
        }
    }
}
