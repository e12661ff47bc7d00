package dev.sparsecf.bench;

import dev.sparsecf.kernels.DenseMatrix;
import dev.sparsecf.kernels.Kernels;
import dev.sparsecf.testing.Agreement;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;

/**
 * One Adam step on the Mult-VAE first-layer weights, {@code items x hidden} (20,108 x 600 for ML-20M), with
 * weight decay. Elementwise and memory-bound: per call it reads param, grad, m and v and writes param, m and v.
 * The state keeps evolving across calls, as in training; the steps are small, so it stays finite.
 *
 * <p>Run: {@code ./sparsecf bench --include 'AdamBenchmark'}.
 */
public class AdamBenchmark extends KernelBenchmark {

    private static final double STEP_SIZE = 1e-3;
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPSILON = 1e-8;
    private static final double WEIGHT_DECAY = 0.01;

    private DenseMatrix param;
    private DenseMatrix grad;
    private DenseMatrix negatedGrad;
    private long calls;
    private DenseMatrix m;
    private DenseMatrix v;
    private long bytesPerOp;

    @Override
    protected void prepare(BenchShape s, SplittableRandom rnd) {
        param = gaussian(s.items(), s.hidden(), 0.05, rnd);
        grad = gaussian(s.items(), s.hidden(), 1e-3, rnd);
        float[] g = grad.toArray();
        for (int e = 0; e < g.length; e++) {
            g[e] = -g[e];
        }
        negatedGrad = owned(DenseMatrix.of(s.items(), s.hidden(), g));
        m = owned(DenseMatrix.allocate(s.items(), s.hidden()));
        v = owned(DenseMatrix.allocate(s.items(), s.hidden()));
        bytesPerOp = 7L * s.items() * s.hidden() * Float.BYTES;
    }

    @Benchmark
    public void adam(BytesCounter traffic) {
        kernels.adamUpdate(param, (calls++ & 1) == 0 ? grad : negatedGrad, m, v, STEP_SIZE, BETA1, BETA2, EPSILON,
                WEIGHT_DECAY);
        traffic.bytes += bytesPerOp;
    }

    /**
     * Checks that the state stayed out of the subnormal regime, then takes one more step from it on copies, by both
     * kernels: the contract is bit-identical results.
     */
    @Override
    protected void verify(Kernels reference) {
        long subnormals = countSubnormals(m) + countSubnormals(v);
        if (subnormals > 0) {
            throw new IllegalStateException(trialName() + ": after " + calls + " calls " + subnormals
                    + " elements of m and v are subnormal, so the trial measured the slow subnormal regime");
        }
        String[] names = {"param", "m", "v"};
        int[][][] bits = new int[2][][];
        Kernels[] both = {reference, kernels};
        for (int k = 0; k < 2; k++) {
            try (DenseMatrix p = copy(param); DenseMatrix mc = copy(m); DenseMatrix vc = copy(v)) {
                both[k].adamUpdate(p, grad, mc, vc, STEP_SIZE, BETA1, BETA2, EPSILON, WEIGHT_DECAY);
                bits[k] = new int[][] {rawBits(p), rawBits(mc), rawBits(vc)};
            }
        }
        for (int s = 0; s < names.length; s++) {
            Agreement.requireEqual(trialName(), names[s] + " bits", bits[0][s], bits[1][s], param.cols());
        }
    }

    private static DenseMatrix copy(DenseMatrix src) {
        DenseMatrix c = DenseMatrix.allocate(src.rows(), src.cols());
        c.copyFrom(src);
        return c;
    }

    private static long countSubnormals(DenseMatrix x) {
        long count = 0;
        for (float f : x.toArray()) {
            count += f != 0 && Math.abs(f) < Float.MIN_NORMAL ? 1 : 0;
        }
        return count;
    }
}
