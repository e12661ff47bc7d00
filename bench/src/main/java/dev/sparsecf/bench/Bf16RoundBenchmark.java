package dev.sparsecf.bench;

import dev.sparsecf.kernels.Bf16Kernels;
import dev.sparsecf.kernels.Bf16Matrix;
import dev.sparsecf.kernels.DenseMatrix;
import dev.sparsecf.kernels.Kernels;
import dev.sparsecf.testing.Agreement;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;

/**
 * The float32 to bf16 rounding of {@code train --precision bf16}: the output layer's gradient, {@code users x items}
 * (500 x 20,108 for ML-20M), rounded once per training step (the 600 x 20,108 weights are rounded the same way).
 * Memory-bound: per call it reads 4 bytes and writes 2 per element.
 *
 * <p>Run: {@code ./sparsecf bench --include 'Bf16RoundBenchmark'}.
 */
public class Bf16RoundBenchmark extends KernelBenchmark {

    private DenseMatrix src;
    private Bf16Matrix dst;
    private Bf16Kernels bf16;
    private long bytesPerOp;

    @Override
    protected void prepare(BenchShape s, SplittableRandom rnd) {
        // sigma 1e-3: the scale of a logits' gradient (softmax minus target, divided over 20,108 items)
        src = gaussian(s.users(), s.items(), 1e-3, rnd);
        dst = owned(Bf16Matrix.allocate(s.users(), s.items()));
        bf16 = Bf16Kernels.roundingOnly(kernels);
        bytesPerOp = (long) s.users() * s.items() * (Float.BYTES + Short.BYTES);
    }

    @Benchmark
    public void round(BytesCounter traffic) {
        bf16.round(src, dst);
        traffic.bytes += bytesPerOp;
    }

    /** The contract is the same bits as the scalar rounding, element by element. */
    @Override
    protected void verify(Kernels reference) {
        try (Bf16Matrix expected = Bf16Matrix.allocate(dst.rows(), dst.cols())) {
            Bf16Kernels.roundingOnly(reference).round(src, expected);
            Agreement.requireEqual(trialName(), "bf16 bits", bits(expected), bits(dst), dst.cols());
        }
    }

    private static int[] bits(Bf16Matrix m) {
        int[] b = new int[m.rows() * m.cols()];
        for (int i = 0; i < m.rows(); i++) {
            for (int j = 0; j < m.cols(); j++) {
                b[i * m.cols() + j] = m.bits(i, j);
            }
        }
        return b;
    }
}
