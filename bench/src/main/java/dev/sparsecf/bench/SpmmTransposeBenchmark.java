package dev.sparsecf.bench;

import dev.sparsecf.kernels.CsrMatrix;
import dev.sparsecf.kernels.DenseMatrix;
import dev.sparsecf.kernels.Kernels;
import dev.sparsecf.testing.Agreement;
import dev.sparsecf.testing.ErrorBounds;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Transposed SpMM, the first layer's weight gradient: {@code G[items x hidden] += X^T * D}, with {@code X}
 * the batch's binary clicks and {@code D[batch x hidden]} the gradient at the layer's output.
 *
 * <p>Traffic per call: the {@code G} rows the clicks name, read and written (2 x nnz x hidden floats), plus
 * {@code D} read once. Flops: one add per updated element (binary X; two for weighted). That is the traffic of the
 * row-order scatter-add; the Panama kernel reads and writes each touched G row once (about 0.3 x nnz rows at
 * ml20m-vae), so its rate over this count can exceed the memory bandwidth: the count stays as it is so that rates
 * compare across kernels and runs.
 *
 * <p>{@code G} accumulates by contract. Zeroing it inside every call would add a full {@code items x hidden}
 * memset (48 MB for ml20m-vae, a quarter of the kernel's own traffic) to the timed region, so it is zeroed
 * before each iteration instead: within an iteration it only grows linearly (N calls give N * X^T * D),
 * which changes magnitudes but not the work, since float adds cost the same at any normal magnitude.
 *
 * <p>Run: {@code ./sparsecf bench --include 'SpmmTransposeBenchmark'}.
 */
public class SpmmTransposeBenchmark extends KernelBenchmark {

    private CsrMatrix x;
    private DenseMatrix d;
    private DenseMatrix g;
    private long bytesPerOp;
    private long flopsPerOp;

    @Override
    protected void prepare(BenchShape s, SplittableRandom rnd) {
        x = owned(s.clicks(SEED));
        d = gaussian(s.users(), s.hidden(), 1.0, rnd);
        g = owned(DenseMatrix.allocate(s.items(), s.hidden()));
        long updated = x.nnz() * s.hidden();
        bytesPerOp = (2 * updated + (long) s.users() * s.hidden()) * Float.BYTES;
        flopsPerOp = updated * (x.isBinary() ? 1 : 2);
    }

    /** Bounds the accumulation to one iteration's calls (outside the timed region). */
    @Setup(Level.Iteration)
    public void zeroGradient() {
        g.fill(0f);
    }

    @Benchmark
    public void spmmTranspose(Blackhole bh, BytesCounter traffic, FlopsCounter work) {
        kernels.spmmTransposeAccumulate(x, d, g);
        bh.consume(g);
        traffic.bytes += bytesPerOp;
        work.flops += flopsPerOp;
    }

    /** The timed G holds N accumulated calls, so this checks one fresh call from zero on both sides. */
    @Override
    protected void verify(Kernels reference) {
        int n = g.cols();
        g.fill(0f);
        kernels.spmmTransposeAccumulate(x, d, g);
        float[] actual = g.toArray();
        float[] expected;
        try (DenseMatrix gRef = DenseMatrix.allocate(g.rows(), n)) {
            reference.spmmTransposeAccumulate(x, d, gRef);
            expected = gRef.toArray();
        }
        // G(c, j) sums one term per click on item c: each side is within (count_c + 1) * U * mag of the exact
        // sum, mag = sum |x_ic * D(i, j)|; so the two differ by at most twice it.
        float[] dv = d.toArray();
        double[] mag = new double[actual.length];
        int[] count = new int[g.rows()];
        for (int i = 0; i < x.rows(); i++) {
            for (int p = x.rowStart(i); p < x.rowEnd(i); p++) {
                int item = x.col(p);
                double weight = Math.abs(x.value(p));
                count[item]++;
                for (int j = 0; j < n; j++) {
                    mag[item * n + j] += weight * Math.abs(dv[i * n + j]);
                }
            }
        }
        double[] tol = new double[actual.length];
        for (int e = 0; e < tol.length; e++) {
            tol[e] = 2 * (count[e / n] + 1) * ErrorBounds.U_FLOAT * mag[e];
        }
        Agreement.requireClose(trialName(), "G", expected, actual, tol, n);
    }
}
