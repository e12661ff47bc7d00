package dev.sparsecf.kernels.panama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sparsecf.kernels.KernelProvider;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * {@link PanamaExp} against {@code Math.exp} in double (within 1 double ulp, so exact enough to count float ulps)
 * over the whole float input range, and at its edges and special values.
 */
class PanamaExpTest {

    /** Every 31st float bit pattern (about 72 million inputs) covers every binade of [-104, 89] densely. */
    private static final int STRIDE = 31;

    /** The accuracy PanamaExp states: the largest error over every float in [-104, 89] (measured with stride 1). */
    private static final double MAX_ULPS = 1.011;

    /** PanamaExp flushes results below {@code 2^-125.5} to 0: this bounds the absolute error there. */
    private static final double FLUSHED_BELOW = 1.42 * Float.MIN_NORMAL;

    @Test
    void withinItsStatedUlpsOverTheWholeRange() {
        assumeTrue(KernelProvider.vectorModulePresent(), "needs --add-modules jdk.incubator.vector");
        float[] x = new float[PanamaVectorConstants.LANES * 4096];
        float[] y = new float[x.length];
        double worst = 0;
        float worstAt = 0;
        // negative inputs down to -104 (results to 0 through the subnormals), then positive ones up to 89 (to +inf)
        long[][] ranges = {{Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(-104f)},
                           {0, Float.floatToRawIntBits(89f)}};
        for (long[] range : ranges) {
            int filled = 0;
            for (long bits = range[0]; bits <= range[1]; bits += STRIDE) {
                x[filled++] = Float.intBitsToFloat((int) bits);
                if (filled == x.length || bits + STRIDE > range[1]) {
                    apply(x, y, filled);
                    for (int e = 0; e < filled; e++) {
                        double err = ulpError(x[e], y[e]);
                        if (err > worst) {
                            worst = err;
                            worstAt = x[e];
                        }
                    }
                    filled = 0;
                }
            }
        }
        assertTrue(worst <= MAX_ULPS, "exp error " + worst + " float ulps at x = " + worstAt);
    }

    @Test
    void edgesAndSpecialValues() {
        assumeTrue(KernelProvider.vectorModulePresent(), "needs --add-modules jdk.incubator.vector");
        float[] x = {Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, Float.NaN, -Float.MAX_VALUE, Float.MAX_VALUE,
            0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, 88.72283f, 88.72284f, 88.8f, -87.33654f, -87.33655f,
            -86.98f, -86.99f, -87.0f, -87.5f, -87.68f, -103.27893f, -103.97208f, -103.97209f, -104f, -200f, 1e-30f, -1e-30f, 0.34657359f, -0.34657359f};
        float[] y = new float[x.length];
        apply(x, y, x.length);
        for (int e = 0; e < x.length; e++) {
            float expected = (float) Math.exp(x[e]);
            if (Float.isNaN(expected) || Float.isInfinite(expected) || expected == 1) {
                assertEquals(expected, y[e], "exp(" + x[e] + ")");
            } else {
                assertTrue(ulpError(x[e], y[e]) <= MAX_ULPS, "exp(" + x[e] + ") = " + y[e] + ", expected " + expected);
            }
        }
    }

    @Test
    void theSameBitsOnEveryCall() {
        assumeTrue(KernelProvider.vectorModulePresent(), "needs --add-modules jdk.incubator.vector");
        float[] x = new float[PanamaVectorConstants.LANES * 64];
        for (int e = 0; e < x.length; e++) {
            x[e] = -100f + 190f * e / x.length;
        }
        float[] first = new float[x.length];
        apply(x, first, x.length);
        for (int round = 0; round < 2000; round++) { // long enough for C2 to compile apply: same bits after it
            float[] again = new float[x.length];
            apply(x, again, x.length);
            for (int e = 0; e < x.length; e++) {
                assertEquals(Float.floatToRawIntBits(first[e]), Float.floatToRawIntBits(again[e]), "round " + round);
            }
        }
    }

    /**
     * {@code |actual - exp(x)|} in float ulps of the correctly rounded result (2^-149 for subnormal results); 0 for
     * a result flushed to zero below {@link #FLUSHED_BELOW}, as stated, and infinite for one flushed above it.
     */
    private static double ulpError(float x, float actual) {
        double exact = Math.exp(x);
        if (actual == 0 && exact < FLUSHED_BELOW) {
            return 0;
        }
        float rounded = (float) exact;
        if (Float.isInfinite(rounded)) {
            // beyond Float.MAX_VALUE + ulp / 2: +inf; just below it, MAX_VALUE is within 1 ulp
            return actual == Float.POSITIVE_INFINITY || actual == Float.MAX_VALUE ? 0 : Double.POSITIVE_INFINITY;
        }
        if (Float.isInfinite(actual)) {
            return Math.abs(exact - Float.MAX_VALUE) <= Math.ulp(Float.MAX_VALUE) ? 1 : Double.POSITIVE_INFINITY;
        }
        return Math.abs(actual - exact) / Math.ulp(rounded == 0 ? Float.MIN_VALUE : rounded);
    }

    private static void apply(float[] x, float[] y, int count) {
        int lanes = PanamaVectorConstants.LANES;
        int e = 0;
        for (; e + lanes <= count; e += lanes) {
            PanamaExp.exp(FloatVector.fromArray(PanamaVectorConstants.FLOATS, x, e)).intoArray(y, e);
        }
        if (e < count) {
            float[] tail = new float[lanes];
            System.arraycopy(x, e, tail, 0, count - e);
            float[] out = new float[lanes];
            PanamaExp.exp(FloatVector.fromArray(PanamaVectorConstants.FLOATS, tail, 0)).intoArray(out, 0);
            System.arraycopy(out, 0, y, e, count - e);
        }
    }
}
