package dev.sparsecf.models;

import dev.sparsecf.kernels.CsrMatrix;
import dev.sparsecf.kernels.DenseMatrix;

/**
 * How a VAE uses its latent code on a set of users: each user's KL to the prior, the mean KL per dimension,
 * the variance of each dimension's mean across users, and the number of active units (Burda et al. 2016:
 * dimensions whose mean varies with the input by more than {@link #ACTIVE_UNIT_THRESHOLD}).
 */
public record LatentStats(double[] userKl, double[] klPerDim, double[] muVariance, int activeUnits) {

    /** Burda et al.'s activity threshold on {@code Var_x(E[z_d | x])}. */
    public static final double ACTIVE_UNIT_THRESHOLD = 0.01;

    /**
     * Encodes every row of {@code rows} (users x items) as evaluation does (L2 row scale {@code 1/sqrt(nnz)}, no
     * dropout, batches of the model's batch size) and summarises the posteriors {@code N(mu, diag exp(logvar))}.
     */
    public static LatentStats of(MultVae model, CsrMatrix rows) {
        if (rows.cols() != model.items()) {
            throw new IllegalArgumentException("rows have " + rows.cols() + " items, the model " + model.items());
        }
        int n = rows.rows();
        if (n == 0) {
            throw new IllegalArgumentException("latent statistics need at least one row");
        }
        int latent = model.config().latent();
        int batch = model.config().batchSize();
        int[] order = new int[n];
        for (int u = 0; u < n; u++) {
            order[u] = u;
        }
        double[] userKl = new double[n];
        double[] klPerDim = new double[latent];
        // Welford's running mean and sum of squared deviations: no cancellation when |mean| >> spread
        double[] muMean = new double[latent];
        double[] muM2 = new double[latent];
        for (int from = 0; from < n; from += batch) {
            int to = Math.min(n, from + batch);
            try (Batches.Batch b = Batches.gather(rows, order, from, to, 0, null)) {
                DenseMatrix code = model.encode(b.input(), b.rowScale());
                for (int r = 0; r < to - from; r++) {
                    int count = from + r + 1;
                    double kl = 0;
                    for (int d = 0; d < latent; d++) {
                        double mu = code.get(r, d);
                        double logvar = code.get(r, latent + d);
                        double klD = 0.5 * (mu * mu + Math.exp(logvar) - logvar - 1);
                        kl += klD;
                        klPerDim[d] += klD;
                        double dev = mu - muMean[d];
                        muMean[d] += dev / count;
                        muM2[d] += dev * (mu - muMean[d]);
                    }
                    userKl[from + r] = kl;
                }
            }
        }
        double[] muVariance = new double[latent];
        int active = 0;
        for (int d = 0; d < latent; d++) {
            klPerDim[d] /= n;
            muVariance[d] = muM2[d] / n;
            if (muVariance[d] > ACTIVE_UNIT_THRESHOLD) {
                active++;
            }
        }
        return new LatentStats(userKl, klPerDim, muVariance, active);
    }
}
