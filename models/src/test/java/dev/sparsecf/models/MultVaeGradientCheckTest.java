package dev.sparsecf.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsecf.kernels.CsrMatrix;
import dev.sparsecf.kernels.Kernels;
import dev.sparsecf.kernels.DenseMatrix;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Checks the hand-written backward pass against central finite differences of an independent
 * double-precision forward pass of the same network (same weights, input, noise and betas).
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

    /** {@code rowBeta == null}: the scalar-beta overload with {@link #BETA}. */
    private static void check(ModelConfig.Kind kind, float[] rowBeta) {
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
                    ? model.gradientOnly(input, rowScale, targets, BETA, new SplittableRandom(5))
                    : model.gradientOnly(input, rowScale, targets, rowBeta, new SplittableRandom(5));
            double[] betas = new double[input.rows()];
            for (int u = 0; u < betas.length; u++) {
                betas[u] = rowBeta == null ? (float) BETA : rowBeta[u];
            }
            // the mean of m floats summed in double is exact to double rounding
            assertEquals(Arrays.stream(betas).average().orElseThrow(), loss.beta(), 1e-15, "StepLoss.beta is the mean row beta");
            double[][] noise = kind == ModelConfig.Kind.VAE ? toArrays(model.lastNoise(), input.rows()) : null;
            List<DenseMatrix> params = model.parameters();
            List<DenseMatrix> grads = model.gradients();
            Reference ref = new Reference(config, params, input, rowScale, targets, noise, betas);
            assertEquals(ref.loss(), loss.objective(), 1e-5 * Math.abs(ref.loss()), "loss of the float model vs the double reference");
            int checked = 0;
            for (int t = 0; t < params.size(); t++) {
                DenseMatrix p = params.get(t);
                for (int i = 0; i < p.rows(); i++) {
                    for (int j = 0; j < p.cols(); j++) {
                        double fd = ref.finiteDifference(t, i, j);
                        double analytic = grads.get(t).get(i, j);
                        // float backward: relative error ~ a few hundred float ulps of the terms; floor for tiny gradients
                        double tol = 2e-3 * Math.abs(fd) + 2e-5;
                        assertTrue(Math.abs(fd - analytic) <= tol, String.format(
                                "%s parameter %d [%d,%d]: finite difference %.8g vs backward %.8g", kind, t, i, j, fd, analytic));
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

    /** The network's loss in plain double arithmetic, written independently of the kernels. */
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

        double loss() {
            int m = x.length;
            double total = 0;
            for (int u = 0; u < m; u++) {
                double[] h = x[u];
                double kl = 0;
                for (int l = 0; l < layers; l++) {
                    double[] pre = b[l].clone();
                    for (int i = 0; i < h.length; i++) {
                        for (int j = 0; j < pre.length; j++) {
                            pre[j] += h[i] * w[l][i][j];
                        }
                    }
                    if (l == sampleLayer) {
                        h = new double[latent];
                        for (int j = 0; j < latent; j++) {
                            double mu = pre[j];
                            double logvar = pre[latent + j];
                            h[j] = mu + noise[u][j] * Math.exp(0.5 * logvar);
                            kl += 0.5 * (-logvar + Math.exp(logvar) + mu * mu - 1);
                        }
                    } else if (l < layers - 1) {
                        for (int j = 0; j < pre.length; j++) {
                            pre[j] = Math.tanh(pre[j]);
                        }
                        h = pre;
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
                double logZ = max + Math.log(sum);
                double nll = 0;
                for (int j = 0; j < h.length; j++) {
                    nll -= target[u][j] * (h[j] - logZ);
                }
                total += nll + beta[u] * kl;
            }
            return total / m;
        }

        double finiteDifference(int param, int i, int j) {
            double[] cell = param % 2 == 0 ? w[param / 2][i] : b[param / 2];
            double saved = cell[j];
            cell[j] = saved + H;
            double up = loss();
            cell[j] = saved - H;
            double down = loss();
            cell[j] = saved;
            return (up - down) / (2 * H);
        }
    }
}
