package dev.sparsecf.bench;

import dev.sparsecf.kernels.CsrMatrix;
import dev.sparsecf.kernels.DenseMatrix;
import dev.sparsecf.kernels.Kernels;
import dev.sparsecf.kernels.synthetic.SyntheticClicks;
import dev.sparsecf.testing.Agreement;
import dev.sparsecf.testing.ErrorBounds;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;

/**
 * Scoring with a sparse EASE: {@code S = X_u B} for {@value #USERS} ML-20M-shaped users (20,108 items) and a CSR B
 * with K entries per column (a neighbourhood fit's), by the scalar oracle and the Panama kernel (gather-add-scatter
 * into a heap row, vector write-out).
 *
 * <p>Traffic per call: for every click, the B row of its item (8 bytes per entry: column and value), plus S written
 * once ({@code USERS x n} floats).
 *
 * <p>Run: {@code ./sparsecf bench --include CsrProductBenchmark}.
 */
public class CsrProductBenchmark extends TrialBenchmark {

    static final int USERS = 500;
    /** Users checked against the double oracle after the trial. */
    private static final int SAMPLED_USERS = 4;

    /** The kernels: the {@code -Dsparsecf.kernels} ids. */
    @Param({"scalar", "panama"})
    public String impl;

    /** Entries per column of B. */
    @Param({"100", "500"})
    public int k;

    private Kernels kernels;
    private CsrMatrix x;
    private CsrMatrix b;
    private DenseMatrix s;
    private long bytesPerOp;

    @Override
    protected void prepareTrial() {
        kernels = sparseKernels(impl);
        CsrMatrix users = owned(SyntheticClicks.ml20mShape(0.01, SEED));
        x = users.rows(0, USERS);
        int n = x.cols();
        SplittableRandom rnd = new SplittableRandom(SEED + 2);
        CsrMatrix.Builder rows = CsrMatrix.builder(n); // row i of B: K random columns, as many entries as K per column
        for (int i = 0; i < n; i++) {
            int[] cols = rnd.ints(k, 0, n).sorted().distinct().toArray();
            float[] values = new float[cols.length];
            for (int t = 0; t < cols.length; t++) {
                values[t] = (float) (rnd.nextDouble() - 0.3) * 0.1f;
            }
            rows.addRow(cols, values);
        }
        b = owned(rows.build());
        s = owned(DenseMatrix.allocate(USERS, n));
        long entries = 0;
        for (int u = 0; u < USERS; u++) {
            for (int p = x.rowStart(u); p < x.rowEnd(u); p++) {
                entries += b.rowNnz(x.col(p));
            }
        }
        bytesPerOp = entries * 8 + (long) USERS * n * Float.BYTES;
    }

    @Benchmark
    public DenseMatrix product(BytesCounter traffic) {
        kernels.csrProduct(x, b, s);
        traffic.bytes += bytesPerOp;
        return s;
    }

    /** Sampled users' scores against the sum of their items' B rows in double, within the float summation bound. */
    @Override
    protected void verifyTrial() {
        int n = x.cols();
        Agreement.Samples samples = new Agreement.Samples(SAMPLED_USERS * n);
        for (int u = 0; u < USERS; u += USERS / SAMPLED_USERS) {
            double[] want = new double[n];
            double[] mag = new double[n];
            for (int p = x.rowStart(u); p < x.rowEnd(u); p++) {
                int i = x.col(p);
                for (int q = b.rowStart(i); q < b.rowEnd(i); q++) {
                    want[b.col(q)] += b.value(q);
                    mag[b.col(q)] += Math.abs(b.value(q));
                }
            }
            for (int j = 0; j < n; j++) {
                samples.add(u, j, want[j], s.get(u, j), ErrorBounds.linear(x.rowNnz(u), mag[j]));
            }
        }
        samples.require(trialName(), "X_u B", "a double sum");
    }

    @Override
    protected String trialParams() {
        return impl + ", k=" + k;
    }
}
