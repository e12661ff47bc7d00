package dev.sparsecf.blas;

import dev.sparsecf.kernels.BlasProvider;

/**
 * GEMM on oneDNN's {@code dnnl_sgemm}, the SPD inverses and solves on OpenBLAS (oneDNN has no LAPACK); instantiated by
 * name by {@link BlasProvider} for {@code -Dsparsecf.blas=dnnl}, and offered to {@code auto}'s GEMM calibration.
 */
public final class DnnlProvider extends OneDnnProvider {

    /**
     * Loads oneDNN and OpenBLAS with {@code threads} threads, at most one per core; throws
     * {@link IllegalStateException} naming the cause and the fix.
     */
    public DnnlProvider(int threads) {
        this(loadDnnl(threads), new OpenBlasProvider(threads));
    }

    private DnnlProvider(Dnnl dnnl, OpenBlasProvider rest) {
        super(dnnl, new BlasGemm(dnnl::sgemm), rest);
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
    String gemmDescription() {
        return "on " + dnnl.describe();
    }

    @Override
    String buildVariant() {
        return "";
    }
}
