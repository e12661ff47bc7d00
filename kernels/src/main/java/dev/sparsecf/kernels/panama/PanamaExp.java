package dev.sparsecf.kernels.panama;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Lanewise float {@code exp} from plain vector arithmetic: Cody-Waite range reduction {@code x = n ln2 + r},
 * {@code |r| <= ln2 / 2}, Cephes' {@code expf} polynomial {@code 1 + r + r^2 P5(r)} by FMA Horner, then
 * {@code 2^n} applied as two exact power-of-two factors so that subnormal results round once.
 *
 * <p>Why not {@code lanewise(EXP)}: that op runs the JDK's SVML stub when C2 compiled the caller and a Java
 * fallback ({@code Math.exp} per lane) before, and the two may differ in the last bit, so a result depended on
 * the JIT's timing. Every op here is IEEE-exact or correctly rounded in both paths (FMA included), so the bits
 * are the same in every run, tier and thread split.
 *
 * <p>Accuracy, measured against {@code Math.exp} in double over every float in [-104, 89] (PanamaExpTest, which
 * rechecks every 31st): at most 1.011 float ulps (worst at x = -5.8778844), so a relative error below
 * {@code 2.03 * 2^-24} for normal results, and within 1.011 subnormal ulps ({@code 2^-149}) below
 * {@code Float.MIN_NORMAL}. Special values: {@code exp(-inf) = 0}, {@code exp(+inf) = +inf}, NaN stays NaN,
 * {@code x > 88.73} gives {@code +inf} and {@code x < -103.98} gives 0.
 */
final class PanamaExp {

    private static final float LOG2E = 1.44269504088896341f;
    /** {@code 1.5 * 2^23}: adding it rounds a float of magnitude below {@code 2^22} to an integer in the low bits. */
    private static final float ROUND_MAGIC = 0x1.8p23f;
    private static final int ROUND_MAGIC_BITS = Float.floatToRawIntBits(ROUND_MAGIC);
    /** Cody-Waite split of ln 2 (Cephes): {@code LN2_HI} has 10 significant bits, so {@code n * LN2_HI} is exact. */
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    // Cephes expf: exp(r) ~ 1 + r + r^2 (P0 r^5 + ... + P5), about 1 ulp on [-ln2/2, ln2/2]
    private static final float P0 = 1.9875691500e-4f;
    private static final float P1 = 1.3981999507e-3f;
    private static final float P2 = 8.3334519073e-3f;
    private static final float P3 = 4.1665795894e-2f;
    private static final float P4 = 1.6666665459e-1f;
    private static final float P5 = 5.0000001201e-1f;
    /** Beyond these the result is +inf or 0 anyway; clamping keeps {@code n} in [-150, 128] for the two factors. */
    private static final float X_MAX = 89f;
    private static final float X_MIN = -104f;

    private PanamaExp() {
    }

    /** {@code exp(x)} per lane, allocation-free once inlined, the same bits on every run. */
    static FloatVector exp(FloatVector x) {
        VectorSpecies<Float> s = x.species();
        FloatVector xc = x.max(X_MIN).min(X_MAX); // NaN stays NaN (Math.min/max semantics)
        FloatVector t = xc.fma(LOG2E, ROUND_MAGIC); // n = round(x log2 e) in the low mantissa bits
        FloatVector n = t.sub(ROUND_MAGIC);
        FloatVector r = n.fma(FloatVector.broadcast(s, -LN2_LO), xc.sub(n.mul(LN2_HI))); // n * LN2_HI exact
        FloatVector p = r.fma(P0, P1)
                .fma(r, FloatVector.broadcast(s, P2))
                .fma(r, FloatVector.broadcast(s, P3))
                .fma(r, FloatVector.broadcast(s, P4))
                .fma(r, FloatVector.broadcast(s, P5));
        p = p.fma(r.mul(r), r).add(1f);
        IntVector ni = t.reinterpretAsInts().sub(ROUND_MAGIC_BITS);
        IntVector n1 = ni.lanewise(VectorOperators.ASHR, 1);
        IntVector n2 = ni.sub(n1);
        FloatVector s1 = n1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector s2 = n2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return p.mul(s1).mul(s2); // p * 2^n1 is exact; the second multiply rounds once, also into subnormals
    }
}
