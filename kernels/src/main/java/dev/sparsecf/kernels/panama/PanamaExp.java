package dev.sparsecf.kernels.panama;

import static dev.sparsecf.kernels.panama.PanamaVectorConstants.FLOATS;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Lanewise float {@code exp}, and {@code tanh} built on it ({@link PanamaTanh}), from plain vector arithmetic:
 * Cody-Waite range reduction {@code x = n ln2 + r}, {@code |r| <= ln2 / 2}, Cephes' {@code expf} polynomial {@code 1 + r + r^2 P5(r)} by FMA Horner (with every
 * coefficient doubled, which gives {@code 2 exp(r)} with the same roundings), times {@code 2^(n-1)} built in the
 * exponent bits, so that {@code n = 128} (x up to 88.72) still has a finite factor.
 *
 * <p>Why not {@code lanewise(EXP)}: that op runs the JDK's SVML stub when C2 compiled the caller and a Java
 * fallback ({@code Math.exp} per lane) before, and the two may differ in the last bit, so a result depended on
 * the JIT's timing. Every op here is IEEE-exact or correctly rounded in both paths (FMA included), so the bits
 * are the same in every run, tier and thread split. No clamp: {@code Math.min/max} semantics on float lanes cost
 * about as much as the polynomial; out-of-range lanes are blended at the end instead.
 *
 * <p>Accuracy, measured against {@code Math.exp} in double over every float input (PanamaExpTest, which
 * rechecks every 31st): at most 1.011 float ulps (worst at x = -5.8778844), a relative error below
 * {@code 2.03 * 2^-24}, for x >= -86.99 (results from {@code 2^-125.5}, about 1.66e-38, up); below that the result
 * is flushed to 0, an absolute error under {@code 1.42 * 2^-126}. {@code exp(-inf) = 0}, {@code x > 88.7228} and
 * {@code +inf} give {@code +inf}, NaN stays NaN.
 */
final class PanamaExp {

    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    // the constants are package-private: PanamaTanhTest re-implements the arithmetic lane by lane with them
    static final float LOG2E = 1.44269504088896341f;
    /** {@code 1.5 * 2^23}: adding it rounds a float of magnitude below {@code 2^22} to an integer in the low bits. */
    static final float ROUND_MAGIC = 0x1.8p23f;
    /** Added to the bits of {@code x log2 e + ROUND_MAGIC}: the biased exponent of {@code 2^(n-1)}. */
    static final int EXPONENT_BIAS = 126 - Float.floatToRawIntBits(ROUND_MAGIC);
    /** Cody-Waite split of ln 2 (Cephes): {@code LN2_HI} has 10 significant bits, so {@code n * LN2_HI} is exact. */
    static final float LN2_HI = 0.693359375f;
    static final float LN2_LO = -2.12194440e-4f;
    // Cephes expf, times 2: 2 exp(r) ~ 2 + 2r + r^2 (P0 r^5 + ... + P5), about 1 ulp on [-ln2/2, ln2/2]
    static final float P0 = 2 * 1.9875691500e-4f;
    static final float P1 = 2 * 1.3981999507e-3f;
    static final float P2 = 2 * 8.3334519073e-3f;
    static final float P3 = 2 * 4.1665795894e-2f;
    static final float P4 = 2 * 1.6666665459e-1f;
    static final float P5 = 2 * 5.0000001201e-1f;
    /** Above this {@code exp} overflows ({@code (float) Math.exp} is +inf from the next float up). */
    static final float X_OVERFLOW = 88.72283935546875f;
    /**
     * Below this {@code n < -126}, whose factor has no exponent bits: 0. At {@code n = -126} (from x = -87.68 to
     * -86.99) the factor's biased exponent is 0, so those lanes are 0 already.
     */
    static final float X_FLUSH = -87.5f;

    // Cephes tanhf: tanh x ~ x + x^3 P(x^2) on |x| < 0.625, P's coefficients from x^8 down to x^0
    static final float T0 = -5.70498872745e-3f;
    static final float T1 = 2.06390887954e-2f;
    static final float T2 = -5.37397155531e-2f;
    static final float T3 = 1.33314422036e-1f;
    static final float T4 = -3.33332819422e-1f;
    /** Below this {@code |x|} tanh takes the polynomial, from it on the exp (Cephes' split). */
    static final float X_SMALL = 0.625f;
    /**
     * Above this {@code |x|} (just over {@code 13 ln 2}) {@code 1 - tanh|x| < 2^-25}, half an ulp below 1: tanh is
     * +-1 in float.
     */
    static final float X_SATURATE = 9.0110f;
    static final int SIGN_BIT = 0x8000_0000;

    private PanamaExp() {
    }

    /**
     * {@code g_j = exp(z_j - shift)} for the {@code n} floats at {@code zOffset} into those at {@code gOffset} (the two
     * may be the same), returning their sum: per-lane float sums (lane {@code l} takes the elements {@code l} mod the
     * lane count), added in double in lane order, the same bits in every run.
     */
    static double expRow(MemorySegment zs, long zOffset, MemorySegment gs, long gOffset, int n, float shift) {
        return row(zs, zOffset, gs, gOffset, n, shift, false);
    }

    /**
     * {@code x_j = tanh(x_j)} for the {@code n} floats at {@code offset}, in place. For {@code |x| < 0.625} Cephes'
     * {@code tanhf} polynomial {@code x + x^3 P(x^2)} (FMA Horner), above it {@code 1 - 2 / (exp(2|x|) + 1)} with this
     * class's exp and the sign of x, and exactly +-1 above {@link #X_SATURATE}; NaN stays NaN, -0 stays -0.
     *
     * Accuracy: {@link PanamaTanh}.
     */
    static void tanhRow(MemorySegment s, long offset, int n) {
        row(s, offset, s, offset, n, 0f, true);
    }

    /**
     * {@link #expRow}, or {@link #tanhRow} built on the same exp. The polynomial, the tanh, the row tail and the lane
     * sum sit in this one method on purpose: a vector that crosses a call C2 does not inline is boxed, and whether it
     * inlines depends on the JIT's order. An {@code exp(FloatVector)} method compiled on its own before its caller,
     * or a lane-sum call refused once the caller's graph passed C2's NodeCountInliningCutoff, cost 96 bytes per row
     * (issue #20). No call here takes or returns a vector except the Vector API's own, which are all force-inlined.
     * The tail runs the same arithmetic on a masked load and store, so an element's bits do not depend on where in
     * the row it sits.
     */
    private static double row(MemorySegment zs, long zOffset, MemorySegment gs, long gOffset, int n, float shift,
                              boolean tanh) {
        FloatVector sum = FloatVector.zero(FLOATS);
        int bound = FLOATS.loopBound(n);
        for (int j = 0; j < n; j += FLOATS.length()) {
            long o = (long) j * Float.BYTES;
            boolean full = j < bound;
            FloatVector z;
            if (full) {
                z = FloatVector.fromMemorySegment(FLOATS, zs, zOffset + o, ORDER);
            } else { // the tail's inactive lanes read as -inf, whose exp adds 0 to the sum
                VectorMask<Float> m = FLOATS.indexInRange(j, n);
                z = FloatVector.broadcast(FLOATS, Float.NEGATIVE_INFINITY).blend(FloatVector.fromMemorySegment(FLOATS, zs, zOffset + o, ORDER, m), m);
            }
            FloatVector a = z.abs();
            FloatVector x = tanh ? a.add(a) : z.sub(shift); // exact both ways for tanh: 2|z|
            FloatVector t = x.fma(LOG2E, ROUND_MAGIC); // n = round(x log2 e) in the low mantissa bits
            FloatVector k = t.sub(ROUND_MAGIC);
            FloatVector r = k.fma(FloatVector.broadcast(FLOATS, -LN2_LO), k.fma(FloatVector.broadcast(FLOATS, -LN2_HI), x));
            FloatVector p = r.fma(P0, P1)
                    .fma(r, FloatVector.broadcast(FLOATS, P2))
                    .fma(r, FloatVector.broadcast(FLOATS, P3))
                    .fma(r, FloatVector.broadcast(FLOATS, P4))
                    .fma(r, FloatVector.broadcast(FLOATS, P5));
            p = p.fma(r.mul(r), r.add(r)).add(2f); // 2 exp(r)
            FloatVector scale = t.reinterpretAsInts().add(EXPONENT_BIAS).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector e = p.mul(scale); // exact: both factors normal, one a power of two
            // NaN compares false both ways and stays NaN; -inf and +inf land in the blends
            e = e.blend(0f, x.compare(VectorOperators.LT, X_FLUSH));
            e = e.blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.GT, X_OVERFLOW));
            if (tanh) { // on |z|, then z's sign bit: odd exactly, and tanh(-0) = -0
                FloatVector large = FloatVector.broadcast(FLOATS, 1f).sub(FloatVector.broadcast(FLOATS, 2f).div(e.add(1f)));
                FloatVector aa = a.mul(a);
                FloatVector q = aa.fma(T0, T1)
                        .fma(aa, FloatVector.broadcast(FLOATS, T2))
                        .fma(aa, FloatVector.broadcast(FLOATS, T3))
                        .fma(aa, FloatVector.broadcast(FLOATS, T4));
                e = large.blend(q.fma(aa.mul(a), a), a.compare(VectorOperators.LT, X_SMALL)) // a + a^3 P(a^2)
                        .blend(1f, a.compare(VectorOperators.GT, X_SATURATE))
                        .reinterpretAsInts().or(z.reinterpretAsInts().and(SIGN_BIT)).reinterpretAsFloats();
            }
            sum = sum.add(e);
            if (full) {
                e.intoMemorySegment(gs, gOffset + o, ORDER);
            } else {
                e.intoMemorySegment(gs, gOffset + o, ORDER, FLOATS.indexInRange(j, n));
            }
        }
        double total = 0;
        for (int l = 0; l < FLOATS.length(); l++) {
            total += sum.lane(l);
        }
        return total;
    }
}
