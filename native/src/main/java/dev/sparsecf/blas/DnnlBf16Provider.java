package dev.sparsecf.blas;

import dev.sparsecf.kernels.BlasProvider;

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
