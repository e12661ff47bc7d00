package dev.sparsecf.kernels;

import java.util.Objects;

/**
 * The checking facade of the mixed-precision products: float32 to bf16 rounding on the kernel threads
 * ({@link Bf16Kernel} of the Java tier) and the GEMM of bf16 operands with float32 accumulation
 * ({@link Bf16GemmKernel}, oneDNN's matmul). Validates once, then calls kernels that trust their input, like
 * {@link Kernels}; a caller rounds an operand once and reuses it in several products.
 */
public final class Bf16Kernels {

    private static final System.Logger LOG = System.getLogger("dev.sparsecf.kernels");

    /** Below this many elements a rounding runs on the calling thread: a fork-join costs more than it saves. */
    private static final long PARALLEL_ELEMENTS = 1L << 15;

    private final Bf16Kernel round;
    private final Bf16GemmKernel gemm;
    private final KernelThreads pool;

    private Bf16Kernels(Bf16Kernel round, Bf16GemmKernel gemm, KernelThreads pool) {
        this.round = Objects.requireNonNull(round, "round");
        this.gemm = Objects.requireNonNull(gemm, "gemm");
        this.pool = pool;
    }

    /**
     * The bf16 products beside {@code kernels} (their rounding kernel and threads; the GEMM on oneDNN with as many
     * threads), logged in one INFO line; throws {@link IllegalStateException} naming the cause and the fix when oneDNN
     * or the CPU's bf16 arithmetic is missing.
     */
    public static Bf16Kernels load(Kernels kernels) {
        BlasProvider tier = BlasProvider.bf16Gemm(kernels.threads());
        Bf16GemmKernel gemm = tier.bf16OperandGemm().orElseThrow(() -> new IllegalStateException(
                tier.name() + " has no GEMM of bf16 operands; use a float32 GEMM"));
        Bf16Kernels b = of(kernels, gemm);
        LOG.log(System.Logger.Level.INFO, "sparsecf bf16 products: rounding on " + kernels.implementationName()
                + " kernels, GEMM " + gemm.describe());
        return b;
    }

    /**
     * The rounding of {@code kernels} alone: {@link #gemm} throws. For benchmarks and tests of the rounding, which need
     * neither oneDNN nor a CPU with bf16 arithmetic.
     */
    public static Bf16Kernels roundingOnly(Kernels kernels) {
        return of(kernels, NO_GEMM);
    }

    private static final Bf16GemmKernel NO_GEMM = new Bf16GemmKernel() {
        @Override
        public void gemm(boolean transA, boolean transB, float alpha, Bf16Matrix a, Bf16Matrix b, float beta, DenseMatrix c) {
            throw new IllegalStateException("these bf16 kernels round only (Bf16Kernels.roundingOnly); no GEMM");
        }

        @Override
        public String describe() {
            return "none (rounding only)";
        }
    };

    /** The rounding of {@code kernels} on their threads with an explicit GEMM (tests inject a Java one). */
    public static Bf16Kernels of(Kernels kernels, Bf16GemmKernel gemm) {
        return new Bf16Kernels(kernels.provider().bf16(), gemm, kernels.pool());
    }

    /** What runs the products, for logs and results. */
    public String describe() {
        return gemm.describe();
    }

    /** {@code dst = bf16(src)} element by element (see {@link Bf16Kernel}); same shape; rows split across threads. */
    public void round(DenseMatrix src, Bf16Matrix dst) {
        Objects.requireNonNull(src, "src");
        Objects.requireNonNull(dst, "dst");
        if (dst.rows() != src.rows() || dst.cols() != src.cols()) {
            throw new IllegalArgumentException("bf16 round: dst is " + dst.rows() + "x" + dst.cols() + ", src is "
                    + src.rows() + "x" + src.cols());
        }
        KernelChecks.requireDisjoint("bf16 round: src and dst", src.segment(), dst.segment());
        if ((long) src.rows() * src.cols() >= PARALLEL_ELEMENTS) {
            KernelChecks.requireShared(pool, "bf16 round: src", src.segment());
            KernelChecks.requireShared(pool, "bf16 round: dst", dst.segment());
            pool.forRange(src.rows(), 1, (from, to) -> round.round(src, dst, from, to));
        } else {
            round.round(src, dst, 0, src.rows());
        }
    }

    /**
     * {@code C[m x n] = alpha * op(A) * op(B) + beta * C} with bf16 A and B ({@code op(A)} is {@code m x k},
     * {@code op(B)} {@code k x n}) and float32 accumulation; {@code beta == 0} ignores C's old contents (NaN included).
     */
    public void gemm(boolean transA, boolean transB, float alpha, Bf16Matrix a, Bf16Matrix b, float beta, DenseMatrix c) {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        Objects.requireNonNull(c, "c");
        KernelChecks.requireGemmShapes("bf16 gemm", transA, transB, a.rows(), a.cols(), b.rows(), b.cols(), c);
        KernelChecks.requireDisjoint("bf16 gemm: C and A", c.segment(), a.segment());
        KernelChecks.requireDisjoint("bf16 gemm: C and B", c.segment(), b.segment());
        gemm.gemm(transA, transB, alpha, a, b, beta, c);
    }
}
