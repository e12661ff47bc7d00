package dev.sparsecf.kernels.panama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sparsecf.kernels.KernelProvider;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
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

    @Test
    void aRowSweepShiftsSumsInLaneOrderAndLeavesThePaddingAlone() {
        assumeTrue(KernelProvider.vectorModulePresent(), "needs --add-modules jdk.incubator.vector");
        int lanes = PanamaVectorConstants.LANES;
        for (int n : new int[] {1, lanes - 1, lanes, lanes + 1, 2 * lanes - 1, 2 * lanes + 1, 103, 1021}) {
            float shift = 1.75f;
            float[] x = new float[n];
            float[] unshifted = new float[n];
            for (int e = 0; e < n; e++) {
                x[e] = (float) Math.sin(e * 0.7) * 9f;
                unshifted[e] = x[e] - shift;
            }
            float[] expected = new float[n];
            apply(unshifted, expected, n);
            float[] laneSums = new float[lanes];
            for (int e = 0; e < n; e++) {
                laneSums[e % lanes] += expected[e];
            }
            double expectedSum = 0;
            for (float laneSum : laneSums) {
                expectedSum += laneSum;
            }
            try (Arena arena = Arena.ofConfined()) {
                int padded = (n + lanes - 1) / lanes * lanes + lanes;
                MemorySegment zs = arena.allocate((long) padded * Float.BYTES, 64);
                MemorySegment gs = arena.allocate((long) padded * Float.BYTES, 64);
                MemorySegment.copy(x, 0, zs, ValueLayout.JAVA_FLOAT, 0, n);
                gs.fill((byte) 0x7f);
                // from element 1: an offset that is not a multiple of the vector size
                MemorySegment.copy(zs, 0, zs, Float.BYTES, (long) n * Float.BYTES);
                double sum = PanamaExp.expRow(zs, Float.BYTES, gs, Float.BYTES, n, shift);
                assertEquals(expectedSum, sum, "sum of n = " + n);
                float[] actual = gs.asSlice(Float.BYTES, (long) n * Float.BYTES).toArray(ValueLayout.JAVA_FLOAT);
                for (int e = 0; e < n; e++) {
                    assertEquals(Float.floatToRawIntBits(expected[e]), Float.floatToRawIntBits(actual[e]), "n = " + n + ", element " + e);
                }
                assertEquals(0x7f7f7f7f, gs.get(ValueLayout.JAVA_INT, 0), "before the row, n = " + n);
                assertEquals(0x7f7f7f7f, gs.get(ValueLayout.JAVA_INT, (long) (n + 1) * Float.BYTES), "after the row, n = " + n);
            }
        }
    }

    /** {@code y = exp(x)} for the first {@code count} elements, through {@link PanamaExp#expRow} with shift 0 (exact). */
    private static void apply(float[] x, float[] y, int count) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment xs = arena.allocate((long) Math.max(count, 1) * Float.BYTES, 64);
            MemorySegment.copy(x, 0, xs, ValueLayout.JAVA_FLOAT, 0, count);
            PanamaExp.expRow(xs, 0, xs, 0, count, 0f);
            MemorySegment.copy(xs, ValueLayout.JAVA_FLOAT, 0, y, 0, count);
        }
    }
}
