package dev.sparsecf.blas;

import dev.sparsecf.kernels.BlasProvider;
import java.io.IOException;
import org.bytedeco.javacpp.Loader;

/**
 * The OpenBLAS tier of GEMM, the SPD inverses and the batched SPD solves, instantiated by name by {@link BlasProvider} when
 * {@code -Dsparsecf.blas} is {@code auto} or {@code openblas}; models reach it only through
 * {@link dev.sparsecf.kernels.Kernels}, never through {@code org.bytedeco}.
 */
public final class OpenBlasProvider extends BlasProvider {

    private final OpenBlas openBlas;

    /**
     * Loads OpenBLAS with {@code threads} threads, at most one per core (more only take turns on the cores and
     * spin); throws {@link IllegalStateException} naming the cause and the fix.
     */
    public OpenBlasProvider(int threads) {
        this(OpenBlas.load(Math.min(threads, Runtime.getRuntime().availableProcessors())));
    }

    private OpenBlasProvider(OpenBlas openBlas) {
        BlasCholeskyInverse inverse = new BlasCholeskyInverse(openBlas);
        super(new BlasGemm(openBlas::sgemm), inverse, inverse, new BlasSpdSolve(openBlas));
        this.openBlas = openBlas;
    }

    @Override
    public String name() {
        return "openblas";
    }

    @Override
    public String label() {
        return "OpenBLAS";
    }

    @Override
    public String describe() {
        return openBlas.describe();
    }

    @Override
    public String build() {
        return openBlas.config() + ", " + preset("openblas");
    }

    /** "JavaCPP openblas 0.3.31-1.5.13": a bytedeco preset's version, for the calibration cache's key. */
    static String preset(String artifact) {
        String version;
        try {
            version = Loader.getVersion("org.bytedeco", artifact);
        } catch (IOException e) {
            version = "version unknown (" + e.getMessage() + ")";
        }
        return "JavaCPP " + artifact + " " + version;
    }

    @Override
    public boolean isNative() {
        return true;
    }
}
