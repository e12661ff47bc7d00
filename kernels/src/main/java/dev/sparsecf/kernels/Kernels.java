package dev.sparsecf.kernels;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Locale;
import java.util.Objects;
import java.util.function.DoubleConsumer;

/**
 * The checking facade over one {@link KernelProvider} and one {@link BlasProvider}: validates shapes and aliasing
 * once, then splits the work across {@link KernelThreads} and calls kernels that trust their input (netlib's
 * pattern). GEMM and the SPD inverses run on the BLAS tier (OpenBLAS or the Java kernels), everything else on
 * the kernel tier.
 *
 * <p>{@link #get()} is the process-wide instance chosen from {@code -Dsparsecf.kernels}, {@code -Dsparsecf.blas}
 * and {@code -Dsparsecf.threads}; each tier logs one INFO line when first used. {@link #create} builds an explicit
 * one (benchmarks, tests).
 */
public final class Kernels {

    private static final System.Logger LOG = System.getLogger("dev.sparsecf.kernels");

    private final KernelProvider provider;
    private final KernelThreads pool;
    private final BlasProvider blas; // null for the default instance

    /** {@code blas} null: the default instance's, which {@link DefaultKernels} resolves on first use. */
    Kernels(KernelProvider provider, KernelThreads pool, BlasProvider blas) {
        this.provider = provider;
        this.pool = pool;
        this.blas = blas;
    }

    /** The process-wide kernels selected by {@code -Dsparsecf.kernels} (default auto) and {@code -Dsparsecf.threads}. */
    public static Kernels get() {
        return DefaultKernels.kernels();
    }

    /**
     * Kernels of an explicit implementation ({@code auto}, {@code scalar} or {@code panama}) and thread count, with
     * GEMM and the SPD inverse on the same Java kernels; a forced implementation that cannot load throws
     * {@link IllegalStateException}.
     */
    public static Kernels create(String impl, int threads) {
        return create(impl, "java", threads);
    }

    /**
     * As {@link #create(String, int)} with the BLAS tier {@code blas} ({@code auto}, {@code openblas} or
     * {@code java}, as {@code -Dsparsecf.blas}); a forced {@code openblas} that cannot load throws
     * {@link IllegalStateException}.
     */
    public static Kernels create(String impl, String blas, int threads) {
        KernelProvider provider = KernelProvider.forName(impl, msg -> LOG.log(System.Logger.Level.WARNING, msg));
        KernelThreads pool = KernelThreads.of(threads);
        return new Kernels(provider, pool,
                BlasProvider.forName(blas, threads, provider, msg -> LOG.log(System.Logger.Level.WARNING, msg)));
    }

    /** Kernels of explicit tiers (tests inject a BLAS tier of their own). */
    static Kernels of(KernelProvider provider, BlasProvider blas, int threads) {
        return new Kernels(provider, KernelThreads.of(threads), blas);
    }

    /**
     * These kernels and threads with GEMM in bf16 (float32 accumulation) on oneDNN and the rest of the BLAS tier on
     * OpenBLAS ({@link BlasProvider#bf16Gemm}), logged in one INFO line; throws {@link IllegalStateException} naming
     * the cause and the fix when oneDNN or the CPU's bf16 arithmetic is missing.
     */
    public Kernels withBf16Gemm() {
        BlasProvider bf16 = BlasProvider.bf16Gemm(pool.threads());
        LOG.log(System.Logger.Level.INFO, bf16.startupLine());
        return new Kernels(provider, pool, bf16);
    }

    /**
     * These kernels with GEMM on the Java tier, where row i of C depends only on row i of op(A) and on op(B), bit for
     * bit, whatever the other rows (this, if GEMM runs there already). Scoring uses it so that a user's scores are
     * the same in every batch: native libraries pick kernels by shape and row position (with
     * {@code OPENBLAS_CORETYPE=Haswell} on an AMD Zen 5, OpenBLAS gave a user's Mult-DAE scores other last bits in a
     * one-user batch than in an 80-user one). A forced native tier
     * ({@code -Dsparsecf.blas}) is replaced with one WARNING line.
     */
    public Kernels rowInvariant() {
        if (blas != null && !blas.gemmIsNative()) {
            return this;
        }
        String asked = blas != null ? blas.name() : DefaultKernels.askedBlas();
        if (!asked.isEmpty() && !asked.equals("auto") && !asked.equals("java")) {
            LOG.log(System.Logger.Level.WARNING, "scoring runs GEMM on the Java tier, not " + asked + " (--blas, -D"
                    + BlasProvider.BLAS_PROPERTY + "): its rows do not depend on the batch, so every user gets the same"
                    + " scores in any batch");
        }
        return new Kernels(provider, pool, BlasProvider.java(provider, pool.threads()));
    }

    /** The start-up line: implementation, vector width and threads. */
    public String startupLine() {
        return String.format(Locale.ROOT, "sparsecf kernels: %s; %d-bit float vectors; %d thread%s (-D%s, -D%s)",
                provider.describe(), provider.vectorBitSize(), pool.threads(), pool.threads() == 1 ? "" : "s",
                KernelProvider.IMPL_PROPERTY, KernelThreads.THREADS_PROPERTY);
    }

    /** The implementation id: {@code scalar} or {@code panama}. */
    public String implementationName() {
        return provider.name();
    }

    public KernelProvider provider() {
        return provider;
    }

    /** The tier running GEMM and the SPD inverses (for the default instance, resolved on this first call). */
    public BlasProvider blas() {
        return blas != null ? blas : DefaultKernels.blas();
    }

    /**
     * {@code openblas} or {@code java/<kernels>}: which code runs GEMM and the SPD inverses; when {@code auto} chose
     * differently per operation, {@code gemm openblas, inverse java/panama} (or the other way round, or
     * {@code gemm dnnl, inverse openblas}); {@code mkl} when MKL runs both.
     */
    public String denseImplementationName() {
        BlasProvider b = blas();
        String gemm = b.gemmIsNative() ? b.gemmLibrary() : "java/" + provider.name();
        String inverse = b.inverseIsNative() ? b.inverseLibrary() : "java/" + provider.name();
        return gemm.equals(inverse) ? gemm : "gemm " + gemm + ", inverse " + inverse;
    }

    /** Whether {@link #invertSpdFloat} is available: OpenBLAS has spotrf + spotri; the Java kernels are double only. */
    public boolean hasFloatInverse() {
        return blas().floatCholeskyInverse().isPresent();
    }

    public int threads() {
        return pool.threads();
    }

    /** The thread pool the kernels split their work on (models use it for their own row-parallel loops). */
    public KernelThreads pool() {
        return pool;
    }

    /**
     * {@code C[m x n] = diag(rowScale) * A[m x k] * B[k x n] + bias}, overwriting {@code C}; {@code rowScale}
     * (m floats) and {@code bias} (n floats) may be null. Rows are split across threads.
     */
    public void spmm(CsrMatrix a, DenseMatrix b, float[] rowScale, MemorySegment bias, DenseMatrix c) {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        Objects.requireNonNull(c, "c");
        KernelChecks.requireShape("spmm: B", b, a.cols(), c.cols());
        KernelChecks.requireShape("spmm: C", c, a.rows(), b.cols());
        if (rowScale != null && rowScale.length < a.rows()) {
            throw new IllegalArgumentException("spmm: rowScale has " + rowScale.length + " floats, A has " + a.rows() + " rows");
        }
        if (bias != null && bias.byteSize() < (long) c.cols() * Float.BYTES) {
            throw new IllegalArgumentException("spmm: bias has " + bias.byteSize() / Float.BYTES + " floats, C has "
                    + c.cols() + " columns");
        }
        KernelChecks.requireDisjoint("spmm: C and B", c.segment(), b.segment());
        SpmmKernel kernel = provider.spmm();
        pool.forRange(a.rows(), 1, (from, to) -> kernel.spmm(a, b, rowScale, bias, c, from, to));
    }

    /**
     * {@code G[k x n] += A[m x k]^T * D[m x n]}; deterministic: bit-identical for every thread count (threads
     * split the columns of {@code G}, and each element sums its terms in row order of {@code A}).
     */
    public void spmmTransposeAccumulate(CsrMatrix a, DenseMatrix d, DenseMatrix g) {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(d, "d");
        Objects.requireNonNull(g, "g");
        KernelChecks.requireShape("spmmTranspose: D", d, a.rows(), g.cols());
        KernelChecks.requireShape("spmmTranspose: G", g, a.cols(), d.cols());
        KernelChecks.requireDisjoint("spmmTranspose: G and D", g.segment(), d.segment());
        SpmmTransposeKernel kernel = provider.spmmTranspose();
        // one column range per thread: every range walks all of A's entries, so more ranges only add that walk again
        pool.forEqualRanges(g.cols(), DenseMatrix.ROW_ALIGN_FLOATS,
                (from, to) -> kernel.spmmTransposeAccumulate(a, d, g, from, to));
    }

    /**
     * Multinomial negative log-likelihood of sparse targets under {@code softmax(logits)}, per row into
     * {@code rowLoss} (m doubles), and its gradient into {@code grad} ({@code grad == logits} for in place).
     * Returns the sum of the row losses (summed in row order).
     */
    public double multinomialLikelihood(DenseMatrix logits, CsrMatrix targets, DenseMatrix grad, double[] rowLoss) {
        Objects.requireNonNull(targets, "targets");
        KernelChecks.checkLikelihood(logits, grad, rowLoss);
        if (targets.rows() != logits.rows() || targets.cols() != logits.cols()) {
            throw new IllegalArgumentException("multinomialLikelihood: targets are " + targets.rows() + "x" + targets.cols()
                    + ", logits are " + logits.rows() + "x" + logits.cols());
        }
        LogSoftmaxKernel kernel = provider.logSoftmax();
        pool.forRange(logits.rows(), 1, (from, to) -> kernel.sparseTargets(logits, targets, grad, rowLoss, from, to));
        return sum(rowLoss, logits.rows());
    }

    /** As {@link #multinomialLikelihood(DenseMatrix, CsrMatrix, DenseMatrix, double[])} with dense target weights. */
    public double multinomialLikelihood(DenseMatrix logits, DenseMatrix targets, DenseMatrix grad, double[] rowLoss) {
        Objects.requireNonNull(targets, "targets");
        KernelChecks.checkLikelihood(logits, grad, rowLoss);
        KernelChecks.requireShape("multinomialLikelihood: targets", targets, logits.rows(), logits.cols());
        KernelChecks.requireDisjoint("multinomialLikelihood: grad and targets", grad.segment(), targets.segment());
        LogSoftmaxKernel kernel = provider.logSoftmax();
        pool.forRange(logits.rows(), 1, (from, to) -> kernel.denseTargets(logits, targets, grad, rowLoss, from, to));
        return sum(rowLoss, logits.rows());
    }

    /**
     * Writes the top {@code k} columns of each row of {@code scores}, skipping the row's columns in
     * {@code exclude} (may be null), to {@code out} (m*k ints, row-major); see {@link TopKKernel}.
     */
    public void topK(DenseMatrix scores, CsrMatrix exclude, int k, int[] out) {
        Objects.requireNonNull(scores, "scores");
        Objects.requireNonNull(out, "out");
        if (k < 1) {
            throw new IllegalArgumentException("topK: k must be >= 1, got " + k);
        }
        if (exclude != null && (exclude.rows() != scores.rows() || exclude.cols() != scores.cols())) {
            throw new IllegalArgumentException("topK: exclude is " + exclude.rows() + "x" + exclude.cols() + ", scores are "
                    + scores.rows() + "x" + scores.cols());
        }
        if (out.length < (long) scores.rows() * k) {
            throw new IllegalArgumentException("topK: out has " + out.length + " ints, needs rows*k = " + (long) scores.rows() * k);
        }
        TopKKernel kernel = provider.topK();
        pool.forRange(scores.rows(), 1, (from, to) -> kernel.topK(scores, exclude, k, out, from, to));
    }

    /** In place {@code x = tanh(x)} over the valid columns; rows are split across threads. */
    public void tanh(DenseMatrix x) {
        Objects.requireNonNull(x, "x");
        TanhKernel kernel = provider.tanh();
        pool.forRange(x.rows(), 1, (from, to) -> kernel.tanh(x, from, to));
    }

    /** In place {@code d *= 1 - y * y}, the tanh derivative through its output {@code y} (same shape, disjoint). */
    public void tanhBackward(DenseMatrix y, DenseMatrix d) {
        Objects.requireNonNull(y, "y");
        Objects.requireNonNull(d, "d");
        KernelChecks.requireShape("tanhBackward: y", y, d.rows(), d.cols());
        KernelChecks.requireDisjoint("tanhBackward: y and d", y.segment(), d.segment());
        ElementwiseKernel kernel = provider.elementwise();
        forRows(d, (from, to) -> kernel.tanhBackward(y, d, from, to));
    }

    /** In place {@code d[i, :] *= scale * rowScale[i]}; {@code rowScale} (at least {@code d.rows()} floats) may be null. */
    public void scaleRows(DenseMatrix d, float[] rowScale, float scale) {
        Objects.requireNonNull(d, "d");
        if (rowScale != null && rowScale.length < d.rows()) {
            throw new IllegalArgumentException("scaleRows: rowScale has " + rowScale.length + " floats, d has " + d.rows() + " rows");
        }
        ElementwiseKernel kernel = provider.elementwise();
        forRows(d, (from, to) -> kernel.scaleRows(d, rowScale, scale, from, to));
    }

    /**
     * {@code sums[0, j] = scale * sum_i d[i, j]} ({@code sums} is {@code 1 x n}), each sum in double in row order in
     * {@code scratch} (at least n doubles); threads split the columns, so the result is the same for every thread count.
     */
    public void columnSums(DenseMatrix d, float scale, DenseMatrix sums, double[] scratch) {
        Objects.requireNonNull(d, "d");
        Objects.requireNonNull(sums, "sums");
        Objects.requireNonNull(scratch, "scratch");
        KernelChecks.requireShape("columnSums: sums", sums, 1, d.cols());
        if (scratch.length < d.cols()) {
            throw new IllegalArgumentException("columnSums: scratch has " + scratch.length + " doubles, d has " + d.cols() + " columns");
        }
        ElementwiseKernel kernel = provider.elementwise();
        if (parallel(d)) {
            // whole columns per thread: every range walks all rows, so more ranges only add row starts
            pool.forEqualRanges(d.cols(), DenseMatrix.ROW_ALIGN_FLOATS, (from, to) -> kernel.columnSums(d, scale, sums, scratch, from, to));
        } else {
            kernel.columnSums(d, scale, sums, scratch, 0, d.cols());
        }
    }

    /** Copies the single row of {@code bias} ({@code 1 x n}, disjoint from {@code out}) into every row of {@code out}. */
    public void broadcastRow(DenseMatrix bias, DenseMatrix out) {
        Objects.requireNonNull(bias, "bias");
        Objects.requireNonNull(out, "out");
        KernelChecks.requireShape("broadcastRow: bias", bias, 1, out.cols());
        KernelChecks.requireDisjoint("broadcastRow: bias and out", bias.segment(), out.segment());
        ElementwiseKernel kernel = provider.elementwise();
        forRows(out, (from, to) -> kernel.broadcastRow(bias, out, from, to));
    }

    /**
     * The VAE reparameterisation (see {@link SamplingKernel#sample}): {@code z = mu + eps * exp(logvar / 2)} from
     * {@code muLogvar} ({@code m x 2k}: mu | logvar) and {@code noise} ({@code m x k}: eps) into {@code z}
     * ({@code m x k}, disjoint from both), and each row's KL to N(0, I) into {@code rowKl} (at least m doubles).
     */
    public void sample(DenseMatrix muLogvar, DenseMatrix noise, DenseMatrix z, double[] rowKl) {
        Objects.requireNonNull(muLogvar, "muLogvar");
        Objects.requireNonNull(rowKl, "rowKl");
        KernelChecks.requireLatent("sample", muLogvar, noise, z, "z");
        KernelChecks.requireDisjoint("sample: z and muLogvar", z.segment(), muLogvar.segment());
        KernelChecks.requireDisjoint("sample: z and noise", z.segment(), noise.segment());
        if (rowKl.length < z.rows()) {
            throw new IllegalArgumentException("sample: rowKl has " + rowKl.length + " entries, z has " + z.rows() + " rows");
        }
        SamplingKernel kernel = provider.sampling();
        forRows(muLogvar, (from, to) -> kernel.sample(muLogvar, noise, z, rowKl, from, to));
    }

    /**
     * The gradient of {@code loss + rowBeta[i] * KL_i} with respect to {@code muLogvar} into {@code dMuLogvar} (its shape,
     * disjoint from every input), given {@code dz} for {@link #sample}'s z; see {@link SamplingKernel#backward}.
     */
    public void sampleBackward(DenseMatrix muLogvar, DenseMatrix noise, DenseMatrix dz, float[] rowBeta, DenseMatrix dMuLogvar) {
        Objects.requireNonNull(muLogvar, "muLogvar");
        Objects.requireNonNull(rowBeta, "rowBeta");
        Objects.requireNonNull(dMuLogvar, "dMuLogvar");
        KernelChecks.requireLatent("sampleBackward", muLogvar, noise, dz, "dz");
        KernelChecks.requireShape("sampleBackward: dMuLogvar", dMuLogvar, muLogvar.rows(), muLogvar.cols());
        KernelChecks.requireDisjoint("sampleBackward: dMuLogvar and muLogvar", dMuLogvar.segment(), muLogvar.segment());
        KernelChecks.requireDisjoint("sampleBackward: dMuLogvar and noise", dMuLogvar.segment(), noise.segment());
        KernelChecks.requireDisjoint("sampleBackward: dMuLogvar and dz", dMuLogvar.segment(), dz.segment());
        if (rowBeta.length < dz.rows()) {
            throw new IllegalArgumentException("sampleBackward: rowBeta has " + rowBeta.length + " entries, dz has " + dz.rows()
                    + " rows");
        }
        SamplingKernel kernel = provider.sampling();
        forRows(muLogvar, (from, to) -> kernel.backward(muLogvar, noise, dz, rowBeta, dMuLogvar, from, to));
    }

    /** Smallest leading dimension of {@link #solveSpdBatch}'s systems that goes to the BLAS tier. */
    static final int NATIVE_SOLVE_MIN_ORDER = 1024;

    /** Below this many elements an element-wise step runs on the calling thread: a fork-join costs more than it saves. */
    private static final long ELEMENTWISE_PARALLEL_ELEMENTS = 1L << 15;

    private boolean parallel(DenseMatrix x) {
        return (long) x.rows() * x.cols() >= ELEMENTWISE_PARALLEL_ELEMENTS;
    }

    /** Runs an element-wise row task over the rows of {@code x}: split across threads when {@code x} is large enough. */
    private void forRows(DenseMatrix x, KernelThreads.RangeTask task) {
        if (parallel(x)) {
            pool.forRange(x.rows(), 1, task);
        } else {
            task.run(0, x.rows());
        }
    }

    /**
     * One in-place Adam step (see {@link AdamKernel}) on {@code param} with moments {@code m} and {@code v}, all of
     * {@code param}'s shape and pairwise disjoint; L2 weight decay {@code lambda * sum w^2} adds
     * {@code 2 * weightDecay * w} to the gradient. The scalars are rounded to float once; the result is the same
     * for every implementation and thread count.
     */
    public void adamUpdate(DenseMatrix param, DenseMatrix grad, DenseMatrix m, DenseMatrix v, double stepSize, double beta1,
                           double beta2, double epsilon, double weightDecay) {
        Objects.requireNonNull(param, "param");
        Objects.requireNonNull(grad, "grad");
        Objects.requireNonNull(m, "m");
        Objects.requireNonNull(v, "v");
        KernelChecks.requireShape("adamUpdate: grad", grad, param.rows(), param.cols());
        KernelChecks.requireShape("adamUpdate: m", m, param.rows(), param.cols());
        KernelChecks.requireShape("adamUpdate: v", v, param.rows(), param.cols());
        KernelChecks.requireDisjoint("adamUpdate: param and grad", param.segment(), grad.segment());
        KernelChecks.requireDisjoint("adamUpdate: param and m", param.segment(), m.segment());
        KernelChecks.requireDisjoint("adamUpdate: param and v", param.segment(), v.segment());
        KernelChecks.requireDisjoint("adamUpdate: grad and m", grad.segment(), m.segment());
        KernelChecks.requireDisjoint("adamUpdate: grad and v", grad.segment(), v.segment());
        KernelChecks.requireDisjoint("adamUpdate: m and v", m.segment(), v.segment());
        AdamKernel kernel = provider.adam();
        float lr = (float) stepSize;
        float b1 = (float) beta1;
        float b2 = (float) beta2;
        float eps = (float) epsilon;
        float decay = (float) (2 * weightDecay);
        // elementwise and memory-bound (4 streams): rows split across threads
        pool.forRange(param.rows(), 1, (from, to) -> kernel.update(param, grad, m, v, lr, b1, b2, eps, decay, from, to));
    }

    /** Below this many flops a product runs on the calling thread: a fork-join costs more than it saves. */
    private static final long GEMM_PARALLEL_FLOPS = 1L << 24;
    /** Smallest block edge worth a task of its own: packing a shared operand per task must stay cheap. */
    private static final int GEMM_MIN_PIECE = 256;
    /** Most tasks per thread: a few, so a thread slowed by a neighbour on a shared machine can be helped. */
    private static final int GEMM_PIECES_PER_THREAD = 4;

    /**
     * {@code C[m x n] = alpha * op(A) * op(B) + beta * C}, op = transpose when the flag is set ({@code op(A)} is
     * {@code m x k}, {@code op(B)} is {@code k x n}); {@code beta == 0} ignores C's old contents (NaN included).
     * On the Java tier threads take blocks of C along its longer side; each element's sum is computed the same way
     * in every block, so the result is the same for every thread count. OpenBLAS gets the whole product in one call.
     */
    public void gemm(boolean transA, boolean transB, float alpha, DenseMatrix a, DenseMatrix b, float beta, DenseMatrix c) {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        Objects.requireNonNull(c, "c");
        KernelChecks.requireGemmShapes("gemm", transA, transB, a.rows(), a.cols(), b.rows(), b.cols(), c);
        int m = c.rows();
        int n = c.cols();
        int k = transA ? a.rows() : a.cols();
        KernelChecks.requireDisjoint("gemm: C and A", c.segment(), a.segment());
        KernelChecks.requireDisjoint("gemm: C and B", c.segment(), b.segment());
        BlasProvider tier = blas();
        GemmKernel kernel = tier.gemm();
        int threads = pool.threads();
        if (tier.gemmIsNative() || threads == 1 || 2L * m * n * k < GEMM_PARALLEL_FLOPS) {
            kernel.gemm(transA, transB, alpha, a, b, beta, c, 0, m, 0, n);
            return;
        }
        // Split the longer side: each task packs all of the operand along the other side, so blocks stay wide.
        boolean byColumns = n >= m;
        int extent = byColumns ? n : m;
        int pieces = threads * Math.clamp(extent / ((long) threads * GEMM_MIN_PIECE), 1, GEMM_PIECES_PER_THREAD);
        int granule = byColumns ? DenseMatrix.ROW_ALIGN_FLOATS : 8; // whole vectors / whole register-tile rows
        int align = ((extent + pieces - 1) / pieces + granule - 1) / granule * granule;
        pool.forRange(extent, align, (from, to) -> {
            if (byColumns) {
                kernel.gemm(transA, transB, alpha, a, b, beta, c, 0, m, from, to);
            } else {
                kernel.gemm(transA, transB, alpha, a, b, beta, c, from, to, 0, n);
            }
        });
    }

    /**
     * Replaces the symmetric positive definite {@code A[n x n]} (double, row-major, leading dimension {@code lda};
     * only the upper triangle is read) by its inverse in place (LAPACK potrf + potri semantics); with
     * {@code fillLower} the upper triangle of the inverse is also copied to the lower one, otherwise the strict
     * lower triangle keeps the input. The result does not depend on the thread count.
     *
     * @throws IllegalArgumentException "matrix is not positive definite: pivot j is d" (0-based pivot of the
     *     Cholesky factorisation); A is then partly overwritten
     */
    public void invertSpd(MemorySegment a, int n, int lda, boolean fillLower) {
        invertSpd(a, n, lda, fillLower, done -> { });
    }

    /**
     * As {@link #invertSpd(MemorySegment, int, int, boolean)}, telling {@code progress} the fraction of the work
     * done after each step (Java: per pivot block; OpenBLAS: per factorisation block, then an estimate during potri).
     */
    public void invertSpd(MemorySegment a, int n, int lda, boolean fillLower, DoubleConsumer progress) {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(progress, "progress");
        BlasProvider tier = blas();
        KernelChecks.requireSquareDoubles("invertSpd", a, n, lda);
        KernelChecks.requireShared(pool, "invertSpd", a);
        if (tier.inverseIsNative() && !a.isNative()) {
            throw new IllegalArgumentException("invertSpd: the matrix is a heap segment; OpenBLAS needs a native "
                    + "(off-heap) segment, e.g. from Arena.allocate");
        }
        tier.choleskyInverse().invertUpper(a, n, lda, pool, progress);
        if (fillLower) {
            SymmetricFill.mirrorUpper(pool, a, n, lda, Double.BYTES);
        }
    }

    /**
     * The float32 version of {@link #invertSpd}: the square SPD {@code a} (upper triangle read) is replaced by its
     * inverse in place (spotrf + spotri), mirrored into the lower triangle when {@code fillLower}.
     *
     * @throws UnsupportedOperationException on the Java tier (see {@link #hasFloatInverse()})
     * @throws IllegalArgumentException      when A is not positive definite (the message names the failing pivot)
     */
    public void invertSpdFloat(DenseMatrix a, boolean fillLower) {
        invertSpdFloat(a, fillLower, done -> { });
    }

    /** As {@link #invertSpdFloat(DenseMatrix, boolean)}, telling {@code progress} the share of the work done. */
    public void invertSpdFloat(DenseMatrix a, boolean fillLower, DoubleConsumer progress) {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(progress, "progress");
        if (a.rows() != a.cols()) {
            throw new IllegalArgumentException("invertSpdFloat: matrix is " + a.rows() + "x" + a.cols() + ", expected square");
        }
        KernelChecks.requireShared(pool, "invertSpdFloat", a.segment());
        FloatCholeskyInverseKernel kernel = blas().floatCholeskyInverse().orElseThrow(() -> new UnsupportedOperationException(
                "a float32 SPD inverse needs OpenBLAS (-D" + BlasProvider.BLAS_PROPERTY + "=openblas); the "
                        + denseImplementationName() + " backend inverts in double only"));
        kernel.invertUpper(a, progress);
        if (fillLower) {
            SymmetricFill.mirrorUpper(pool, a.segment(), a.rows(), a.ld(), Float.BYTES);
        }
    }

    /**
     * Writes the upper triangle ({@code j >= i}) of the Gram matrix {@code G = X^T X} of the binary {@code m x n}
     * CSR matrix {@code X} into {@code G[n x n]} (double, row-major, leading dimension {@code ldg}): item-pair
     * co-occurrence counts, exact and the same for every thread count. The strict lower triangle is not touched.
     */
    public void gram(CsrMatrix x, MemorySegment g, int ldg) {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(g, "g");
        if (!x.isBinary()) {
            throw new IllegalArgumentException("gram: X must be binary (implicit feedback), got a weighted " + x);
        }
        KernelChecks.requireSquareDoubles("gram", g, x.cols(), ldg);
        KernelChecks.requireShared(pool, "gram", g);
        provider.gram().gramUpper(x, g, ldg, pool);
    }

    /** The Gram matrix {@code X^T X} of the binary CSR {@code x} kept sparse (see {@link CooccurrenceKernel}). */
    public SparseGram sparseGram(CsrMatrix x) {
        return sparseGram(x, Integer.MAX_VALUE);
    }

    /**
     * As {@link #sparseGram(CsrMatrix)} with each row capped at its {@code cap} most co-occurring items (see
     * {@link SparseGram}); a cap of n - 1 or more is the whole Gram matrix.
     */
    public SparseGram sparseGram(CsrMatrix x, int cap) {
        Objects.requireNonNull(x, "x");
        if (cap < 1) {
            throw new IllegalArgumentException("sparseGram: the cap must be >= 1, got " + cap);
        }
        if (!x.isBinary()) {
            throw new IllegalArgumentException("sparseGram: X must be binary (implicit feedback), got a weighted " + x);
        }
        return provider.cooccurrence().sparseGram(x, cap, pool);
    }

    /**
     * Per item j its {@code k >= 1} most co-occurring items N(j) (j excluded; higher count first, ties to the lower
     * item index; all of them when fewer; with {@code k >= n - 1} every other item, co-occurring or not): a binary
     * {@code n x n} CSR matrix, row j = N(j) sorted by item index.
     */
    public CsrMatrix neighbours(SparseGram gram, int k) {
        Objects.requireNonNull(gram, "gram");
        if (k < 1) {
            throw new IllegalArgumentException("neighbours: k must be >= 1, got " + k);
        }
        return NeighbourSelection.select(gram, k, pool);
    }

    /**
     * Solves {@code count} SPD systems {@code A_s x_s = b_s} in place (see {@link SpdSolveKernel}): with {@code lda} of
     * {@value #NATIVE_SOLVE_MIN_ORDER} or more on the BLAS tier (OpenBLAS dpotrf + dpotrs, one system at a time),
     * else on the Java kernels threaded over the systems: {@code A_s} ({@code orders[s]} square, leading dimension
     * {@code lda}) at double {@code s * lda * lda} of {@code a}, {@code b_s} at double {@code s * lda} of {@code b}.
     *
     * @throws IllegalArgumentException "system s is not positive definite: pivot p" for the first such system
     */
    public void solveSpdBatch(MemorySegment a, MemorySegment b, int[] orders, int count, int lda) {
        KernelChecks.checkSpdBatch(pool, a, b, orders, count, lda);
        // OpenBLAS threads each call itself, which pays off only for large systems: two threads on a small one
        // collapse when the other core is busy, so small systems stay on the Java kernels, threaded over systems
        BlasProvider tier = lda >= NATIVE_SOLVE_MIN_ORDER ? blas() : BlasProvider.java(provider, pool.threads());
        if (tier.isNative() && !(a.isNative() && b.isNative())) {
            throw new IllegalArgumentException("solveSpdBatch: OpenBLAS needs native (off-heap) segments");
        }
        SpdSolveBatch.run(tier.spdSolve(), tier.isNative(), a, b, orders, count, lda, pool);
    }

    /**
     * {@code C[m x n] = A[m x k] * B[k x n]} for CSR A and B into the dense C (overwritten; see
     * {@link CsrProductKernel}); rows are split across threads, the bits are the same for every tier and thread count.
     */
    public void csrProduct(CsrMatrix a, CsrMatrix b, DenseMatrix c) {
        KernelChecks.checkCsrProduct(a, b, c);
        CsrProductKernel kernel = provider.csrProduct();
        pool.forRange(a.rows(), 1, (from, to) -> kernel.multiply(a, b, c, from, to));
    }

    /**
     * {@code bytes} of zeroed off-heap memory (at least 64-byte aligned), freed when {@code arena} closes, with its
     * pages faulted in by the kernel threads (on Linux): for buffers of gigabytes, whose first touch costs seconds
     * on one thread.
     */
    public MemorySegment allocateTouched(Arena arena, long bytes) {
        Objects.requireNonNull(arena, "arena");
        if (bytes < 0) {
            throw new IllegalArgumentException("allocateTouched: negative size " + bytes);
        }
        return FreshMemory.allocate(arena, bytes, pool);
    }

    private static double sum(double[] values, int n) {
        double total = 0;
        for (int i = 0; i < n; i++) {
            total += values[i];
        }
        return total;
    }

    @Override
    public String toString() {
        return "Kernels[" + provider.name() + ", threads=" + pool.threads() + "]";
    }
}
