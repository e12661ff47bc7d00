package dev.sparsecf.kernels.panama;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sparsecf.kernels.DenseMatrix;
import dev.sparsecf.kernels.KernelProvider;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link PanamaSampling}: the same bits as a scalar re-implementation of its arithmetic (the vector columns with its
 * own double exp, the row tail with {@code Math.exp}, the KL's lane sums in lane order), which proves the results do
 * not depend on the JIT's state (see PanamaTanhTest); and its exp within the derived 2.2 double ulps.
 */
class PanamaSamplingTest {

    private static final int[] WIDTHS = {0, 1, 7, 15, 16, 17, 33, 1000};

    /** Logvar values: zeros, NaN, infinities, subnormals, the flush and overflow edges of exp(logvar / 2), extremes. */
    private static final float[] SPECIAL = {
        0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE, -Float.MIN_VALUE,
        1e-30f, -1416f, -1416.1f, -1500f, 1419.5f, 1419.6f, -100f, 40f, 88f, Float.MAX_VALUE, -Float.MAX_VALUE,
    };

    /** PanamaSampling's derived bound for its exp, plus Math.exp's own 1 ulp. */
    private static final double EXP_ULPS = 2.2 + 1;

    @Test
    void sampleAndBackwardHaveTheBitsOfTheirScalarArithmetic() {
        assumeTrue(KernelProvider.vectorModulePresent(), "needs --add-modules jdk.incubator.vector");
        SplittableRandom rnd = new SplittableRandom(11);
        int m = 3;
        for (int k : WIDTHS) {
            float[] muLogvar = new float[m * 2 * k];
            float[] eps = new float[m * k];
            float[] dz = new float[m * k];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < k; j++) {
                    int s = rnd.nextInt(4 * SPECIAL.length);
                    muLogvar[i * 2 * k + j] = (float) rnd.nextDouble(-3, 3);
                    muLogvar[i * 2 * k + k + j] = s < SPECIAL.length ? SPECIAL[s] : (float) rnd.nextDouble(-30, 30);
                    eps[i * k + j] = (float) rnd.nextGaussian();
                    dz[i * k + j] = (float) rnd.nextDouble(-1, 1);
                }
            }
            float[] beta = {0.2f, 1f, 0.05f};
            double[] rowKl = new double[m];
            try (DenseMatrix ml = DenseMatrix.of(m, 2 * k, muLogvar); DenseMatrix noise = DenseMatrix.of(m, k, eps);
                 DenseMatrix z = DenseMatrix.allocate(m, k); DenseMatrix g = DenseMatrix.of(m, k, dz);
                 DenseMatrix d = DenseMatrix.allocate(m, 2 * k)) {
                PanamaSampling kernel = new PanamaSampling();
                kernel.sample(ml, noise, z, rowKl, 0, m);
                kernel.backward(ml, noise, g, beta, d, 0, m);
                int lanes = PanamaVectorConstants.DOUBLE_LANES;
                int bound = k - k % lanes;
                for (int i = 0; i < m; i++) {
                    double[] laneKl = new double[lanes];
                    double kl = 0;
                    for (int j = 0; j < k; j++) {
                        float mu = muLogvar[i * 2 * k + j];
                        float logvar = muLogvar[i * 2 * k + k + j];
                        float e = eps[i * k + j];
                        float gz = dz[i * k + j];
                        double std = j < bound ? exp(0.5 * logvar) : Math.exp(0.5 * logvar);
                        double var = j < bound ? std * std : Math.exp(logvar);
                        float stdF = (float) std;
                        float varF = (float) var;
                        String at = "k = " + k + ", [" + i + "][" + j + "], logvar = " + logvar;
                        requireSameBits("z, " + at, mu + e * stdF, z.get(i, j));
                        requireSameBits("dmu, " + at, gz + beta[i] * mu, d.get(i, j));
                        float dLogvar = j < bound ? 0.5f * gz * e * stdF + (varF - 1f) * (0.5f * beta[i])
                                : 0.5f * gz * e * stdF + 0.5f * beta[i] * (varF - 1f);
                        requireSameBits("dlogvar, " + at, dLogvar, d.get(i, k + j));
                        double term = 0.5 * (-logvar + var + (double) mu * mu - 1);
                        if (j < bound) {
                            laneKl[j % lanes] += (-(double) logvar + var + (double) mu * mu - 1) * 0.5;
                        } else {
                            if (j == bound) {
                                for (double s : laneKl) {
                                    kl += s;
                                }
                            }
                            kl += term;
                        }
                    }
                    if (bound == k) {
                        for (double s : laneKl) {
                            kl += s;
                        }
                    }
                    if (!(Double.isNaN(kl) ? Double.isNaN(rowKl[i])
                            : Double.doubleToRawLongBits(kl) == Double.doubleToRawLongBits(rowKl[i]))) {
                        fail("KL of row " + i + ", k = " + k + ": " + rowKl[i] + ", the scalar arithmetic gives " + kl);
                    }
                }
            }
        }
    }

    @Test
    void expWithinItsDerivedBound() {
        double worst = 0;
        double worstAt = 0;
        // x = logvar / 2 for every 257th float logvar in [-1416, 1419.5]: every binade of exp's range, densely
        for (float sign : new float[] {1f, -1f}) {
            float end = sign > 0 ? 1419.5f : 1416f;
            for (int bits = 0; bits <= Float.floatToRawIntBits(end); bits += 257) {
                double x = 0.5 * sign * Float.intBitsToFloat(bits);
                double want = Math.exp(x);
                double err = Math.abs(exp(x) - want) / Math.ulp(want);
                if (!(err <= EXP_ULPS)) {
                    fail("exp(" + x + ") = " + exp(x) + ", Math.exp " + want + ": " + err + " double ulps");
                }
                if (err > worst) {
                    worst = err;
                    worstAt = x;
                }
            }
        }
        assertTrue(worst > 0.5, "worst " + worst + " ulps at " + worstAt); // the sweep reaches rounding differences
    }

    /**
     * PanamaSampling's exp on one lane: the same operations in the same order, {@code Math.fma} where it has FMA.
     * Plain arithmetic, so {@link #sampleAndBackwardHaveTheBitsOfTheirScalarArithmetic} makes its accuracy the
     * kernel's.
     */
    static double exp(double x) {
        double t = Math.fma(x, PanamaSampling.LOG2E, PanamaSampling.ROUND_MAGIC);
        double n = t - PanamaSampling.ROUND_MAGIC;
        double r = Math.fma(n, -PanamaSampling.LN2_LO, Math.fma(n, -PanamaSampling.LN2_HI, x));
        double[] c = {PanamaSampling.T12, PanamaSampling.T11, PanamaSampling.T10, PanamaSampling.T9, PanamaSampling.T8,
            PanamaSampling.T7, PanamaSampling.T6, PanamaSampling.T5, PanamaSampling.T4, PanamaSampling.T3,
            PanamaSampling.T2, 1.0, 1.0};
        double p = PanamaSampling.T13;
        for (double ci : c) {
            p = Math.fma(p, r, ci);
        }
        double scale = Double.longBitsToDouble((Double.doubleToRawLongBits(t) + PanamaSampling.EXPONENT_BIAS) << 52);
        double e = (p + p) * scale;
        if (x < PanamaSampling.X_FLUSH) {
            e = 0;
        }
        return x > PanamaSampling.X_OVERFLOW ? Double.POSITIVE_INFINITY : e;
    }

    private static void requireSameBits(String what, float want, float got) {
        if (Float.isNaN(want) ? !Float.isNaN(got) : Float.floatToRawIntBits(want) != Float.floatToRawIntBits(got)) {
            fail(what + ": " + got + ", the scalar arithmetic gives " + want);
        }
    }
}
