package dev.sparsecf.bench;

import dev.sparsecf.kernels.DenseMatrix;
import dev.sparsecf.kernels.Kernels;
import dev.sparsecf.testing.Agreement;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;

/**
 * The element-wise steps of a Mult-VAE hidden layer's backward pass over a batch, {@code users x hidden} (500 x 600
 * for ML-20M): the tanh derivative {@code d *= 1 - y^2} and the bias gradient (column sums of d in double).
 * Memory-bound. {@code tanhBackward} first restores d from a copy, in both implementations: applied to its own output
 * again and again, it would drive d into the subnormal range, where it is slower. Every implementation must give the
 * scalar kernels' bits, and the check after the trial asks for exactly that.
 *
 * <p>Run: {@code ./sparsecf bench --include 'ElementwiseBenchmark'}.
 */
public class ElementwiseBenchmark extends KernelBenchmark {

    private DenseMatrix y;
    private DenseMatrix gradient;
    private DenseMatrix d;
    private DenseMatrix sums;
    private double[] scratch;
    private float scale;
    private long tanhCalls;
    private long sumCalls;
    private long tanhBytesPerOp;
    private long sumBytesPerOp;

    @Override
    protected void prepare(BenchShape s, SplittableRandom rnd) {
        y = gaussian(s.users(), s.hidden(), 1.0, rnd);
        Kernels.create("scalar", 1).tanh(y); // a tanh layer's output, in (-1, 1)
        gradient = gaussian(s.users(), s.hidden(), 1e-3, rnd);
        d = owned(DenseMatrix.allocate(s.users(), s.hidden()));
        sums = owned(DenseMatrix.allocate(1, s.hidden()));
        scratch = new double[s.hidden()];
        scale = 1f / s.users();
        tanhBytesPerOp = 5L * s.users() * s.hidden() * Float.BYTES; // the restoring copy, then y and d read, d written
        sumBytesPerOp = (long) s.users() * s.hidden() * Float.BYTES;
    }

    @Benchmark
    public void tanhBackward(BytesCounter traffic) {
        d.copyFrom(gradient);
        kernels.tanhBackward(y, d);
        tanhCalls++;
        traffic.bytes += tanhBytesPerOp;
    }

    @Benchmark
    public void columnSums(BytesCounter traffic) {
        kernels.columnSums(gradient, scale, sums, scratch);
        sumCalls++;
        traffic.bytes += sumBytesPerOp;
    }

    @Override
    protected void verify(Kernels reference) {
        try (DenseMatrix dRef = DenseMatrix.allocate(d.rows(), d.cols()); DenseMatrix sumsRef = DenseMatrix.allocate(1, d.cols())) {
            dRef.copyFrom(gradient);
            reference.tanhBackward(y, dRef);
            reference.columnSums(gradient, scale, sumsRef, new double[d.cols()]);
            // each @Benchmark method is a trial of its own: check the outputs this one wrote
            if (tanhCalls > 0) {
                Agreement.requireEqual(trialName(), "tanhBackward bits", rawBits(dRef), rawBits(d), d.cols());
            }
            if (sumCalls > 0) {
                Agreement.requireEqual(trialName(), "columnSums bits", rawBits(sumsRef), rawBits(sums), d.cols());
            }
        }
    }
}
