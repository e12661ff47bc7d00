package dev.sparsecf.models;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsecf.kernels.DenseMatrix;
import dev.sparsecf.kernels.Kernels;
import dev.sparsecf.testing.ErrorBounds;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link Adam} against Kingma and Ba's textbook form, computed independently: the bias-corrected step size
 * against exact decimal arithmetic, and whole updates against a double-precision Adam with explicit bias
 * correction of the moments, within a running float error bound.
 */
class AdamTest {

    private static final double U = ErrorBounds.U_DOUBLE;
    private static final double UF = ErrorBounds.U_FLOAT;

    @Test
    void stepSizeIsTheBiasCorrectedLearningRate() {
        MathContext mc = MathContext.DECIMAL128;
        for (long t : new long[] {1, 2, 3, 10, 100, 1_000, 10_000, 1_000_000}) {
            // exact powers of the double betas, then lr * sqrt(1 - b2^t) / (1 - b1^t) to 34 digits
            BigDecimal c1 = BigDecimal.ONE.subtract(new BigDecimal(Adam.BETA1).pow((int) t, mc), mc);
            BigDecimal c2 = BigDecimal.ONE.subtract(new BigDecimal(Adam.BETA2).pow((int) t, mc), mc);
            double want = new BigDecimal(1e-3).multiply(c2.sqrt(mc), mc).divide(c1, mc).doubleValue();
            double got = Adam.stepSize(1e-3, t);
            // Math.pow is within 1 ulp (2u of b^t), which 1 - b^t magnifies by b^t / (1 - b^t); the square root
            // halves c2's error; sqrt, the subtractions, the product and the quotient add a rounding each
            double b1t = Math.pow(Adam.BETA1, t);
            double b2t = Math.pow(Adam.BETA2, t);
            double bound = (2 * U * b1t / (1 - b1t) + U * b2t / (1 - b2t) + 6 * U) * Math.abs(want);
            assertTrue(Math.abs(got - want) <= bound, "t = " + t + ": stepSize " + got + ", exact " + want + ", bound " + bound);
        }
        // the limits: sqrt(0.001) / 0.1 at the first update, the plain learning rate once the moments have warmed up
        assertTrue(Math.abs(Adam.stepSize(1e-3, 1) - 1e-3 * Math.sqrt(1e-3) / 0.1) <= 1e-3 * 1e-14);
        assertTrue(Math.abs(Adam.stepSize(1e-3, 100_000) - 1e-3) <= 1e-3 * 1e-14);
    }

    /**
     * Five updates of a parameter row with weight decay, against textbook Adam in double: {@code g + 2 lambda w},
     * moments {@code m, v}, {@code m / (1 - b1^t)} over {@code sqrt(v / (1 - b2^t)) + epsHat} with
     * {@code epsHat = eps / sqrt(1 - b2^t)}: folding the correction into the step size (TensorFlow, Liang et al.)
     * is this form with the epsilon scaled so, the same update in exact arithmetic.
     */
    @Test
    void updatesFollowTextbookAdamWithExplicitBiasCorrection() {
        int n = 37;
        double lr = 1e-3;
        double lambda = 0.01;
        SplittableRandom rnd = new SplittableRandom(3);
        double[] w = new double[n];
        double[] m = new double[n];
        double[] v = new double[n];
        double[] ew = new double[n]; // running bounds on |float - double| of w, m and v
        double[] em = new double[n];
        double[] ev = new double[n];
        // the kernel's float hyperparameters differ from the double ones by these (1 - 0.999f is off by 1.3e-5)
        float b1f = (float) Adam.BETA1;
        float b2f = (float) Adam.BETA2;
        double db1 = Math.abs(b1f - Adam.BETA1);
        double db2 = Math.abs(b2f - Adam.BETA2);
        double decay = 2 * lambda;
        double dDecay = Math.abs((float) decay - decay);
        Kernels kernels = Kernels.get();
        try (DenseMatrix wf = DenseMatrix.allocate(1, n);
             DenseMatrix gf = DenseMatrix.allocate(1, n);
             DenseMatrix mf = DenseMatrix.allocate(1, n);
             DenseMatrix vf = DenseMatrix.allocate(1, n)) {
            for (int j = 0; j < n; j++) {
                w[j] = (float) (2 * rnd.nextDouble() - 1);
                wf.set(0, j, (float) w[j]);
            }
            for (int t = 1; t <= 5; t++) {
                double c1 = 1 - Math.pow(Adam.BETA1, t);
                double c2 = 1 - Math.pow(Adam.BETA2, t);
                double epsHat = Adam.EPSILON / Math.sqrt(c2);
                double s = Adam.stepSize(lr, t);
                for (int j = 0; j < n; j++) {
                    // gradients over six decades, some zero (then only the moments decay)
                    float g = j % 9 == 4 ? 0f : (float) ((2 * rnd.nextDouble() - 1) * Math.pow(10, -rnd.nextInt(6)));
                    gf.set(0, j, g);
                    double gp = g + decay * w[j];
                    double egp = decay * ew[j] + dDecay * Math.abs(w[j]) + 2 * UF * (Math.abs(g) + decay * Math.abs(w[j]));
                    double mNew = Adam.BETA1 * m[j] + (1 - Adam.BETA1) * gp;
                    double vNew = Adam.BETA2 * v[j] + (1 - Adam.BETA2) * gp * gp;
                    em[j] = Adam.BETA1 * em[j] + db1 * (Math.abs(m[j]) + Math.abs(gp)) + (1 - Adam.BETA1) * egp
                            + 3 * UF * (Adam.BETA1 * Math.abs(m[j]) + (1 - Adam.BETA1) * Math.abs(gp));
                    ev[j] = Adam.BETA2 * ev[j] + db2 * (v[j] + gp * gp) + (1 - Adam.BETA2) * 2 * Math.abs(gp) * egp
                            + 4 * UF * (Adam.BETA2 * v[j] + (1 - Adam.BETA2) * gp * gp);
                    m[j] = mNew;
                    v[j] = vNew;
                    double mHat = m[j] / c1;
                    double vHat = v[j] / c2;
                    double delta = lr * mHat / (Math.sqrt(vHat) + epsHat);
                    w[j] -= delta;
                    // delta = s m / (sqrt(v) + eps): m's error, half of v's relative error, and five roundings (the
                    // float step size, sqrt, the add, the product, the quotient); then the subtraction from w
                    double root = Math.sqrt(v[j]) + Adam.EPSILON;
                    double eDelta = s * em[j] / root + (v[j] == 0 ? 0 : Math.abs(delta) * ev[j] / (2 * v[j]))
                            + 5 * UF * Math.abs(delta);
                    ew[j] += eDelta + UF * Math.abs(w[j]);
                }
                Adam.update(kernels, wf, gf, mf, vf, s, lambda);
                for (int j = 0; j < n; j++) {
                    String where = "update " + t + ", element " + j;
                    assertClose(m[j], mf.get(0, j), em[j], where + ": m");
                    assertClose(v[j], vf.get(0, j), ev[j], where + ": v");
                    assertClose(w[j], wf.get(0, j), ew[j], where + ": w");
                }
            }
        }
    }

    private static void assertClose(double want, float got, double bound, String what) {
        assertTrue(Math.abs(got - want) <= bound + Float.MIN_VALUE,
                what + " = " + got + ", textbook " + want + ", |error| " + Math.abs(got - want) + " > bound " + bound);
    }
}
