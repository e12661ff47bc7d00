package dev.sparsecf.blas;

import dev.sparsecf.kernels.BlasProvider;

/**
 * GEMM on oneDNN's {@code dnnl_sgemm}, the SPD inverses and solves on OpenBLAS (oneDNN has no LAPACK); instantiated by
 * name by {@link BlasProvider} for {@code -Dsparsecf.blas=dnnl}, and offered to {@code auto}'s GEMM calibration.
 */
public final class DnnlProvider extends BlasProvider {

    private final Dnnl dnnl;
    private final OpenBlasProvider rest;

    /**
     * Loads oneDNN and OpenBLAS with {@code threads} threads, at most one per core; throws
     * {@link IllegalStateException} naming the cause and the fix.
     */
    public DnnlProvider(int threads) {
        this(Dnnl.load(Math.min(threads, Runtime.getRuntime().availableProcessors())), new OpenBlasProvider(threads));
    }

    private DnnlProvider(Dnnl dnnl, OpenBlasProvider rest) {
        super(new BlasGemm(dnnl::sgemm), rest.choleskyInverse(), rest.floatCholeskyInverse().orElse(null), rest.spdSolve());
        this.dnnl = dnnl;
        this.rest = rest;
    }

    @Override
    public String name() {
        return "dnnl";
    }

    @Override
    public String label() {
        return "oneDNN";
    }

    @Override
    public String gemmLibrary() {
        return "dnnl";
    }

    @Override
    public String describe() {
        return "GEMM on " + dnnl.describe() + ", SPD inverse and solves on " + rest.describe();
    }

    @Override
    public String build() {
        return dnnl.version() + ", " + OpenBlasProvider.preset("dnnl");
    }

    @Override
    public boolean isNative() {
        return true;
    }
}
