package dev.sparsecf.blas;

import dev.sparsecf.kernels.BlasProvider;

/**
 * GEMM on Intel MKL's {@code cblas_sgemm} and the SPD inverses (double and float32) as MKL's blocked sweep
 * ({@link MklSweepInverse}), the batched SPD solves on OpenBLAS; instantiated by name by {@link BlasProvider} for
 * {@code -Dsparsecf.blas=mkl} and offered to {@code auto}, only in a build with {@code -Pmkl}.
 */
public final class MklProvider extends BlasProvider {

    private final Mkl mkl;
    private final OpenBlasProvider rest;

    /**
     * Loads MKL and OpenBLAS with {@code threads} threads, at most one per core; throws {@link IllegalStateException}
     * saying to build with {@code -Pmkl} when MKL is not in this build, or naming the cause.
     */
    public MklProvider(int threads) {
        this(Mkl.load(Math.min(threads, Runtime.getRuntime().availableProcessors())), new OpenBlasProvider(threads));
    }

    private MklProvider(Mkl mkl, OpenBlasProvider rest) {
        MklSweepInverse inverse = new MklSweepInverse(mkl);
        super(new BlasGemm(mkl::sgemm), inverse, inverse, rest.spdSolve());
        this.mkl = mkl;
        this.rest = rest;
    }

    @Override
    public String name() {
        return "mkl";
    }

    @Override
    public String label() {
        return "MKL";
    }

    @Override
    public String gemmLibrary() {
        return "mkl";
    }

    @Override
    public String inverseLibrary() {
        return "mkl";
    }

    @Override
    public String describe() {
        return "GEMM and SPD inverse (blocked sweep) on " + mkl.describe() + ", SPD solves on " + rest.describe();
    }

    @Override
    public String build() {
        return mkl.version() + ", " + OpenBlasProvider.preset("openblas");
    }

    @Override
    public boolean isNative() {
        return true;
    }
}
