package dev.sparsecf.blas;

import dev.sparsecf.kernels.BlasProvider;

/**
 * GEMM in bf16 with float32 accumulation on oneDNN's matmul ({@link DnnlBf16Gemm}), the SPD inverses and solves on
 * OpenBLAS; instantiated by name by {@link BlasProvider#bf16Gemm} (the benchmarks' {@code dnnl-bf16}; not offered in
 * {@code train}: results/gemm-dnnl).
 */
public final class DnnlBf16Provider extends BlasProvider {

    private final Dnnl dnnl;
    private final DnnlBf16Gemm bf16;
    private final OpenBlasProvider rest;

    /**
     * Loads oneDNN and OpenBLAS with {@code threads} threads, at most one per core; throws
     * {@link IllegalStateException} naming the cause and the fix, also when the CPU has no bf16 arithmetic.
     */
    public DnnlBf16Provider(int threads) {
        this(Dnnl.load(Math.min(threads, Runtime.getRuntime().availableProcessors())), new OpenBlasProvider(threads));
    }

    private DnnlBf16Provider(Dnnl dnnl, OpenBlasProvider rest) {
        this(dnnl, new DnnlBf16Gemm(dnnl), rest);
    }

    private DnnlBf16Provider(Dnnl dnnl, DnnlBf16Gemm bf16, OpenBlasProvider rest) {
        super(new BlasGemm(bf16::gemm), rest.choleskyInverse(), rest.floatCholeskyInverse().orElse(null), rest.spdSolve());
        this.dnnl = dnnl;
        this.bf16 = bf16;
        this.rest = rest;
    }

    @Override
    public String name() {
        return "dnnl-bf16";
    }

    @Override
    public String gemmLibrary() {
        return "dnnl-bf16";
    }

    @Override
    public String describe() {
        return "GEMM in bf16 (float32 accumulation) on " + dnnl.describe() + ", matmul " + bf16.matmulImplementation()
                + ", SPD inverse and solves on " + rest.describe();
    }

    @Override
    public String build() {
        return dnnl.version() + " bf16, " + OpenBlasProvider.preset("dnnl");
    }

    @Override
    public boolean isNative() {
        return true;
    }
}
