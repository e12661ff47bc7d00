package dev.sparsecf.bench;

import dev.sparsecf.kernels.DenseMatrix;
import dev.sparsecf.kernels.Kernels;
import dev.sparsecf.testing.Agreement;
import dev.sparsecf.testing.ErrorBounds;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;

/**
 * Dense float32 GEMM {@code C = op(A) op(B)} on the shapes of the Mult-VAE output layer on ML-20M (batch 500,
 * 600 hidden units, 20,108 items: the forward product and its two gradient products) and two squares, for the naive
 * scalar loop, the Panama kernels, OpenBLAS sgemm, oneDNN's dnnl_sgemm and oneDNN's matmul in bf16 (both operands
 * rounded to bf16 inside the call, float32 accumulation; measured for issue #19 point 4, not offered in {@code train}).
 *
 * <p>Flops per call: {@code 2 m n k}. GEMM is compute bound, so no traffic is counted.
 *
 * <p>The naive loop (the test oracle) takes 10-18 s per Mult-VAE product here, so it runs on {@code square-512}
 * only: its trial refuses the bigger shapes at set-up, and the {@code sparsecf bench} profiles never ask for them.
 *
 * <p>Run: {@code ./sparsecf bench --include GemmBenchmark}, or
 * {@code java -jar bench/target/sparsecf-bench.jar GemmBenchmark -p impl=panama,openblas,dnnl -p shape=ml20m-vae-out}.
 */
public class GemmBenchmark extends TrialBenchmark {

    /** The largest product the naive loop is asked to time: about a second per call at its 0.7 GFLOP/s. */
    static final long SCALAR_MAX_FLOPS = 1L << 29;
    /** Elements of C checked against an exact dot product after the trial. */
    private static final int SAMPLES = 256;
    /** bf16's unit roundoff: 8 significant bits. */
    private static final double U_BF16 = 0x1p-8;

    /** A product named after the workload it comes from: {@code op(A)} is {@code m x k}, {@code op(B)} is {@code k x n}. */
    enum Shape {
        /** Small enough for the naive loop: the common ground for a scalar baseline. */
        SQUARE_512("square-512", false, false, 512, 512, 512),
        /** Mult-VAE decoder output, forward: {@code Z[500 x 20108] = H[500 x 600] W[600 x 20108]}. */
        ML20M_VAE_OUT("ml20m-vae-out", false, false, 500, 20_108, 600),
        /** Its weight gradient: {@code dW[600 x 20108] = H^T dZ[500 x 20108]}. */
        ML20M_VAE_DW("ml20m-vae-dw", true, false, 600, 20_108, 500),
        /** Its input gradient: {@code dH[500 x 600] = dZ[500 x 20108] W^T}. */
        ML20M_VAE_DH("ml20m-vae-dh", false, true, 500, 600, 20_108),
        /** A large square product with no thin dimension: the classic check of a GEMM's peak rate. */
        SQUARE_2048("square-2048", false, false, 2048, 2048, 2048);

        final String id;
        final boolean transA;
        final boolean transB;
        final int m;
        final int n;
        final int k;

        Shape(String id, boolean transA, boolean transB, int m, int n, int k) {
            this.id = id;
            this.transA = transA;
            this.transB = transB;
            this.m = m;
            this.n = n;
            this.k = k;
        }

        long flops() {
            return 2L * m * n * k;
        }

        static Shape named(String id) {
            for (Shape s : values()) {
                if (s.id.equals(id)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("unknown GEMM shape '" + id + "'; expected one of "
                    + Arrays.stream(values()).map(s -> s.id).toList());
        }
    }

    /**
     * {@code scalar} and {@code panama}: the Java kernels; {@code openblas}: sgemm; {@code dnnl}: oneDNN's sgemm;
     * {@code dnnl-bf16}: oneDNN's bf16 matmul with the conversions of A and B; not in the default list, {@code mkl}
     * (Intel MKL's sgemm, a build with {@code -Pmkl}): {@code -p impl=mkl}.
     */
    @Param({"scalar", "panama", "openblas", "dnnl", "dnnl-bf16"})
    public String impl;

    /** A {@link Shape} id. */
    @Param({"square-512", "ml20m-vae-out", "ml20m-vae-dw", "ml20m-vae-dh", "square-2048"})
    public String shape;

    private Shape s;
    private Kernels kernels;
    private DenseMatrix a;
    private DenseMatrix b;
    private DenseMatrix c;

    @Override
    protected void prepareTrial() {
        s = Shape.named(shape);
        if (impl.equals("scalar") && s.flops() > SCALAR_MAX_FLOPS) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s: the naive scalar GEMM would take about"
                    + " %.0f s per call at %s (%.1f GFLOP); it runs on square-512 only (-p shape=square-512)",
                    trialName(), s.flops() / 0.7e9, shape, s.flops() / 1e9));
        }
        kernels = denseKernels(impl);
        SplittableRandom rnd = new SplittableRandom(SEED);
        a = s.transA ? gaussian(s.k, s.m, 1.0, rnd) : gaussian(s.m, s.k, 1.0, rnd);
        b = s.transB ? gaussian(s.n, s.k, 1.0, rnd) : gaussian(s.k, s.n, 1.0, rnd);
        c = owned(DenseMatrix.allocate(s.m, s.n));
    }

    @Benchmark
    public DenseMatrix gemm(FlopsCounter work) {
        kernels.gemm(s.transA, s.transB, 1f, a, b, 0f, c); // beta = 0: every call overwrites C, nothing drifts
        work.flops += s.flops();
        return c;
    }

    /**
     * Samples of C against the exact dot product (in double): any summation order, with or without FMA, is within
     * {@code gamma(k) sum_p |a_ip b_pj|} in float (Higham Eq. 3.5), and the double reference within the same with
     * {@code u = 2^-53}; in bf16 each product is also off by up to {@code (2 u_b + u_b^2)(1 + gamma(k))} of its
     * magnitude (both operands rounded with {@code u_b = 2^-8}, the product exact in float32).
     */
    @Override
    protected void verifyTrial() {
        SplittableRandom rnd = new SplittableRandom(SEED + 1);
        Agreement.Samples samples = new Agreement.Samples(SAMPLES);
        for (int t = 0; t < SAMPLES; t++) {
            int i = rnd.nextInt(s.m);
            int j = rnd.nextInt(s.n);
            double sum = 0;
            double mag = 0;
            for (int p = 0; p < s.k; p++) {
                double term = (double) (s.transA ? a.get(p, i) : a.get(i, p)) * (s.transB ? b.get(j, p) : b.get(p, j));
                sum += term;
                mag += Math.abs(term);
            }
            double gamma = ErrorBounds.gamma(s.k, ErrorBounds.U_FLOAT);
            double rounding = impl.equals("dnnl-bf16") ? (2 * U_BF16 + U_BF16 * U_BF16) * (1 + gamma) : 0;
            samples.add(i, j, sum, c.get(i, j), (rounding + gamma + ErrorBounds.gamma(s.k, ErrorBounds.U_DOUBLE)) * mag);
        }
        samples.require(trialName(), "C", "the exact dot product");
    }

    @Override
    protected String trialParams() {
        return impl + ", " + shape;
    }
}
