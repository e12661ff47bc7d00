package dev.sparsecf.bench;

import dev.sparsecf.kernels.CsrMatrix;
import dev.sparsecf.kernels.DenseMatrix;
import dev.sparsecf.kernels.Kernels;
import dev.sparsecf.testing.Agreement;
import dev.sparsecf.testing.ErrorBounds;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.infra.Blackhole;

/**
 * SpMM, the Mult-VAE encoder's first layer: {@code C[batch x hidden] = diag(1/sqrt(nnz_u)) * X * W + b}, with
 * {@code X} the batch's binary clicks (CSR, items columns) and {@code W} the {@code items x hidden} weights.
 *
 * <p>Traffic per call: the {@code W} rows the clicks name (nnz x hidden floats, gathered) plus {@code C}
 * written once. Flops: one add per gathered element (binary X; two for weighted), plus the row scale and the
 * bias per output element.
 *
 * <p>Run: {@code ./sparsecf bench --include 'SpmmBenchmark'}, or
 * {@code java -jar bench/target/sparsecf-bench.jar SpmmBenchmark -p shape=ml20m-vae}.
 */
public class SpmmBenchmark extends KernelBenchmark {

    private CsrMatrix x;
    private DenseMatrix w;
    private float[] rowScale;
    private MemorySegment bias;
    private DenseMatrix c;
    private long bytesPerOp;
    private long flopsPerOp;

    @Override
    protected void prepare(BenchShape s, SplittableRandom rnd) {
        x = owned(s.clicks(SEED));
        w = gaussian(s.items(), s.hidden(), 1.0, rnd);
        bias = gaussian(1, s.hidden(), 1.0, rnd).row(0);
        rowScale = new float[s.users()];
        for (int u = 0; u < s.users(); u++) {
            rowScale[u] = (float) (1 / Math.sqrt(x.rowNnz(u))); // Mult-VAE's L2 normalisation of the clicks
        }
        c = owned(DenseMatrix.allocate(s.users(), s.hidden()));
        long gathered = x.nnz() * s.hidden();
        long outputs = (long) s.users() * s.hidden();
        bytesPerOp = (gathered + outputs) * Float.BYTES;
        flopsPerOp = gathered * (x.isBinary() ? 1 : 2) + 2 * outputs;
    }

    @Benchmark
    public void spmm(Blackhole bh, BytesCounter traffic, FlopsCounter work) {
        kernels.spmm(x, w, rowScale, bias, c);
        bh.consume(c);
        traffic.bytes += bytesPerOp;
        work.flops += flopsPerOp;
    }

    @Override
    protected void verify(Kernels reference) {
        int n = c.cols();
        float[] actual = c.toArray();
        float[] expected;
        try (DenseMatrix cRef = DenseMatrix.allocate(c.rows(), n)) {
            reference.spmm(x, w, rowScale, bias, cRef);
            expected = cRef.toArray();
        }
        // Each side is within (nnz + 1) * U * mag of the exact value (recursive summation of nnz terms, then
        // one multiply and one add), mag = |s| * sum |W[col, j]| + |b_j|; so the two differ by at most twice it.
        float[] wv = w.toArray();
        double[] tol = new double[actual.length];
        double[] mag = new double[n];
        for (int i = 0; i < c.rows(); i++) {
            Arrays.fill(mag, 0);
            for (int p = x.rowStart(i); p < x.rowEnd(i); p++) {
                int row = x.col(p) * n;
                double weight = Math.abs(x.value(p));
                for (int j = 0; j < n; j++) {
                    mag[j] += weight * Math.abs(wv[row + j]);
                }
            }
            for (int j = 0; j < n; j++) {
                double m = Math.abs(rowScale[i]) * mag[j] + Math.abs(bias.getAtIndex(ValueLayout.JAVA_FLOAT, j));
                tol[i * n + j] = 2 * (x.rowNnz(i) + 2) * ErrorBounds.U_FLOAT * m;
            }
        }
        Agreement.requireClose(trialName(), "C", expected, actual, tol, n);
    }
}
