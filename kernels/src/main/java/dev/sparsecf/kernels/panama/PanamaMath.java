package dev.sparsecf.kernels.panama;

import static dev.sparsecf.kernels.panama.PanamaVectorConstants.FLOATS;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Vector math built only from IEEE-exact lane operations (add, multiply, FMA, compares, bit casts), so that a
 * result does not depend on whether the interpreter, C1 or C2 runs the code. The Vector API's own
 * {@code lanewise(EXP)} is {@code (float) Math.exp} in its Java fallback but the SVML stub once C2 has compiled
 * it, and {@code reduceLanes(ADD)} sums in an unspecified order: both made seeded training differ in the last
 * bit depending on JIT timing.
 */
final class PanamaMath {

    private static final float LOG2E = 1.44269504088896341f;
    /** ln 2 split in two (Cody and Waite): {@code n * LN2_HI} is exact for the n that occur here. */
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    /** 1.5 * 2^23: adding and subtracting it rounds a float of magnitude below 2^22 to the nearest integer. */
    private static final float ROUND = 12582912f;
    /** Above this exp overflows to +inf. */
    private static final float MAX_X = 88.72283f;
    /** Below this the result (under 2^-125) is flushed to 0; a softmax sum has a term of at least 1 anyway. */
    private static final float MIN_X = -86.6f;
    // Cephes expf minimax polynomial for exp(r) - 1 - r on [-ln2/2, ln2/2]
    private static final float P0 = 1.9875691500e-4f;
    private static final float P1 = 1.3981999507e-3f;
    private static final float P2 = 8.3334519073e-3f;
    private static final float P3 = 4.1665795894e-2f;
    private static final float P4 = 1.6666665459e-1f;
    private static final float P5 = 5.0000001201e-1f;

    /** Relative error bound of {@link #exp} for inputs in [MIN_X, MAX_X]: 4u (u = 2^-24); measured worst 1.4u. */
    static final double EXP_RELATIVE_ERROR = 4 * 0x1p-24;

    private PanamaMath() {
    }

    /**
     * Lanewise {@code e^x}: range reduction {@code x = n ln2 + r}, a degree-7 polynomial for {@code e^r} and
     * {@code 2^n} built from exponent bits. Within {@link #EXP_RELATIVE_ERROR}; +inf above 88.72, 0 below
     * -86.6 (and for -inf), NaN for NaN.
     */
    static FloatVector exp(FloatVector x) {
        FloatVector v = x.max(MIN_X).min(MAX_X);
        FloatVector n = v.fma(LOG2E, ROUND).sub(ROUND);
        FloatVector r = n.fma(FloatVector.broadcast(FLOATS, -LN2_HI), v);
        r = n.fma(FloatVector.broadcast(FLOATS, -LN2_LO), r);
        FloatVector p = r.fma(FloatVector.broadcast(FLOATS, P0), FloatVector.broadcast(FLOATS, P1));
        p = p.fma(r, FloatVector.broadcast(FLOATS, P2));
        p = p.fma(r, FloatVector.broadcast(FLOATS, P3));
        p = p.fma(r, FloatVector.broadcast(FLOATS, P4));
        p = p.fma(r, FloatVector.broadcast(FLOATS, P5));
        FloatVector y = p.fma(r.mul(r), r).add(1f);
        // 2^n as 2^(n-1) * 2, so that n = 128 (x near MAX_X) stays a normal float exponent
        IntVector bits = ((IntVector) n.convert(VectorOperators.F2I, 0)).add(126).lanewise(VectorOperators.LSHL, 23);
        FloatVector result = y.mul(bits.reinterpretAsFloats()).mul(2f);
        // vector-argument blends and compare(NE) for NaN: the scalar-argument blend and test(IS_NAN) forms are
        // not intrinsified on x86 in JDK 25 and ran as boxed Java fallbacks
        result = result.blend(FloatVector.zero(FLOATS), x.compare(VectorOperators.LT, MIN_X));
        result = result.blend(FloatVector.broadcast(FLOATS, Float.POSITIVE_INFINITY), x.compare(VectorOperators.GT, MAX_X));
        return result.blend(x, x.compare(VectorOperators.NE, x));
    }

    /** The sum of {@code v}'s lanes in lane order, in double: the same on every JIT tier, and no float rounding. */
    static double sumLanes(FloatVector v) {
        double s = 0;
        for (int i = 0; i < FLOATS.length(); i++) {
            s += v.lane(i);
        }
        return s;
    }
}
