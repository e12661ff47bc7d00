package dev.sparsecf.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsecf.kernels.CsrMatrix;
import dev.sparsecf.kernels.Kernels;
import dev.sparsecf.kernels.DenseMatrix;
import java.util.List;
import org.junit.jupiter.api.Test;

/** LatentStats against an independent double-precision encoder of the same weights. */
class LatentStatsTest {

    private static final int ITEMS = 7;
    private static final int LATENT = 3;

    /** 10 rows over 3 batches of 4 (the last one partial), one row without clicks. */
    private static CsrMatrix rows() {
        return CsrMatrix.builder(ITEMS)
                .addRow(0, 3, 5).addRow(1, 2, 6).addRow(2, 4).addRow(4, 5, 6).addRow(0)
                .addRow(new int[0], new float[0]).addRow(1, 3).addRow(0, 1, 2, 3, 4, 5, 6).addRow(6).addRow(2, 5)
                .build();
    }

    @Test
    void matchesADoublePrecisionEncoderAndCountsActiveUnits() {
        ModelConfig config = new ModelConfig(ModelConfig.Kind.VAE, new int[] {5}, LATENT, 0.5, 1e-3, 4, 0.0, 13L);
        try (CsrMatrix x = rows(); MultVae model = new MultVae(config, ITEMS, Kernels.get())) {
            List<DenseMatrix> params = model.parameters();
            DenseMatrix w1 = params.get(2);
            for (int h = 0; h < w1.rows(); h++) {
                w1.set(h, 0, 8 * w1.get(h, 0)); // mu_0 spreads widely: active
                w1.set(h, 1, 0f);                // mu_1 is the bias alone for every user: inactive
            }
            LatentStats stats = LatentStats.of(model, x);

            int n = x.rows();
            double[][] mu = new double[n][LATENT];
            double[][] logvar = new double[n][LATENT];
            for (int u = 0; u < n; u++) {
                double[] code = encode(params, x, u);
                for (int d = 0; d < LATENT; d++) {
                    mu[u][d] = code[d];
                    logvar[u][d] = code[LATENT + d];
                }
            }
            // the float encoder sums <= 12 products per output (relative error ~ 12 * 2^-24 ~ 1e-6 of their magnitudes);
            // KL and variance have derivatives O(|mu| + e^logvar), so 1e-5 of (1 + |value|) bounds the difference
            double[] klPerDim = new double[LATENT];
            for (int u = 0; u < n; u++) {
                double kl = 0;
                for (int d = 0; d < LATENT; d++) {
                    double klD = 0.5 * (mu[u][d] * mu[u][d] + Math.exp(logvar[u][d]) - logvar[u][d] - 1);
                    kl += klD;
                    klPerDim[d] += klD / n;
                }
                assertEquals(kl, stats.userKl()[u], 1e-5 * (1 + kl), "KL of user " + u);
            }
            int active = 0;
            for (int d = 0; d < LATENT; d++) {
                double mean = 0;
                for (int u = 0; u < n; u++) {
                    mean += mu[u][d] / n;
                }
                double variance = 0;
                for (int u = 0; u < n; u++) {
                    variance += (mu[u][d] - mean) * (mu[u][d] - mean) / n;
                }
                assertEquals(klPerDim[d], stats.klPerDim()[d], 1e-5 * (1 + klPerDim[d]), "KL of dimension " + d);
                assertEquals(variance, stats.muVariance()[d], 1e-5 * (1 + variance), "variance of mu_" + d);
                assertTrue(Math.abs(variance - LatentStats.ACTIVE_UNIT_THRESHOLD) > 1e-3,
                        "dimension " + d + " sits on the threshold (" + variance + "); pick other weights");
                if (variance > LatentStats.ACTIVE_UNIT_THRESHOLD) {
                    active++;
                }
            }
            assertEquals(0.0, stats.muVariance()[1], "a constant mu has exactly zero variance");
            assertTrue(stats.muVariance()[0] > 1, "scaled dimension varies: " + stats.muVariance()[0]);
            assertEquals(active, stats.activeUnits());
        }
    }

    @Test
    void encodeNeedsAVae() {
        ModelConfig config = new ModelConfig(ModelConfig.Kind.DAE, new int[0], LATENT, 0.5, 1e-3, 4, 0.0, 13L);
        try (CsrMatrix x = rows(); MultVae model = new MultVae(config, ITEMS, Kernels.get())) {
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> LatentStats.of(model, x));
            assertTrue(e.getMessage().contains("needs a VAE"), e.getMessage());
        }
    }

    /** (mu | logvar) of row {@code u}: tanh(diag(1/sqrt(nnz)) x W0 + b0) W1 + b1 in doubles. */
    private static double[] encode(List<DenseMatrix> params, CsrMatrix x, int u) {
        DenseMatrix w0 = params.get(0);
        DenseMatrix b0 = params.get(1);
        DenseMatrix w1 = params.get(2);
        DenseMatrix b1 = params.get(3);
        int nnz = x.rowNnz(u);
        double scale = nnz == 0 ? 0 : 1 / Math.sqrt(nnz);
        double[] h = new double[w0.cols()];
        for (int j = 0; j < h.length; j++) {
            double s = b0.get(0, j);
            for (int p = x.rowStart(u); p < x.rowEnd(u); p++) {
                s += scale * x.value(p) * w0.get(x.col(p), j);
            }
            h[j] = Math.tanh(s);
        }
        double[] code = new double[w1.cols()];
        for (int j = 0; j < code.length; j++) {
            double s = b1.get(0, j);
            for (int i = 0; i < h.length; i++) {
                s += h[i] * w1.get(i, j);
            }
            code[j] = s;
        }
        return code;
    }
}
