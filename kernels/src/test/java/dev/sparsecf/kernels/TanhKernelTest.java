package dev.sparsecf.kernels;

import static dev.sparsecf.kernels.OffHeapMatrices.assertPaddingIntact;
import static dev.sparsecf.testing.ErrorBounds.floatUlp;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Kernels#tanh}: every implementation against {@code Math.tanh} in double, over awkward widths, special
 * values and a sweep of float bit patterns.
 *
 * <p>Error model, in float ulps of the exact result. Scalar: {@code (float) Math.tanh(x)}, where Math.tanh is within
 * 2.5 double ulps, so half a float ulp plus 2.5 double ulps. Panama: 2.1 float ulps, derived in PanamaTanh's
 * Javadoc (the exp branch's bound; the polynomial's is 1.07). The double reference adds its own 2.5 double ulps.
 */
class TanhKernelTest {

    /** Float bit patterns between sweep samples: a prime, so that the samples hit every part of the mantissa. */
    private static final int SWEEP_STRIDE = 4099;

    /**
     * Passes of the sweep through the kernel: the interpreted, C1 and C2 code of each implementation all meet the
     * bound (PanamaTanhTest proves the Panama kernel's bits do not depend on which ran).
     */
    private static final int SWEEP_PASSES = 8;

    /** Columns of the sweep matrix: one awkward width, so every row ends in a masked tail. */
    private static final int SWEEP_COLUMNS = 1021;

    /** Values every row starts with: zeros, infinities, NaN, sub- and normal extremes, tanh's saturation region. */
    private static final float[] SPECIAL = {
        0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE, -Float.MIN_VALUE,
        Float.MIN_NORMAL, -Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE, 0x1p-12f, -0x1p-12f, 0.5493f, 9.01f,
        -9.01f, 20f, -20f, 1e-30f,
    };

    static double ulpsFor(String impl) {
        return switch (impl) {
            case "scalar" -> 0.5;
            case "panama" -> 2.1;
            default -> throw new IllegalArgumentException("no error model for '" + impl + "'");
        };
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("dev.sparsecf.kernels.KernelImpls#elementwiseCases")
    void agreesWithDoubleTanh(String impl, int n) {
        Kernels kernels = KernelImpls.kernels(impl, 2);
        SplittableRandom rnd = new SplittableRandom(17L * n);
        int m = 5;
        float[] x = new float[m * n];
        for (int p = 0; p < x.length; p++) {
            int j = p % n;
            if (j < SPECIAL.length) {
                x[p] = SPECIAL[(j + p / n) % SPECIAL.length]; // shift per row: specials land in the tail too
            } else if (rnd.nextBoolean()) {
                x[p] = (float) rnd.nextDouble(-10, 10);
            } else { // log-uniform magnitudes from 1e-40 (subnormal) to 1e3
                x[p] = (float) (Math.pow(10, rnd.nextDouble(-40, 3)) * (rnd.nextBoolean() ? 1 : -1));
            }
        }
        check(kernels, impl, m, n, x);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.sparsecf.kernels.KernelImpls#legs")
    void agreesWithDoubleTanhOverFloatBitPatterns(String impl) {
        Kernels kernels = KernelImpls.kernels(impl, 2);
        int patterns = Float.floatToRawIntBits(Float.POSITIVE_INFINITY) / SWEEP_STRIDE + 1;
        int m = (2 * patterns + SWEEP_COLUMNS - 1) / SWEEP_COLUMNS;
        float[] x = new float[m * SWEEP_COLUMNS];
        for (int p = 0; p < x.length; p++) { // +v, -v, ... over [0, inf], wrapping round to fill the last row
            float v = Float.intBitsToFloat((p / 2 % patterns) * SWEEP_STRIDE);
            x[p] = p % 2 == 0 ? v : -v;
        }
        for (int pass = 0; pass < SWEEP_PASSES; pass++) {
            check(kernels, impl, m, SWEEP_COLUMNS, x);
        }
    }

    private static void check(Kernels kernels, String impl, int m, int n, float[] x) {
        double ulps = ulpsFor(impl);
        try (DenseMatrix a = OffHeapMatrices.dense(m, n, x)) {
            kernels.tanh(a);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    float in = x[i * n + j];
                    float got = a.get(i, j);
                    double want = Math.tanh(in);
                    String where = impl + " tanh, n=" + n + ": x[" + i + "][" + j + "] = " + in + " (bits 0x"
                            + Integer.toHexString(Float.floatToRawIntBits(in)) + ") gave " + got + ", reference " + want;
                    if (Double.isNaN(want)) {
                        if (!Float.isNaN(got)) {
                            fail(where + ": NaN must propagate");
                        }
                    } else if (want == 0 || Math.abs(want) == 1) {
                        // exact cases: signed zeros keep their sign, saturated values are exactly +-1
                        if (Double.doubleToRawLongBits(got) != Double.doubleToRawLongBits(want)) {
                            fail(where + ": expected exactly " + want);
                        }
                    } else {
                        double bound = ulps * floatUlp(want) + 5 * Math.ulp(want);
                        if (!(Math.abs(got - want) <= bound)) {
                            fail(where + ", |error| " + Math.abs(got - want) + " = " + Math.abs(got - want) / floatUlp(want)
                                    + " float ulps > " + ulps);
                        }
                    }
                }
            }
            assertPaddingIntact(a, impl + " tanh");
        }
    }
}
