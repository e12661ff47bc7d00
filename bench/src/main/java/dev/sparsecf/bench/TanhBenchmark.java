package dev.sparsecf.bench;

import dev.sparsecf.kernels.DenseMatrix;
import dev.sparsecf.kernels.Kernels;
import dev.sparsecf.testing.Agreement;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;

/**
 * The Mult-VAE hidden activation: in-place tanh over a batch's pre-activations, {@code users x hidden}
 * (500 x 600 for ML-20M). Each call first restores the pre-activations from a copy, in both implementations:
 * applied to its own output again and again, tanh would drive the inputs towards 0, where it is cheaper.
 *
 * <p>Run: {@code ./sparsecf bench --include 'TanhBenchmark'}.
 */
public class TanhBenchmark extends KernelBenchmark {

    /**
     * Tolerance against the scalar kernel, in float ulps of the result: the scalar oracle is within 0.5 float ulp
     * plus 2.5 double ulps of tanh, PanamaTanh within 2.1 float ulps (its Javadoc has the derivation), so the two
     * differ by at most about 3; one more covers the ulp step at a power of two.
     */
    private static final double ULPS = 4;

    private DenseMatrix preActivation;
    private DenseMatrix x;
    private long bytesPerOp;

    @Override
    protected void prepare(BenchShape s, SplittableRandom rnd) {
        // sigma 1: Xavier-initialised layers give pre-activations of about unit scale, the region tanh bends in
        preActivation = gaussian(s.users(), s.hidden(), 1.0, rnd);
        x = owned(DenseMatrix.allocate(s.users(), s.hidden()));
        bytesPerOp = 4L * s.users() * s.hidden() * Float.BYTES; // the restoring copy, then tanh's read and write
    }

    @Benchmark
    public void tanh(BytesCounter traffic) {
        x.copyFrom(preActivation);
        kernels.tanh(x);
        traffic.bytes += bytesPerOp;
    }

    @Override
    protected void verify(Kernels reference) {
        float[] actual = x.toArray();
        float[] expected;
        try (DenseMatrix r = DenseMatrix.allocate(x.rows(), x.cols())) {
            r.copyFrom(preActivation);
            reference.tanh(r);
            expected = r.toArray();
        }
        double[] tol = new double[expected.length];
        for (int e = 0; e < tol.length; e++) {
            tol[e] = ULPS * Math.ulp(expected[e]);
        }
        Agreement.requireClose(trialName(), "tanh", expected, actual, tol, x.cols());
    }
}
