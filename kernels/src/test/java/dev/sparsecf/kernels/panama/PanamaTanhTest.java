package dev.sparsecf.kernels.panama;

import static dev.sparsecf.testing.ErrorBounds.floatUlp;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sparsecf.kernels.DenseMatrix;
import dev.sparsecf.kernels.KernelProvider;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link PanamaTanh} and {@link PanamaExp}: the same bits as a scalar re-implementation of their arithmetic, and
 * tanh within its derived bounds on a dense sweep.
 *
 * <p>Why bit equality proves reproducibility: the re-implementation below is plain float arithmetic with
 * {@code Math.fma} (correctly rounded), no intrinsic whose result depends on the JIT; the kernel matching it bit for
 * bit, whichever of its interpreted, C1 or C2 code ran, gives the same bits in every run.
 */
class PanamaTanhTest {

    /** Row widths: empty, shorter than a vector, around one and two vectors (masked tails), and long. */
    private static final int[] WIDTHS = {0, 1, 7, 15, 16, 17, 33, 1000};

    /** Zeros, infinities, NaN, subnormals, tiny, the polynomial's edge (0.625), saturation (9.011), the exp's. */
    private static final float[] SPECIAL = {
        0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE, -Float.MIN_VALUE,
        Float.MIN_NORMAL, -Float.MIN_NORMAL, 1e-30f, -1e-30f, 0x1p-12f, Math.nextDown(0.625f), 0.625f,
        Math.nextUp(0.625f), -0.625f, 9.0109f, 9.011f, Math.nextUp(9.011f), -9.011f, 44.36f, 44.37f, 88f, -100f,
        Float.MAX_VALUE, -Float.MAX_VALUE,
    };

    /** The polynomial branch ({@code |x| < 0.625}) and the exp branch: PanamaTanh's derived bounds, in float ulps. */
    private static final double SMALL_ULPS = 1.07;
    private static final double LARGE_ULPS = 2.1;

    /** Float bit patterns between sweep samples: odd, so the samples hit every part of the mantissa. */
    private static final int STRIDE = 61;

    @Test
    void tanhHasTheBitsOfItsScalarArithmetic() {
        assumeTrue(KernelProvider.vectorModulePresent(), "needs --add-modules jdk.incubator.vector");
        SplittableRandom rnd = new SplittableRandom(5);
        for (int n : WIDTHS) {
            int m = 3;
            float[] x = inputs(rnd, m * n);
            try (DenseMatrix a = DenseMatrix.of(m, n, x)) {
                new PanamaTanh().tanh(a, 0, m);
                for (int e = 0; e < x.length; e++) {
                    requireSameBits("tanh, n = " + n, x[e], tanh(x[e]), a.get(e / n, e % n));
                }
            }
        }
    }

    @Test
    void expHasTheBitsOfItsScalarArithmetic() {
        assumeTrue(KernelProvider.vectorModulePresent(), "needs --add-modules jdk.incubator.vector");
        SplittableRandom rnd = new SplittableRandom(6);
        for (int n : WIDTHS) {
            float[] x = inputs(rnd, n);
            for (int e = 0; e < n; e++) {
                x[e] *= 10; // over exp's whole range, to both of its blends
            }
            float shift = 0.5f;
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment s = arena.allocate((long) Math.max(n, 1) * Float.BYTES, 64);
                MemorySegment.copy(x, 0, s, ValueLayout.JAVA_FLOAT, 0, n);
                PanamaExp.expRow(s, 0, s, 0, n, shift);
                for (int e = 0; e < n; e++) {
                    requireSameBits("exp, n = " + n, x[e], exp(x[e] - shift), s.getAtIndex(ValueLayout.JAVA_FLOAT, e));
                }
            }
        }
    }

    @Test
    void tanhWithinItsDerivedBoundsOnADenseSweep() {
        assumeTrue(KernelProvider.vectorModulePresent(), "needs --add-modules jdk.incubator.vector");
        int end = Float.floatToRawIntBits(10f);
        int cols = 1021;
        float[] x = new float[cols];
        double[] worst = new double[2];
        try (DenseMatrix a = DenseMatrix.allocate(1, cols)) {
            for (long from = 0; from <= end; from += (long) cols * STRIDE) {
                for (int c = 0; c < cols; c++) { // +v and -v, alternately
                    long bits = Math.min(from + (long) (c / 2) * STRIDE, end);
                    float v = Float.intBitsToFloat((int) bits);
                    x[c] = c % 2 == 0 ? v : -v;
                    a.set(0, c, x[c]);
                }
                new PanamaTanh().tanh(a, 0, 1);
                for (int c = 0; c < cols; c++) {
                    double want = Math.tanh(x[c]);
                    float got = a.get(0, c);
                    boolean small = Math.abs(x[c]) < PanamaExp.X_SMALL;
                    double err = Math.abs(got - want) / floatUlp(want);
                    if (want == 0 ? Float.floatToRawIntBits(got) != Float.floatToRawIntBits(x[c])
                            : !(err <= (small ? SMALL_ULPS : LARGE_ULPS) + 5 * Math.ulp(want) / floatUlp(want))) {
                        fail("tanh(" + x[c] + ") = " + got + ", reference " + want + ": " + err + " float ulps");
                    }
                    worst[small ? 0 : 1] = Math.max(worst[small ? 0 : 1], err);
                }
            }
        }
        // the bounds are not loose by orders of magnitude (measured over every float in [0, 10]: 0.721, 1.330)
        assertTrue(worst[0] > 0.5 && worst[1] > 1, "worst errors " + worst[0] + ", " + worst[1]);
    }

    @Test
    void tanhOfSpecialValues() {
        assumeTrue(KernelProvider.vectorModulePresent(), "needs --add-modules jdk.incubator.vector");
        try (DenseMatrix a = DenseMatrix.of(1, SPECIAL.length, SPECIAL)) {
            new PanamaTanh().tanh(a, 0, 1);
            for (int e = 0; e < SPECIAL.length; e++) {
                float x = SPECIAL[e];
                float got = a.get(0, e);
                double want = Math.tanh(x);
                boolean ok = Double.isNaN(want) ? Float.isNaN(got)
                        : want == 0 || Math.abs(x) > PanamaExp.X_SATURATE ? got == (float) want && Math.copySign(1f, got) == Math.copySign(1f, x)
                        : Math.abs(got - want) <= LARGE_ULPS * floatUlp(want);
                assertTrue(ok, "tanh(" + x + ") = " + got + ", reference " + want);
            }
        }
    }

    /** Specials first (each width gets some), then uniform in [-10, 10] and log-uniform magnitudes 1e-40 to 1e3. */
    private static float[] inputs(SplittableRandom rnd, int count) {
        float[] x = new float[count];
        for (int e = 0; e < count; e++) {
            int s = rnd.nextInt(3 * SPECIAL.length);
            x[e] = s < SPECIAL.length ? SPECIAL[s]
                    : rnd.nextBoolean() ? (float) rnd.nextDouble(-10, 10)
                    : (float) (Math.pow(10, rnd.nextDouble(-40, 3)) * (rnd.nextBoolean() ? 1 : -1));
        }
        return x;
    }

    private static void requireSameBits(String what, float x, float want, float got) {
        if (Float.isNaN(want) ? !Float.isNaN(got) : Float.floatToRawIntBits(want) != Float.floatToRawIntBits(got)) {
            fail(what + ": f(" + x + ") = " + got + ", the scalar arithmetic gives " + want);
        }
    }

    /** PanamaExp's exp on one lane: the same operations in the same order, {@code Math.fma} where it has FMA. */
    static float exp(float x) {
        float t = Math.fma(x, PanamaExp.LOG2E, PanamaExp.ROUND_MAGIC);
        float k = t - PanamaExp.ROUND_MAGIC;
        float r = Math.fma(k, -PanamaExp.LN2_LO, Math.fma(k, -PanamaExp.LN2_HI, x));
        float p = Math.fma(r, PanamaExp.P0, PanamaExp.P1);
        p = Math.fma(p, r, PanamaExp.P2);
        p = Math.fma(p, r, PanamaExp.P3);
        p = Math.fma(p, r, PanamaExp.P4);
        p = Math.fma(p, r, PanamaExp.P5);
        p = Math.fma(p, r * r, r + r) + 2f;
        float scale = Float.intBitsToFloat((Float.floatToRawIntBits(t) + PanamaExp.EXPONENT_BIAS) << 23);
        float e = p * scale;
        if (x < PanamaExp.X_FLUSH) {
            e = 0f;
        }
        return x > PanamaExp.X_OVERFLOW ? Float.POSITIVE_INFINITY : e;
    }

    /** PanamaExp's tanh on one lane, likewise. */
    static float tanh(float z) {
        float a = Math.abs(z);
        float large = 1f - 2f / (exp(a + a) + 1f);
        float aa = a * a;
        float q = Math.fma(aa, PanamaExp.T0, PanamaExp.T1);
        q = Math.fma(q, aa, PanamaExp.T2);
        q = Math.fma(q, aa, PanamaExp.T3);
        q = Math.fma(q, aa, PanamaExp.T4);
        float y = a < PanamaExp.X_SMALL ? Math.fma(q, aa * a, a) : large;
        if (a > PanamaExp.X_SATURATE) {
            y = 1f;
        }
        return Float.intBitsToFloat(Float.floatToRawIntBits(y) | Float.floatToRawIntBits(z) & PanamaExp.SIGN_BIT);
    }
}
