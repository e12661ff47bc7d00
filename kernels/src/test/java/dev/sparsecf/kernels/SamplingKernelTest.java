package dev.sparsecf.kernels;

import static dev.sparsecf.testing.ErrorBounds.U_DOUBLE;
import static dev.sparsecf.testing.ErrorBounds.U_FLOAT;
import static dev.sparsecf.testing.ErrorBounds.gamma;
import static dev.sparsecf.kernels.OffHeapMatrices.assertPaddingIntact;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import dev.sparsecf.testing.TestMatrices;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Kernels#sample} and {@link Kernels#sampleBackward}: every implementation against the double-precision
 * definitions over awkward latent widths, special values and a sweep of logvar.
 *
 * <p>Error model ({@link ErrorBounds}' standard model, u = 2^-24). Both kernels take {@code exp} in double, within
 * 1 double ulp ({@code Math.exp}) or 2.2 (PanamaSampling's own, whose {@code var = std^2} is within 5.4), and round
 * it to float: relative error {@code u + 5.4 * 2^-53}, which the {@code U_DOUBLE} terms below cover. So {@code z = mu + eps * std} errs by
 * {@code u |z| + gamma(3) |eps e|} ({@code e = exp(logvar / 2)}: the exp, the product, and the sum's rounding of
 * it). The KL is a double sum of {@code k} terms of four operations each, in any order:
 * {@code gamma(k + 5, 2^-53) * sum_j (|logvar| + exp(logvar) + mu^2 + 1) / 2} (Higham Eq. 3.5). The gradient:
 * {@code dmu = dz + beta * mu} rounds twice, {@code gamma(2) (|dz| + |beta mu|)}; in {@code dlogvar} the first term
 * {@code dz * eps * std / 2} errs by {@code gamma(3)} relatively, the second {@code beta / 2 * (var - 1)} by
 * {@code gamma(2) |beta| / 2 (V + |V - 1|)} (var's error is absolute in the difference, which can cancel), and the
 * sum adds {@code u}. Gradual underflow adds a {@link Float#MIN_VALUE} per rounding; the double oracle adds its own.
 */
class SamplingKernelTest {

    private static final int ROWS = 7;

    /**
     * Passes of the logvar sweep: the interpreted, C1 and C2 code of each implementation all meet the bounds
     * (PanamaSamplingTest proves the Panama kernel's bits do not depend on which ran).
     */
    private static final int SWEEP_PASSES = 8;

    /** Rows x latent width of the sweep: one awkward width, so every row ends in a scalar tail. */
    private static final int SWEEP_ROWS = 64;
    private static final int SWEEP_LATENT = 1021;

    /** Inputs of one check, row-major: mu | logvar ({@code m x 2k}), eps, dz ({@code m x k}), row betas. */
    private record Inputs(int m, int k, float[] muLogvar, float[] eps, float[] dz, float[] beta) {
        float mu(int i, int j) {
            return muLogvar[i * 2 * k + j];
        }

        float logvar(int i, int j) {
            return muLogvar[i * 2 * k + k + j];
        }
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("dev.sparsecf.kernels.KernelImpls#elementwiseCases")
    void agreesWithDouble(String impl, int k) { // k: the latent width
        SplittableRandom rnd = new SplittableRandom(47L * k);
        float[] muLogvar = new float[ROWS * 2 * k];
        for (int i = 0; i < ROWS; i++) {
            for (int j = 0; j < k; j++) {
                int p = i * 2 * k + j;
                muLogvar[p] = (float) rnd.nextDouble(-3, 3);
                muLogvar[p + k] = (float) rnd.nextDouble(-10, 5);
                switch ((j + i) % 11) { // shifted per row: the specials land in the vector body and in the tail
                    case 0 -> muLogvar[p + k] = 0f;    // var - 1 = 0 exactly
                    case 1 -> muLogvar[p] = 0f;
                    case 2 -> muLogvar[p + k] = -100f; // var underflows to a subnormal float
                    case 3 -> muLogvar[p + k] = 40f;   // a large variance
                    default -> { }
                }
            }
        }
        float[] eps = new float[ROWS * k];
        for (int p = 0; p < eps.length; p++) {
            eps[p] = p % 13 == 0 ? 0f : (float) rnd.nextGaussian();
        }
        float[] dz = TestMatrices.uniform(rnd, ROWS * k, -1f, 1f);
        float[] beta = {0f, 0.2f, 1f, 0.05f, 3f, 0.5f, 0.001f};
        check(KernelImpls.kernels(impl, 2), impl, new Inputs(ROWS, k, muLogvar, eps, dz, beta));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.sparsecf.kernels.KernelImpls#legs")
    void agreesWithDoubleOverALogvarSweep(String impl) {
        Kernels kernels = KernelImpls.kernels(impl, 2);
        int m = SWEEP_ROWS;
        int k = SWEEP_LATENT;
        SplittableRandom rnd = new SplittableRandom(53);
        float[] muLogvar = new float[m * 2 * k];
        float[] eps = new float[m * k];
        float[] beta = new float[m];
        for (int i = 0; i < m; i++) {
            beta[i] = (float) rnd.nextDouble();
            for (int j = 0; j < k; j++) {
                muLogvar[i * 2 * k + j] = (float) rnd.nextDouble(-3, 3);
                // logvar evenly over [-30, 30]: every exponent of exp's result in between, both rounding sides
                muLogvar[i * 2 * k + k + j] = (float) (-30 + 60.0 * (i * k + j) / (m * k));
                eps[i * k + j] = (float) rnd.nextGaussian();
            }
        }
        Inputs in = new Inputs(m, k, muLogvar, eps, TestMatrices.uniform(rnd, m * k, -1f, 1f), beta);
        for (int pass = 0; pass < SWEEP_PASSES; pass++) {
            check(kernels, impl, in);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.sparsecf.kernels.KernelImpls#legs")
    void emptyBatchTouchesNothing(String impl) {
        Kernels kernels = KernelImpls.kernels(impl, 2);
        int k = KernelImpls.LANES + 1;
        double[] rowKl = {7.0};
        try (DenseMatrix muLogvar = DenseMatrix.allocate(0, 2 * k); DenseMatrix noise = DenseMatrix.allocate(0, k);
             DenseMatrix z = DenseMatrix.allocate(0, k); DenseMatrix d = DenseMatrix.allocate(0, 2 * k)) {
            kernels.sample(muLogvar, noise, z, rowKl);
            kernels.sampleBackward(muLogvar, noise, z, new float[0], d);
        }
        assertEquals(7.0, rowKl[0], impl + " sample of no rows must not write rowKl");
    }

    private static void check(Kernels kernels, String impl, Inputs in) {
        int m = in.m();
        int k = in.k();
        String what = impl + " sample, k=" + k;
        double[] rowKl = new double[m + 1];
        rowKl[m] = -1; // beyond the batch: must stay
        try (DenseMatrix muLogvar = OffHeapMatrices.dense(m, 2 * k, in.muLogvar());
             DenseMatrix noise = OffHeapMatrices.dense(m, k, in.eps());
             DenseMatrix z = OffHeapMatrices.output(m, k);
             DenseMatrix dz = OffHeapMatrices.dense(m, k, in.dz());
             DenseMatrix d = OffHeapMatrices.output(m, 2 * k)) {
            kernels.sample(muLogvar, noise, z, rowKl);
            kernels.sampleBackward(muLogvar, noise, dz, in.beta(), d);
            for (int i = 0; i < m; i++) {
                double kl = 0;
                double klMagnitude = 0;
                double b = in.beta()[i];
                for (int j = 0; j < k; j++) {
                    double mu = in.mu(i, j);
                    double logvar = in.logvar(i, j);
                    double e = in.eps()[i * k + j];
                    double g = in.dz()[i * k + j];
                    double std = Math.exp(0.5 * logvar);
                    double var = Math.exp(logvar);
                    String input = "mu = " + mu + ", logvar = " + logvar + ", eps = " + e;
                    double zWant = mu + e * std;
                    double zBound = U_FLOAT * Math.abs(zWant) + gamma(3, U_FLOAT) * Math.abs(e * std)
                            + 4 * U_DOUBLE * (Math.abs(mu) + Math.abs(e * std)) + 3 * Float.MIN_VALUE;
                    checkElement(what + ": z", i, j, input, z.get(i, j), zWant, zBound);

                    double dMuWant = g + b * mu;
                    double dMuBound = (gamma(2, U_FLOAT) + gamma(2, U_DOUBLE)) * (Math.abs(g) + Math.abs(b * mu))
                            + 2 * Float.MIN_VALUE;
                    checkElement(what + ": dmu", i, j, input + ", dz = " + g + ", beta = " + b, d.get(i, j), dMuWant, dMuBound);

                    double t1 = Math.abs(g * e * std) / 2;
                    double t2 = Math.abs(b) / 2 * (var + Math.abs(var - 1));
                    double dLogvarWant = g * e * std / 2 + b * (var - 1) / 2;
                    double terms = gamma(3, U_FLOAT) * t1 + gamma(2, U_FLOAT) * t2;
                    double dLogvarBound = terms + U_FLOAT * (Math.abs(dLogvarWant) + terms) + 8 * U_DOUBLE * (t1 + t2)
                            + 6 * Float.MIN_VALUE;
                    checkElement(what + ": dlogvar", i, j, input + ", dz = " + g + ", beta = " + b, d.get(i, k + j),
                            dLogvarWant, dLogvarBound);

                    kl += 0.5 * (-logvar + var + mu * mu - 1);
                    klMagnitude += 0.5 * (Math.abs(logvar) + var + mu * mu + 1);
                }
                double klBound = 2 * gamma(k + 5, U_DOUBLE) * klMagnitude;
                if (!(Math.abs(rowKl[i] - kl) <= klBound)) {
                    fail(what + ": KL of row " + i + " is " + rowKl[i] + ", reference " + kl + ", |error| "
                            + Math.abs(rowKl[i] - kl) + " > bound " + klBound);
                }
            }
            assertEquals(-1.0, rowKl[m], what + ": rowKl beyond the batch was written");
            for (DenseMatrix x : List.of(muLogvar, noise, z, dz, d)) {
                assertPaddingIntact(x, what);
            }
        }
    }

    private static void checkElement(String what, int i, int j, String input, float got, double want, double bound) {
        if (!(Math.abs(got - want) <= bound)) {
            fail(what + "[" + i + "][" + j + "] (" + input + ") gave " + got + ", reference " + want + ", |error| "
                    + Math.abs(got - want) + " > bound " + bound);
        }
    }
}
