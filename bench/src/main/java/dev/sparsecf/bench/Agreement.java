package dev.sparsecf.bench;

import java.util.Locale;

/** Element-wise comparison of a benchmark's output with the scalar reference, within error bounds. */
final class Agreement {

    /** Unit roundoff of float32: a rounded operation is off by at most {@code U * |result|}. */
    static final double U = Math.ulp(1f) / 2;

    private Agreement() {
    }

    /**
     * Throws {@link IllegalStateException} naming the first element where {@code |actual - expected| > tol}
     * (NaN never passes) and how many elements differ; arrays are row-major with {@code cols} columns.
     */
    static void requireClose(String trial, String what, float[] expected, float[] actual, double[] tol, int cols) {
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
    static void requireClose(String trial, String what, double[] expected, double[] actual, double[] tol) {
        for (int i = 0; i < expected.length; i++) {
            if (!(Math.abs(actual[i] - expected[i]) <= tol[i])) {
                throw new IllegalStateException(String.format(Locale.ROOT,
                        "%s: %s[%d] = %s but the scalar kernels give %s (tolerance %.3g)",
                        trial, what, i, actual[i], expected[i], tol[i]));
            }
        }
    }

    /** Throws {@link IllegalStateException} naming the first position where the int outputs differ. */
    static void requireEqual(String trial, String what, int[] expected, int[] actual, int cols) {
        for (int e = 0; e < expected.length; e++) {
            if (actual[e] != expected[e]) {
                throw new IllegalStateException(String.format(Locale.ROOT,
                        "%s: %s(%d, %d) = %d but the scalar kernels give %d",
                        trial, what, e / cols, e % cols, actual[e], expected[e]));
            }
        }
    }
}
