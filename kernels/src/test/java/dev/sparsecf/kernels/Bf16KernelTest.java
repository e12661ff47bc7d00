package dev.sparsecf.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Bf16Kernels#round}: every implementation against round-to-nearest-even decided from exact distances in double
 * (the two bf16 neighbours of x and which is nearer, ties to the even one), over awkward widths, NaN payloads,
 * infinities, subnormals, exact ties, overflow and a sweep of float bit patterns; the Panama kernel also bit for bit
 * against the scalar one (NaN included); the facade's checks.
 */
class Bf16KernelTest {

    /** Float bit patterns between sweep samples: a prime, so that the samples hit every low 16-bit pattern. */
    private static final int SWEEP_STRIDE = 65_537;

    private static final short PAD = (short) 0x5A5A;

    /** Values every row starts with (shifted per row, so they also land in the masked tail). */
    private static final float[] SPECIAL = {
        0f, -0f, Float.NaN, Float.intBitsToFloat(0x7F800001), Float.intBitsToFloat(0xFFBF0001), // quiet, signalling NaNs
        Float.intBitsToFloat(0x7FC0_8000), Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
        Float.MIN_VALUE, -Float.MIN_VALUE, Float.intBitsToFloat(0x0000_8000), Float.intBitsToFloat(0x0001_8000), // subnormal ties
        Float.intBitsToFloat(0x0000_8001), Float.intBitsToFloat(0x007F_FFFF), Float.MIN_NORMAL,
        Float.intBitsToFloat(0x3F80_8000), Float.intBitsToFloat(0x3F81_8000), Float.intBitsToFloat(0xBF80_8000), // ties
        Float.intBitsToFloat(0x3F80_7FFF), Float.intBitsToFloat(0x3F80_8001), Float.intBitsToFloat(0x3FFF_FFFF), // carry
        Float.MAX_VALUE, -Float.MAX_VALUE, Float.intBitsToFloat(0x7F7F_7FFF), Float.intBitsToFloat(0x7F7F_8000), // overflow
        1f, -1f, 0.1f, -65504f,
    };

    /** The expected bits: the nearer of the two bf16 neighbours by exact distance, the even one on a tie; NaN aside. */
    static short reference(float x) {
        int bits = Float.floatToRawIntBits(x);
        int lo = bits & 0xFFFF_0000; // toward zero
        if (Float.isInfinite(x)) {
            return (short) (lo >>> 16);
        }
        int exponent = (lo >>> 23) & 0xFF;
        double step = Math.scalb(1.0, Math.max(exponent, 1) - 127 - 7); // the bf16 ulp at lo's binade
        double loAbs = Math.abs((double) Float.intBitsToFloat(lo));
        double below = Math.abs((double) x) - loAbs; // exact in double
        double above = loAbs + step - Math.abs((double) x);
        boolean up = above < below || (above == below && ((lo >>> 16) & 1) == 1);
        return (short) ((up ? lo + 0x1_0000 : lo) >>> 16); // up from the largest finite value carries into infinity
    }

    static List<Object[]> cases() {
        List<Object[]> cases = new ArrayList<>();
        for (var impl : KernelImpls.legs()) {
            for (int n : KernelImpls.ELEMENTWISE_COLUMNS) {
                cases.add(new Object[] {impl, n});
            }
        }
        return cases;
    }

    @ParameterizedTest(name = "{0}, n={1}")
    @MethodSource("cases")
    void roundsToNearestEven(String impl, int n) {
        int m = n > 1000 ? 3 : 5;
        SplittableRandom rnd = new SplittableRandom(31L * n);
        float[] x = new float[m * n];
        for (int p = 0; p < x.length; p++) {
            int j = p % n;
            if (j < SPECIAL.length) {
                x[p] = SPECIAL[(j + p / n) % SPECIAL.length];
            } else if (rnd.nextInt(4) == 0) { // an exact tie at a random binade
                x[p] = Float.intBitsToFloat((rnd.nextInt() & 0xFFFF_0000) | 0x8000);
            } else {
                x[p] = Float.intBitsToFloat(rnd.nextInt());
            }
        }
        check(impl, m, n, x);
    }

    /** Every 65,537th float bit pattern (all signs and exponents, every low half), 1,021 to a row. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.sparsecf.kernels.KernelImpls#legs")
    void roundsASweepOfBitPatterns(String impl) {
        int n = 1021;
        int patterns = (int) ((1L << 32) / SWEEP_STRIDE);
        int m = (patterns + n - 1) / n;
        float[] x = new float[m * n];
        for (int p = 0; p < x.length; p++) {
            x[p] = Float.intBitsToFloat((int) ((long) (p % patterns) * SWEEP_STRIDE));
        }
        check(impl, m, n, x);
    }

    /** The Panama kernel gives the scalar kernel's bits, NaN payloads included, on one and on two threads. */
    @ParameterizedTest(name = "n={0}")
    @MethodSource("columns")
    void panamaMatchesScalarBitForBit(int n) {
        int m = 40;
        SplittableRandom rnd = new SplittableRandom(n);
        float[] x = new float[m * n];
        for (int p = 0; p < x.length; p++) {
            x[p] = p % 3 == 0 ? Float.intBitsToFloat(0x7F80_0000 | rnd.nextInt(1 << 23) | (rnd.nextBoolean() ? 1 << 31 : 0))
                    : Float.intBitsToFloat(rnd.nextInt());
        }
        short[] scalar = rounded("scalar", 1, m, n, x);
        for (int threads : new int[] {1, 2}) {
            short[] panama = rounded("panama", threads, m, n, x);
            for (int p = 0; p < x.length; p++) {
                if (scalar[p] != panama[p]) {
                    fail("n=" + n + ", " + threads + " threads, element " + p + " = 0x" + Integer.toHexString(Float.floatToRawIntBits(x[p]))
                            + ": scalar 0x" + Integer.toHexString(scalar[p] & 0xFFFF) + ", panama 0x"
                            + Integer.toHexString(panama[p] & 0xFFFF));
                }
            }
        }
    }

    static List<Integer> columns() {
        return KernelImpls.ELEMENTWISE_COLUMNS;
    }

    private static void check(String impl, int m, int n, float[] x) {
        short[] got = rounded(impl, 2, m, n, x);
        for (int p = 0; p < x.length; p++) {
            int bits = Float.floatToRawIntBits(x[p]);
            String where = impl + ", n=" + n + ", element " + p + " = " + x[p] + " (0x" + Integer.toHexString(bits) + ") gave 0x"
                    + Integer.toHexString(got[p] & 0xFFFF);
            if (Float.isNaN(x[p])) {
                float r = Float.intBitsToFloat(got[p] << 16);
                assertTrue(Float.isNaN(r), where + ": NaN must stay NaN");
                assertEquals(bits >>> 31, (got[p] >>> 15) & 1, where + ": the sign must be kept");
                assertEquals(0x40, got[p] & 0x40, where + ": the NaN must be quiet");
            } else if (got[p] != reference(x[p])) {
                fail(where + ", expected 0x" + Integer.toHexString(reference(x[p]) & 0xFFFF));
            }
        }
    }

    /** {@code x} rounded by the facade over {@code impl} on {@code threads} threads; fails if the padding was written. */
    private static short[] rounded(String impl, int threads, int m, int n, float[] x) {
        Bf16Kernels bf16 = Bf16Kernels.roundingOnly(KernelImpls.kernels(impl, threads));
        try (DenseMatrix src = OffHeapMatrices.dense(m, n, x); Bf16Matrix dst = Bf16Matrix.allocate(m, n)) {
            for (long e = 0; e < dst.segment().byteSize() / 2; e++) {
                dst.segment().setAtIndex(ValueLayout.JAVA_SHORT, e, PAD);
            }
            bf16.round(src, dst);
            short[] out = new short[m * n];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < dst.ld(); j++) {
                    if (j < n) {
                        out[i * n + j] = dst.bits(i, j);
                    } else {
                        assertEquals(PAD, dst.bits(i, j), impl + ": padding (" + i + ", " + j + ") was written");
                    }
                }
            }
            return out;
        }
    }

    @Test
    void facadeRejectsBadShapesAndOverlap() {
        Bf16Kernels bf16 = Bf16Kernels.roundingOnly(KernelImpls.kernels("scalar", 1));
        try (DenseMatrix src = DenseMatrix.allocate(3, 5); Bf16Matrix dst = Bf16Matrix.allocate(3, 4);
             Bf16Matrix a = Bf16Matrix.allocate(3, 5); Bf16Matrix b = Bf16Matrix.allocate(4, 2);
             DenseMatrix c = DenseMatrix.allocate(3, 2)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> bf16.round(src, dst));
            assertEquals("bf16 round: dst is 3x4, src is 3x5", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> bf16.gemm(false, false, 1f, a, b, 0f, c));
            assertEquals("bf16 gemm: inner dimensions differ: op(A) is 3x5 (A is 3x5) but op(B) is 4x2 (B is 4x2)", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> bf16.gemm(false, true, 1f, a, a, 0f, c));
            assertEquals("bf16 gemm: C is 3x2, expected 3x3", e.getMessage());
            Bf16Matrix one = Bf16Matrix.allocate(1, 1);
            DenseMatrix alias = DenseMatrix.wrap(one.segment(), 1, 1, 1);
            e = assertThrows(IllegalArgumentException.class, () -> bf16.gemm(false, false, 1f, one, one, 0f, alias));
            assertTrue(e.getMessage().startsWith("bf16 gemm: C and A share memory"), e.getMessage());
            one.close();
        }
    }
}
