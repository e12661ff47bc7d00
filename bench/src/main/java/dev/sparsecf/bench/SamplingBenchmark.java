package dev.sparsecf.bench;

import dev.sparsecf.kernels.DenseMatrix;
import dev.sparsecf.kernels.Kernels;
import dev.sparsecf.testing.Agreement;
import dev.sparsecf.testing.ErrorBounds;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;

/**
 * The Mult-VAE reparameterisation over a batch and its backward pass: {@code z = mu + eps * exp(logvar / 2)} with
 * each row's KL, and the gradient with respect to (mu | logvar), at {@code users x latent} with the latent width a
 * third of the hidden one (500 x 200 for ML-20M, the paper's 600-200 encoder). Two exps per element; both outputs
 * are written fresh on every call, so the state does not drift. The noise is given (the model draws it).
 *
 * <p>Run: {@code ./sparsecf bench --include 'SamplingBenchmark'}.
 */
public class SamplingBenchmark extends KernelBenchmark {

    private DenseMatrix muLogvar;
    private DenseMatrix noise;
    private DenseMatrix dz;
    private float[] rowBeta;
    private DenseMatrix z;
    private double[] rowKl;
    private DenseMatrix dMuLogvar;
    private long sampleCalls;
    private long backwardCalls;

    @Override
    protected void prepare(BenchShape s, SplittableRandom rnd) {
        int latent = s.hidden() / 3;
        // sigma 1: mu near 0 and logvar around 0, a trained encoder's range (logvar mostly in [-3, 1])
        muLogvar = gaussian(s.users(), 2 * latent, 1.0, rnd);
        noise = gaussian(s.users(), latent, 1.0, rnd);
        dz = gaussian(s.users(), latent, 1e-3, rnd);
        rowBeta = new float[s.users()];
        Arrays.fill(rowBeta, 0.2f);
        z = owned(DenseMatrix.allocate(s.users(), latent));
        rowKl = new double[s.users()];
        dMuLogvar = owned(DenseMatrix.allocate(s.users(), 2 * latent));
    }

    @Benchmark
    public void sample() {
        kernels.sample(muLogvar, noise, z, rowKl);
        sampleCalls++;
    }

    @Benchmark
    public void sampleBackward() {
        kernels.sampleBackward(muLogvar, noise, dz, rowBeta, dMuLogvar);
        backwardCalls++;
    }

    /**
     * Recomputes both outputs with the scalar kernels. The implementations may differ in the exp's last double bits,
     * which moves a float rounding of it by one ulp (relative {@code 2u}), and in the order of each row's KL sum; the
     * tolerances carry that through each formula ({@code SamplingKernel} and SamplingKernelTest have the derivation).
     */
    @Override
    protected void verify(Kernels reference) {
        int m = z.rows();
        int k = z.cols();
        try (DenseMatrix zRef = DenseMatrix.allocate(m, k); DenseMatrix dRef = DenseMatrix.allocate(m, 2 * k)) {
            double[] klRef = new double[m];
            reference.sample(muLogvar, noise, zRef, klRef);
            reference.sampleBackward(muLogvar, noise, dz, rowBeta, dRef);
            double[] zTolerance = new double[m * k];
            double[] dTolerance = new double[m * 2 * k];
            double[] klTolerance = new double[m];
            for (int i = 0; i < m; i++) {
                double klMagnitude = 0;
                for (int j = 0; j < k; j++) {
                    double mu = muLogvar.get(i, j);
                    double logvar = muLogvar.get(i, k + j);
                    double std = Math.exp(0.5 * logvar);
                    double var = Math.exp(logvar);
                    double eps = noise.get(i, j);
                    double g = dz.get(i, j);
                    // one ulp of std (var) in the term that uses it, then the roundings that follow, in both kernels
                    zTolerance[i * k + j] = 2 * ErrorBounds.gamma(4, ErrorBounds.U_FLOAT) * (Math.abs(mu) + Math.abs(eps * std))
                            + 4 * Float.MIN_VALUE;
                    dTolerance[i * 2 * k + j] = 0; // dmu = dz + beta * mu uses no exp: the same bits
                    dTolerance[i * 2 * k + k + j] = 2 * ErrorBounds.gamma(4, ErrorBounds.U_FLOAT)
                            * (Math.abs(g * eps * std) / 2 + rowBeta[i] / 2 * (var + Math.abs(var - 1))) + 8 * Float.MIN_VALUE;
                    klMagnitude += 0.5 * (Math.abs(logvar) + var + mu * mu + 1);
                }
                klTolerance[i] = 2 * ErrorBounds.gamma(k + 5, ErrorBounds.U_DOUBLE) * klMagnitude;
            }
            // each @Benchmark method is a trial of its own: check the outputs this one wrote
            if (sampleCalls > 0) {
                Agreement.requireClose(trialName(), "z", zRef.toArray(), z.toArray(), zTolerance, k);
                Agreement.requireClose(trialName(), "rowKl", klRef, rowKl, klTolerance);
            }
            if (backwardCalls > 0) {
                Agreement.requireClose(trialName(), "dMuLogvar", dRef.toArray(), dMuLogvar.toArray(), dTolerance, 2 * k);
            }
        }
    }
}
