package dev.sparsecf.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsecf.kernels.CsrMatrix;
import dev.sparsecf.kernels.Kernels;
import dev.sparsecf.kernels.DenseMatrix;
import dev.sparsecf.testing.ErrorBounds;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Checks the hand-written float backward pass against an independent double-precision reference of the same
 * network (same weights, input, noise and betas), with derived bounds instead of a loose relative tolerance:
 *
 * <ol>
 *   <li>the reference's own analytic gradient against central differences of its loss, within the truncation
 *       error estimated from a second step ({@code |D(h) - D(2h)|} is three times the leading {@code h^2 f3 / 6}
 *       term, {@code f3} the third derivative) plus the rounding error of two double losses divided by
 *       {@code 2h};</li>
 *   <li>the model's float gradient against that double gradient, within {@code gamma(K) * magnitude}: first-order
 *       error analysis (Higham, ch. 3) with {@code K} the roundings on the longest chain from the inputs to a
 *       gradient entry and {@code magnitude} the same backward pass run on absolute values and on the error
 *       magnitudes of the forward quantities (see {@link Reference#gradient()}).</li>
 * </ol>
 *
 * The float bound is a worst case (about 1e-4 relative here, against observed errors near 1e-8); it is derived,
 * per entry, so tiny gradients get tiny bounds. A wrong factor on a small term, such as 0.9 times the KL gradient
 * at beta 0.05, moves the first layer's entries by about 1e-3, some 20 times their bound (about 6e-5).
 */
class MultVaeGradientCheckTest {

    private static final int ITEMS = 7;
    private static final double BETA = 0.3;
    /** Finite-difference step: central differences have O(h^2) truncation and O(eps_double / h) rounding error. */
    private static final double H = 1e-5;

    @ParameterizedTest
    @EnumSource(ModelConfig.Kind.class)
    void analyticGradientsMatchFiniteDifferences(ModelConfig.Kind kind) {
        check(kind, null);
    }

    @Test
    void perRowBetasMatchFiniteDifferences() {
        // beta 0 (no KL pull), a large beta and two others: a row-mixing bug in sampleBackward changes the gradient
        check(ModelConfig.Kind.VAE, new float[] {0f, 1.5f, 0.3f, 0.05f});
    }

    @Test
    void aSmallKlWeightIsCheckedToo() {
        // the KL term is a small part of the gradient at beta 0.05: a wrong factor on it must still show
        check(ModelConfig.Kind.VAE, null, 0.05);
    }

    private static void check(ModelConfig.Kind kind, float[] rowBeta) {
        check(kind, rowBeta, BETA);
    }

    /** {@code rowBeta == null}: the scalar-beta overload with {@code beta}. */
    private static void check(ModelConfig.Kind kind, float[] rowBeta, double beta) {
        ModelConfig config = new ModelConfig(kind, new int[] {5}, 3, 0.5, 1e-3, 4, 0.0, 11L);
        // weighted input rows (as after dropout: kept clicks weigh 1/keep), one row empty of kept clicks
        CsrMatrix input = CsrMatrix.builder(ITEMS)
                .addRow(new int[] {0, 3}, new float[] {2f, 2f})
                .addRow(new int[] {1, 2, 6}, new float[] {2f, 2f, 2f})
                .addRow(new int[0], new float[0])
                .addRow(new int[] {4}, new float[] {2f})
                .build();
        CsrMatrix targets = CsrMatrix.builder(ITEMS).addRow(0, 3, 5).addRow(1, 2, 6).addRow(2, 4).addRow(4, 5, 6).build();
        float[] rowScale = {1 / (float) Math.sqrt(3), 1 / (float) Math.sqrt(3), 1 / (float) Math.sqrt(2), 1 / (float) Math.sqrt(3)};
        try (MultVae model = new MultVae(config, ITEMS, Kernels.get())) {
            MultVae.StepLoss loss = rowBeta == null
                    ? model.gradientOnly(input, rowScale, targets, beta, new SplittableRandom(5))
                    : model.gradientOnly(input, rowScale, targets, rowBeta, new SplittableRandom(5));
            double[] betas = new double[input.rows()];
            for (int u = 0; u < betas.length; u++) {
                betas[u] = rowBeta == null ? (float) beta : rowBeta[u];
            }
            // the mean of m floats summed in double is exact to double rounding
            assertEquals(Arrays.stream(betas).average().orElseThrow(), loss.beta(), 1e-15, "StepLoss.beta is the mean row beta");
            double[][] noise = kind == ModelConfig.Kind.VAE ? toArrays(model.lastNoise(), input.rows()) : null;
            List<DenseMatrix> params = model.parameters();
            List<DenseMatrix> grads = model.gradients();
            Reference ref = new Reference(config, params, input, rowScale, targets, noise, betas);
            assertEquals(ref.loss(false), loss.objective(), 1e-5 * Math.abs(ref.loss(false)), "loss of the float model vs the double reference");
            Reference.Gradient want = ref.gradient();
            int roundings = ref.roundings(input);
            double floatBound = ErrorBounds.gamma(roundings, ErrorBounds.U_FLOAT) + ErrorBounds.gamma(roundings, ErrorBounds.U_DOUBLE);
            double lossRounding = ErrorBounds.gamma(roundings, ErrorBounds.U_DOUBLE) * ref.loss(true);
            int checked = 0;
            for (int t = 0; t < params.size(); t++) {
                DenseMatrix p = params.get(t);
                for (int i = 0; i < p.rows(); i++) {
                    for (int j = 0; j < p.cols(); j++) {
                        String where = String.format("%s parameter %d [%d,%d]", kind, t, i, j);
                        double exact = want.value(t, i, j);
                        double fd = ref.finiteDifference(t, i, j, H);
                        double fdBound = Math.abs(fd - ref.finiteDifference(t, i, j, 2 * H)) + lossRounding / H;
                        assertTrue(Math.abs(fd - exact) <= fdBound, String.format(
                                "%s: reference gradient %.12g vs finite difference %.12g, bound %.3g", where, exact, fd, fdBound));
                        double analytic = grads.get(t).get(i, j);
                        double bound = floatBound * want.magnitude(t, i, j);
                        assertTrue(Math.abs(analytic - exact) <= bound, String.format(
                                "%s: float backward %.9g vs double %.9g, |error| %.3g > bound %.3g", where, analytic, exact,
                                Math.abs(analytic - exact), bound));
                        checked++;
                    }
                }
            }
            assertTrue(checked > 50, "checked " + checked + " gradient entries");
        }
    }

    private static double[][] toArrays(DenseMatrix m, int rows) {
        double[][] a = new double[rows][m.cols()];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < m.cols(); j++) {
                a[i][j] = m.get(i, j);
            }
        }
        return a;
    }

    /** The network's loss and gradient in plain double arithmetic, written independently of the kernels. */
    private static final class Reference {
        final double[][][] w;
        final double[][] b;
        final int layers;
        final int sampleLayer;
        final int latent;
        final double[][] x;       // diag(rowScale) * input, dense
        final double[][] target;  // dense targets
        final double[][] noise;
        final double[] beta;

        Reference(ModelConfig config, List<DenseMatrix> params, CsrMatrix input, float[] rowScale, CsrMatrix targets,
                  double[][] noise, double[] beta) {
            layers = params.size() / 2;
            w = new double[layers][][];
            b = new double[layers][];
            for (int l = 0; l < layers; l++) {
                w[l] = toArrays(params.get(2 * l), params.get(2 * l).rows());
                b[l] = toArrays(params.get(2 * l + 1), 1)[0];
            }
            sampleLayer = config.kind() == ModelConfig.Kind.VAE ? config.encoderLayers() - 1 : -1;
            latent = config.latent();
            x = dense(input, rowScale);
            target = dense(targets, null);
            this.noise = noise;
            this.beta = beta;
        }

        static double[][] dense(CsrMatrix a, float[] rowScale) {
            double[][] d = new double[a.rows()][a.cols()];
            for (int i = 0; i < a.rows(); i++) {
                for (int p = a.rowStart(i); p < a.rowEnd(i); p++) {
                    d[i][a.col(p)] = a.value(p) * (rowScale == null ? 1.0 : rowScale[i]);
                }
            }
            return d;
        }

        /**
         * One row's forward pass: each layer's input {@code in[l]} and output {@code out[l]} (tanh applied; the
         * sample layer's (mu | logvar); the logits), with {@code inMag}/{@code outMag} bounding their float errors
         * in units of gamma(K): |v| plus the error magnitudes carried in from the layer's inputs.
         */
        record Trace(double[][] in, double[][] inMag, double[][] out, double[][] outMag, double logZ, double kl, double klMag) {
        }

        Trace forward(int u) {
            double[][] in = new double[layers][];
            double[][] inMag = new double[layers][];
            double[][] out = new double[layers][];
            double[][] outMag = new double[layers][];
            double[] h = x[u];
            double[] hMag = abs(x[u]);
            double kl = 0;
            double klMag = 0;
            for (int l = 0; l < layers; l++) {
                in[l] = h;
                inMag[l] = hMag;
                double[] pre = b[l].clone();
                double[] preMag = abs(b[l]);
                for (int i = 0; i < h.length; i++) {
                    for (int j = 0; j < pre.length; j++) {
                        pre[j] += h[i] * w[l][i][j];
                        preMag[j] += hMag[i] * Math.abs(w[l][i][j]);
                    }
                }
                out[l] = pre;
                outMag[l] = preMag;
                if (l == sampleLayer) {
                    h = new double[latent];
                    hMag = new double[latent];
                    for (int j = 0; j < latent; j++) {
                        double mu = pre[j];
                        double logvar = pre[latent + j];
                        double std = Math.exp(0.5 * logvar);
                        h[j] = mu + noise[u][j] * std;
                        // exp(v + e) = exp(v)(1 + e + ...): an error e in logvar scales std by e/2
                        hMag[j] = preMag[j] + Math.abs(noise[u][j]) * std * (1 + 0.5 * preMag[latent + j]);
                        kl += 0.5 * (-logvar + Math.exp(logvar) + mu * mu - 1);
                        klMag += 0.5 * (preMag[latent + j] + Math.exp(logvar) * (1 + preMag[latent + j])
                                + Math.abs(mu) * (Math.abs(mu) + 2 * preMag[j]) + 1);
                    }
                } else if (l < layers - 1) {
                    double[] t = new double[pre.length];
                    double[] tMag = new double[pre.length];
                    for (int j = 0; j < pre.length; j++) {
                        t[j] = Math.tanh(pre[j]);
                        tMag[j] = Math.abs(t[j]) + preMag[j]; // |tanh'| <= 1
                    }
                    out[l] = t;
                    outMag[l] = tMag;
                    h = t;
                    hMag = tMag;
                } else {
                    h = pre;
                }
            }
            double max = Double.NEGATIVE_INFINITY;
            for (double v : h) {
                max = Math.max(max, v);
            }
            double sum = 0;
            for (double v : h) {
                sum += Math.exp(v - max);
            }
            return new Trace(in, inMag, out, outMag, max + Math.log(sum), kl, klMag);
        }

        private static double[] abs(double[] v) {
            double[] a = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                a[i] = Math.abs(v[i]);
            }
            return a;
        }

        /**
         * The minimised objective, the mean over rows of nll_u + beta_u * kl_u; with {@code magnitude}, the same on
         * error magnitudes instead: the scale of the objective's own double rounding errors.
         */
        double loss(boolean magnitude) {
            double total = 0;
            for (int u = 0; u < x.length; u++) {
                Trace t = forward(u);
                double[] logits = magnitude ? t.outMag()[layers - 1] : t.out()[layers - 1];
                double nll = 0;
                for (int j = 0; j < logits.length; j++) {
                    nll += target[u][j] * (magnitude ? logits[j] + Math.abs(t.logZ()) + max(logits) : t.logZ() - logits[j]);
                }
                total += nll + beta[u] * (magnitude ? t.klMag() : t.kl());
            }
            return total / x.length;
        }

        /**
         * A generous count of the roundings on the longest chain from the inputs to a gradient entry: per layer its
         * fan-in and fan-out (the forward and the backward dot products) plus 12 for the bias, the row scale, tanh
         * (2.5 float ulps, 5 u) and its derivative, the sampling's exp, product and sum and its backward; then the
         * log-softmax (a sum of {@code n} exps, the log, the subtraction, the softmax gradient: n + 8) and the sum
         * over the batch's {@code m} rows (+ 2 for the 1/m scale), doubled where double exps round to float.
         */
        int roundings(CsrMatrix input) {
            int k = 0;
            for (int l = 0; l < layers; l++) {
                k += w[l].length + w[l][0].length + 12;
            }
            int items = w[layers - 1][0].length;
            return k + 2 * (items + 8) + input.rows() + 2;
        }

        private static double max(double[] v) {
            double m = 0;
            for (double d : v) {
                m = Math.max(m, d);
            }
            return m;
        }

        /** Gradient entries and the magnitudes their float error is bounded by ({@code gamma(K)} times), per parameter. */
        record Gradient(double[][][] value, double[][][] magnitude) {
            double value(int param, int i, int j) {
                return value[param][i][j];
            }

            double magnitude(int param, int i, int j) {
                return magnitude[param][i][j];
            }
        }

        /**
         * The analytic gradient of {@link #loss(boolean)} (backpropagation in double), and alongside it the same recurrences
         * on error magnitudes, to first order: a product {@code a b} carries {@code |a| err(b) + err(a) |b|}, a sum the
         * sum of its terms' magnitudes, and a forward error moves the backward by a derivative (the softmax by at most
         * p_j times the errors of y_j and logZ, 1 - o^2 by 2|o| times o's error, exp(v) by exp(v) times v's error).
         */
        Gradient gradient() {
            int m = x.length;
            double[][][] value = new double[2 * layers][][];
            double[][][] magnitude = new double[2 * layers][][];
            for (int l = 0; l < layers; l++) {
                value[2 * l] = new double[w[l].length][w[l][0].length];
                magnitude[2 * l] = new double[w[l].length][w[l][0].length];
                value[2 * l + 1] = new double[1][b[l].length];
                magnitude[2 * l + 1] = new double[1][b[l].length];
            }
            for (int u = 0; u < m; u++) {
                Trace t = forward(u);
                double[] logits = t.out()[layers - 1];
                double[] logitMag = t.outMag()[layers - 1];
                double clicks = Arrays.stream(target[u]).sum();
                double[] p = new double[logits.length];
                double meanLogitMag = 0; // sum_k p_k err(y_k): the error logZ inherits
                for (int j = 0; j < p.length; j++) {
                    p[j] = Math.exp(logits[j] - t.logZ());
                    meanLogitMag += p[j] * logitMag[j];
                }
                double[] d = new double[logits.length];
                double[] dMag = new double[logits.length];
                for (int j = 0; j < d.length; j++) {
                    // p_j = exp(y_j - logZ) moves by p_j (err(y_j) + err(logZ))
                    d[j] = p[j] * clicks - target[u][j];
                    dMag[j] = p[j] * clicks * (1 + logitMag[j] + meanLogitMag) + target[u][j];
                }
                for (int l = layers - 1; l >= 0; l--) {
                    if (l != sampleLayer && l < layers - 1) {
                        for (int j = 0; j < d.length; j++) {
                            double o = t.out()[l][j];
                            double oMag = t.outMag()[l][j];
                            // d * (1 - o^2): d's error times |1 - o^2|, plus |d| times the error of 1 - o^2
                            dMag[j] = dMag[j] * Math.abs(1 - o * o) + Math.abs(d[j]) * (1 + o * o + 2 * Math.abs(o) * oMag);
                            d[j] *= 1 - o * o;
                        }
                    }
                    double[] in = t.in()[l];
                    double[] inMag = t.inMag()[l];
                    for (int j = 0; j < d.length; j++) {
                        value[2 * l + 1][0][j] += d[j] / m;
                        magnitude[2 * l + 1][0][j] += dMag[j] / m;
                        for (int i = 0; i < in.length; i++) {
                            value[2 * l][i][j] += in[i] * d[j] / m;
                            magnitude[2 * l][i][j] += (inMag[i] * Math.abs(d[j]) + Math.abs(in[i]) * dMag[j]) / m;
                        }
                    }
                    if (l == 0) {
                        break;
                    }
                    double[] dIn = new double[in.length];
                    double[] dInMag = new double[in.length];
                    for (int i = 0; i < in.length; i++) {
                        for (int j = 0; j < d.length; j++) {
                            dIn[i] += w[l][i][j] * d[j];
                            dInMag[i] += Math.abs(w[l][i][j]) * dMag[j];
                        }
                    }
                    if (l - 1 == sampleLayer) {
                        double[] muLogvar = t.out()[sampleLayer];
                        double[] muLogvarMag = t.outMag()[sampleLayer];
                        d = new double[2 * latent];
                        dMag = new double[2 * latent];
                        for (int j = 0; j < latent; j++) {
                            double mu = muLogvar[j];
                            double logvar = muLogvar[latent + j];
                            double std = Math.exp(0.5 * logvar);
                            double e = noise[u][j];
                            d[j] = dIn[j] + beta[u] * mu;
                            dMag[j] = dInMag[j] + beta[u] * muLogvarMag[j];
                            d[latent + j] = 0.5 * dIn[j] * e * std + 0.5 * beta[u] * (Math.exp(logvar) - 1);
                            dMag[latent + j] = 0.5 * Math.abs(e) * std * (dInMag[j] + Math.abs(dIn[j]) * (1 + 0.5 * muLogvarMag[latent + j]))
                                    + 0.5 * beta[u] * (Math.exp(logvar) * (1 + muLogvarMag[latent + j]) + 1);
                        }
                    } else {
                        d = dIn;
                        dMag = dInMag;
                    }
                }
            }
            return new Gradient(value, magnitude);
        }

        /** The central difference of {@link #loss(boolean)} in parameter {@code param}'s entry (i, j) with step {@code h}. */
        double finiteDifference(int param, int i, int j, double h) {
            double[] cell = param % 2 == 0 ? w[param / 2][i] : b[param / 2];
            double saved = cell[j];
            cell[j] = saved + h;
            double up = loss(false);
            cell[j] = saved - h;
            double down = loss(false);
            cell[j] = saved;
            return (up - down) / (2 * h);
        }
    }
}
