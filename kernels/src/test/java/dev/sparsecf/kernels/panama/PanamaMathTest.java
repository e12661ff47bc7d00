package dev.sparsecf.kernels.panama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sparsecf.kernels.KernelProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link PanamaMath} against {@code Math.exp} in double, over every float exponent the kernels can meet. */
class PanamaMathTest {

    @BeforeAll
    static void vectorModule() {
        assumeTrue(KernelProvider.vectorModulePresent(), "jdk.incubator.vector is not loaded: Panama math not testable");
    }

    @Test
    void expIsWithinItsBoundOverItsRange() {
        int lanes = PanamaVectorConstants.LANES;
        float[] in = new float[lanes];
        float[] out = new float[lanes];
        double worst = 0;
        // every 97th float between -86.6 and 88.72 (about 22 million values), by magnitude bit pattern and sign
        long checked = 0;
        for (int bits = 0; Float.intBitsToFloat(bits) <= 86.6f; bits += 97 * lanes) {
            worst = Math.max(worst, check(in, out, bits, -1f));
            checked += lanes;
        }
        for (int bits = 0; Float.intBitsToFloat(bits) < 88.72f; bits += 97 * lanes) {
            worst = Math.max(worst, check(in, out, bits, 1f));
            checked += lanes;
        }
        assertTrue(checked > 1_000_000, "checked " + checked);
        System.out.printf("PanamaMath.exp: worst relative error %.3g (%.2f u, u = 2^-24) over %d inputs%n", worst, worst / 0x1p-24, checked);
        assertTrue(worst <= PanamaMath.EXP_RELATIVE_ERROR, "worst relative error " + worst + " > " + PanamaMath.EXP_RELATIVE_ERROR);
    }

    private static double check(float[] in, float[] out, int startBits, float sign) {
        for (int l = 0; l < in.length; l++) {
            in[l] = sign * Float.intBitsToFloat(startBits + l * 97);
        }
        PanamaMath.exp(jdk.incubator.vector.FloatVector.fromArray(PanamaVectorConstants.FLOATS, in, 0)).intoArray(out, 0);
        double worst = 0;
        for (int l = 0; l < in.length; l++) {
            if (in[l] < -86.6f || in[l] > 88.72283f) {
                continue;
            }
            double exact = Math.exp(in[l]);
            worst = Math.max(worst, Math.abs(out[l] - exact) / exact);
        }
        return worst;
    }

    @Test
    void expEdgeCases() {
        float[] in = new float[PanamaVectorConstants.LANES];
        float[] out = new float[in.length];
        float[] cases = {0f, -0f, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, Float.NaN, -1e4f, 1e4f, -86.61f, 88.73f, 1f};
        for (int l = 0; l < in.length; l++) {
            in[l] = cases[l % cases.length];
        }
        PanamaMath.exp(jdk.incubator.vector.FloatVector.fromArray(PanamaVectorConstants.FLOATS, in, 0)).intoArray(out, 0);
        for (int l = 0; l < in.length; l++) {
            float x = in[l];
            if (Float.isNaN(x)) {
                assertTrue(Float.isNaN(out[l]), "exp(NaN)");
            } else if (x < -86.6f) {
                assertEquals(0f, out[l], "exp(" + x + ") flushes to 0");
            } else if (x > 88.72283f) {
                assertEquals(Float.POSITIVE_INFINITY, out[l], "exp(" + x + ") overflows");
            } else {
                assertEquals(Math.exp(x), out[l], Math.exp(x) * PanamaMath.EXP_RELATIVE_ERROR, "exp(" + x + ")");
            }
        }
    }

    @Test
    void sumLanesAddsInLaneOrder() {
        float[] v = new float[PanamaVectorConstants.LANES];
        double expected = 0;
        for (int l = 0; l < v.length; l++) {
            v[l] = l % 2 == 0 ? 1e8f : 1f;
            expected += v[l];
        }
        assertEquals(expected, PanamaMath.sumLanes(jdk.incubator.vector.FloatVector.fromArray(PanamaVectorConstants.FLOATS, v, 0)), 0.0);
    }
}
