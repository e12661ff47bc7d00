package dev.sparsecf.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The Gaussian reparameterisation of a VAE's latent code over a row range, and its backward pass. Row {@code i} of
 * {@code muLogvar} ({@code m x 2k}) holds {@code mu} in columns {@code [0, k)} and {@code logvar} in {@code [k, 2k)};
 * {@code noise} ({@code m x k}) holds the standard normal draws {@code eps}, made by the caller (the random stream is
 * the model's, in its order). The element formulas below are the scalar oracle; implementations may differ from them
 * in the last bits, as documented on each.
 */
public interface SamplingKernel {

    /**
     * {@code z = mu + eps * exp(logvar / 2)} into {@code z} ({@code m x k}), and into {@code rowKl[i]} the row's
     * {@code KL(N(mu, exp(logvar)) || N(0, I)) = sum_j (-logvar + exp(logvar) + mu^2 - 1) / 2}, on rows
     * {@code [rowFrom, rowTo)}.
     */
    void sample(DenseMatrix muLogvar, DenseMatrix noise, DenseMatrix z, double[] rowKl, int rowFrom, int rowTo);

    /**
     * The gradient of {@code loss + rowBeta[i] * KL_i} with respect to {@code (mu | logvar)} into {@code dMuLogvar}
     * ({@code m x 2k}), given {@code dz} ({@code m x k}) for {@link #sample}'s {@code z}:
     * {@code dmu = dz + beta * mu}, {@code dlogvar = dz * eps * exp(logvar / 2) / 2 + beta * (exp(logvar) - 1) / 2}.
     */
    void backward(DenseMatrix muLogvar, DenseMatrix noise, DenseMatrix dz, float[] rowBeta, DenseMatrix dMuLogvar,
                  int rowFrom, int rowTo);

    /**
     * {@link #sample} on columns {@code [colFrom, colTo)} of row {@code i}: {@code z} in float from a double
     * {@code exp} rounded to float, the KL terms in double added to {@code kl} in column order; returns the new
     * {@code kl}. The scalar oracle, and the row tails of vector implementations.
     */
    static double sampleElements(DenseMatrix muLogvar, DenseMatrix noise, DenseMatrix z, int i, int colFrom, int colTo,
                                 double kl) {
        ValueLayout.OfFloat f = ValueLayout.JAVA_FLOAT;
        MemorySegment ms = muLogvar.segment();
        MemorySegment ns = noise.segment();
        MemorySegment zs = z.segment();
        long muBase = (long) i * muLogvar.ld();
        long logvarBase = muBase + z.cols();
        long noiseBase = (long) i * noise.ld();
        long zBase = (long) i * z.ld();
        double sum = kl;
        for (int j = colFrom; j < colTo; j++) {
            float mu = ms.getAtIndex(f, muBase + j);
            float logvar = ms.getAtIndex(f, logvarBase + j);
            float eps = ns.getAtIndex(f, noiseBase + j);
            zs.setAtIndex(f, zBase + j, mu + eps * (float) Math.exp(0.5 * logvar));
            sum += 0.5 * (-logvar + Math.exp(logvar) + (double) mu * mu - 1);
        }
        return sum;
    }

    /**
     * {@link #backward} on columns {@code [colFrom, colTo)} of rows {@code [rowFrom, rowTo)}, in float from double
     * {@code exp}s rounded to float: the scalar oracle, and the row tails of vector implementations.
     */
    static void backwardElements(DenseMatrix muLogvar, DenseMatrix noise, DenseMatrix dz, float[] rowBeta,
                                 DenseMatrix dMuLogvar, int rowFrom, int rowTo, int colFrom, int colTo) {
        ValueLayout.OfFloat f = ValueLayout.JAVA_FLOAT;
        MemorySegment ms = muLogvar.segment();
        MemorySegment ns = noise.segment();
        MemorySegment gs = dz.segment();
        MemorySegment ds = dMuLogvar.segment();
        int k = dz.cols();
        for (int i = rowFrom; i < rowTo; i++) {
            float b = rowBeta[i];
            long muBase = (long) i * muLogvar.ld();
            long noiseBase = (long) i * noise.ld();
            long gBase = (long) i * dz.ld();
            long dBase = (long) i * dMuLogvar.ld();
            for (int j = colFrom; j < colTo; j++) {
                float mu = ms.getAtIndex(f, muBase + j);
                float logvar = ms.getAtIndex(f, muBase + k + j);
                float g = gs.getAtIndex(f, gBase + j);
                float var = (float) Math.exp(logvar);
                float std = (float) Math.exp(0.5 * logvar);
                ds.setAtIndex(f, dBase + j, g + b * mu);
                ds.setAtIndex(f, dBase + k + j, 0.5f * g * ns.getAtIndex(f, noiseBase + j) * std + 0.5f * b * (var - 1f));
            }
        }
    }
}
