package dev.sparsecf.blas;

import dev.sparsecf.kernels.Bf16GemmKernel;
import dev.sparsecf.kernels.Bf16Matrix;
import dev.sparsecf.kernels.BlasProvider;
import dev.sparsecf.kernels.DenseMatrix;
import java.util.Optional;

/**
 * GEMM in bf16 with float32 accumulation on oneDNN's matmul ({@link DnnlBf16Gemm}), the SPD inverses and solves on
 * OpenBLAS; instantiated by name by {@link BlasProvider#bf16Gemm} (the benchmarks' {@code dnnl-bf16}; not offered in
 * {@code train}: results/gemm-dnnl).
 */
public final class DnnlBf16Provider extends OneDnnProvider {

    private final DnnlBf16Gemm bf16;

    /**
     * Loads oneDNN and OpenBLAS with {@code threads} threads, at most one per core; throws
     * {@link IllegalStateException} naming the cause and the fix, also when the CPU has no bf16 arithmetic.
     */
    public DnnlBf16Provider(int threads) {
        this(loadDnnl(threads), new OpenBlasProvider(threads));
    }

    private DnnlBf16Provider(Dnnl dnnl, OpenBlasProvider rest) {
        this(dnnl, new DnnlBf16Gemm(dnnl), rest);
    }

    private DnnlBf16Provider(Dnnl dnnl, DnnlBf16Gemm bf16, OpenBlasProvider rest) {
        super(dnnl, new BlasGemm(bf16::gemm), rest);
        this.bf16 = bf16;
    }

    /** The matmul alone, on operands the caller rounded ({@link dev.sparsecf.kernels.Bf16Kernels}). */
    @Override
    public Optional<Bf16GemmKernel> bf16OperandGemm() {
        return Optional.of(new Bf16GemmKernel() {
            @Override
            public void gemm(boolean transA, boolean transB, float alpha, Bf16Matrix a, Bf16Matrix b, float beta, DenseMatrix c) {
                int m = transA ? a.cols() : a.rows();
                int k = transA ? a.rows() : a.cols();
                int n = transB ? b.rows() : b.cols();
                bf16.gemmRounded(transA, transB, m, n, k, alpha, a.segment(), a.ld(), b.segment(), b.ld(), beta, c.segment(),
                        c.ld());
            }

            @Override
            public String describe() {
                return gemmDescription();
            }
        });
    }

    @Override
    public String name() {
        return "dnnl-bf16";
    }

    @Override
    String gemmDescription() {
        return "in bf16 (float32 accumulation) on " + dnnl.describe() + ", matmul " + bf16.matmulImplementation();
    }

    @Override
    String buildVariant() {
        return " bf16";
    }
}
