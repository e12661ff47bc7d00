package dev.sparsecf.bench;

import dev.sparsecf.kernels.CsrMatrix;
import dev.sparsecf.kernels.DenseMatrix;
import dev.sparsecf.kernels.Kernels;
import dev.sparsecf.testing.Agreement;
import dev.sparsecf.testing.ErrorBounds;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;

/**
 * The Mult-VAE output loss: fused log-softmax, multinomial likelihood and its gradient over
 * {@code logits[batch x items]} with the batch's clicks as sparse targets.
 *
 * <p>Traffic per call: one read and one write of a logits-sized matrix (the compulsory traffic; the kernels
 * may read the logits twice). The gradient goes to its own buffer: in place, every call would take the
 * previous call's gradient as logits and the inputs would drift.
 *
 * <p>Run: {@code ./sparsecf bench --include 'LogSoftmaxBenchmark'}.
 */
public class LogSoftmaxBenchmark extends KernelBenchmark {

    private DenseMatrix logits;
    private CsrMatrix x;
    private DenseMatrix grad;
    private double[] rowLoss;
    private long bytesPerOp;

    @Override
    protected void prepare(BenchShape s, SplittableRandom rnd) {
        x = owned(s.clicks(SEED));
        logits = gaussian(s.users(), s.items(), 1.0, rnd);
        grad = owned(DenseMatrix.allocate(s.users(), s.items()));
        rowLoss = new double[s.users()];
        bytesPerOp = 2L * s.users() * s.items() * Float.BYTES;
    }

    @Benchmark
    public double logSoftmax(BytesCounter traffic) {
        double loss = kernels.multinomialLikelihood(logits, x, grad, rowLoss);
        traffic.bytes += bytesPerOp;
        return loss;
    }

    @Override
    protected void verify(Kernels reference) {
        int m = logits.rows();
        int n = logits.cols();
        float[] actualGrad = grad.toArray();
        double[] actualLoss = rowLoss.clone();
        float[] expectedGrad;
        double[] expectedLoss = new double[m];
        try (DenseMatrix gradRef = DenseMatrix.allocate(m, n)) {
            reference.multinomialLikelihood(logits, x, gradRef, expectedLoss);
            expectedGrad = gradRef.toArray();
        }
        float[] z = logits.toArray();
        double[] gradTol = new double[actualGrad.length];
        double[] lossTol = new double[m];
        for (int i = 0; i < m; i++) {
            int row = i * n;
            double max = Double.NEGATIVE_INFINITY;
            double min = Double.POSITIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                max = Math.max(max, z[row + j]);
                min = Math.min(min, z[row + j]);
            }
            double sum = 0;
            for (int j = 0; j < n; j++) {
                sum += Math.exp(z[row + j] - max);
            }
            double lse = max + Math.log(sum);
            double sumX = 0;
            double dot = 0;
            for (int p = x.rowStart(i); p < x.rowEnd(i); p++) {
                sumX += x.value(p);
                dot += x.value(p) * z[row + x.col(p)];
            }
            // A float sum of n exponentials is off by at most (n - 1) rounded adds, per term 4 U for EXP plus
            // (max - min) U for rounding z - max, and per-lane rescaling by up to n more multiplies and EXPs
            // (5 U each): relative error (6n + 4 + range) U, which log() turns into an absolute error of the
            // log-sum-exp; rounding that to float adds U |lse|.
            double lseTol = (6.0 * n + 4 + (max - min)) * ErrorBounds.U_FLOAT + ErrorBounds.U_FLOAT * Math.abs(lse);
            // loss = sumX * lse - x.z; doubled because both sides round
            lossTol[i] = 2 * (sumX * lseTol + ErrorBounds.U_FLOAT * (sumX * Math.abs(lse) + Math.abs(dot)));
            for (int j = 0; j < n; j++) {
                // grad = exp(z - lse) * sumX - x: lse's error, rounding z - lse, EXP (4 U) and the multiply,
                // relative to the softmax term, then the subtraction's rounding
                double softmaxTerm = Math.exp(z[row + j] - lse) * sumX;
                double rel = lseTol + (Math.abs(z[row + j] - lse) + 5) * ErrorBounds.U_FLOAT;
                gradTol[row + j] = 2 * (rel * softmaxTerm + ErrorBounds.U_FLOAT * Math.abs(expectedGrad[row + j]));
            }
        }
        Agreement.requireClose(trialName(), "rowLoss", expectedLoss, actualLoss, lossTol);
        Agreement.requireClose(trialName(), "grad", expectedGrad, actualGrad, gradTol, n);
    }
}
