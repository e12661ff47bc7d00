package dev.sparsecf.blas;

import dev.sparsecf.kernels.BlasProvider;
import dev.sparsecf.kernels.GemmKernel;

/**
 * The shape of the oneDNN tiers: GEMM on oneDNN, the SPD inverses and solves on OpenBLAS (oneDNN has no LAPACK);
 * the subclasses say which GEMM and how to name it.
 */
abstract sealed class OneDnnProvider extends BlasProvider permits DnnlProvider, DnnlBf16Provider {

    final Dnnl dnnl;
    final OpenBlasProvider rest;

    OneDnnProvider(Dnnl dnnl, GemmKernel gemm, OpenBlasProvider rest) {
        super(gemm, rest.choleskyInverse(), rest.floatCholeskyInverse().orElse(null), rest.spdSolve());
        this.dnnl = dnnl;
        this.rest = rest;
    }

    /**
     * Loads oneDNN with {@code threads} threads, at most one per core; throws {@link IllegalStateException} naming the
     * cause and the fix.
     */
    static Dnnl loadDnnl(int threads) {
        return Dnnl.load(Math.min(threads, Runtime.getRuntime().availableProcessors()));
    }

    /** How GEMM runs, e.g. {@code on oneDNN v3.x (...)}: the start of {@link #describe()}. */
    abstract String gemmDescription();

    /** What the library's version is followed by in {@link #build()} (the GEMM variant), or empty. */
    abstract String buildVariant();

    @Override
    public final String gemmLibrary() {
        return name();
    }

    @Override
    public final String describe() {
        return "GEMM " + gemmDescription() + ", SPD inverse and solves on " + rest.describe();
    }

    @Override
    public final String build() {
        return dnnl.version() + buildVariant() + ", " + OpenBlasProvider.preset("dnnl");
    }

    @Override
    public final boolean isNative() {
        return true;
    }
}
