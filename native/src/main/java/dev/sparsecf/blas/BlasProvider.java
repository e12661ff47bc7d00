package dev.sparsecf.blas;

import dev.sparsecf.kernels.KernelThreads;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * The dense-algebra backend chosen once by {@code -Dsparsecf.blas=auto|openblas|java}.
 *
 * <p>{@code auto} (default) uses OpenBLAS where it loads and otherwise falls back to the pure-Java kernels
 * with a WARNING naming the cause and the fix; a forced {@code openblas} that cannot load fails at start-up;
 * {@code java} never touches native code. The Java kernels themselves live in the kernels module; this class
 * only records that they were chosen ({@link Impl#JAVA}).
 */
public final class BlasProvider {

    /** System property selecting the backend: {@code auto} (default), {@code openblas} or {@code java}. */
    public static final String BLAS_PROPERTY = "sparsecf.blas";

    private static final System.Logger LOG = System.getLogger("dev.sparsecf.blas");

    /** The backend actually in use. */
    public enum Impl {
        /** OpenBLAS through JavaCPP ({@link OpenBlas}). */
        OPENBLAS("openblas"),
        /** The pure-Java (scalar / Panama) dense kernels of the kernels module. */
        JAVA("java");

        private final String id;

        Impl(String id) {
            this.id = id;
        }

        /** The flag value naming this backend. */
        public String id() {
            return id;
        }
    }

    private final Impl impl;
    private final OpenBlas openBlas; // null unless impl == OPENBLAS
    private final int threads;

    private BlasProvider(Impl impl, OpenBlas openBlas, int threads) {
        this.impl = impl;
        this.openBlas = openBlas;
        this.threads = threads;
    }

    /** Holder idiom: the process-wide backend is resolved (and OpenBLAS loaded) on first use only. */
    private static final class Holder {
        static final BlasProvider DEFAULT = createDefault();
    }

    /** The process-wide backend from {@code -Dsparsecf.blas} and {@code -Dsparsecf.threads}; logs one INFO line. */
    public static BlasProvider get() {
        return Holder.DEFAULT;
    }

    private static BlasProvider createDefault() {
        BlasProvider p = forName(System.getProperty(BLAS_PROPERTY), KernelThreads.configuredThreads(),
                msg -> LOG.log(System.Logger.Level.WARNING, msg));
        LOG.log(System.Logger.Level.INFO, p.startupLine());
        return p;
    }

    /**
     * Resolves a flag value ({@code null} means {@code auto}) with OpenBLAS set to {@code threads} threads;
     * a forced {@code openblas} that cannot load throws {@link IllegalStateException}, an unknown value
     * {@link IllegalArgumentException}, and {@code auto} reports its fallback through {@code onFallback}.
     */
    public static BlasProvider forName(String value, int threads, Consumer<String> onFallback) {
        return forName(value, threads, onFallback, OpenBlas::load);
    }

    /** As {@link #forName(String, int, Consumer)} with an injectable loader (tests simulate a failed load). */
    static BlasProvider forName(String value, int threads, Consumer<String> onFallback, IntFunction<OpenBlas> loader) {
        Objects.requireNonNull(onFallback, "onFallback");
        if (threads < 1) {
            throw new IllegalArgumentException("BLAS thread count must be >= 1, got " + threads);
        }
        String v = value == null ? "auto" : value.trim().toLowerCase(Locale.ROOT);
        switch (v) {
            case "java":
                return new BlasProvider(Impl.JAVA, null, threads);
            case "openblas":
                return new BlasProvider(Impl.OPENBLAS, loadOrThrow(loader, threads), threads);
            case "auto":
            case "":
                try {
                    return new BlasProvider(Impl.OPENBLAS, loadOrThrow(loader, threads), threads);
                } catch (IllegalStateException e) {
                    onFallback.accept("sparsecf BLAS falls back to the pure-Java dense kernels (much slower for GEMM and the "
                            + "EASE inverse): " + e.getMessage() + ". Fix the class path or native access as described, or "
                            + "pass -D" + BLAS_PROPERTY + "=java to choose the Java kernels explicitly.");
                    return new BlasProvider(Impl.JAVA, null, threads);
                }
            default:
                throw new IllegalArgumentException("unknown BLAS backend '" + value + "' for -D" + BLAS_PROPERTY
                        + "; expected auto, openblas or java");
        }
    }

    /** Runs the loader and turns every way native loading can fail into one {@link IllegalStateException}. */
    private static OpenBlas loadOrThrow(IntFunction<OpenBlas> loader, int threads) {
        try {
            return loader.apply(threads);
        } catch (IllegalStateException e) {
            throw e;
        } catch (RuntimeException | LinkageError e) {
            // e.g. NoClassDefFoundError when the JavaCPP jars are missing, IllegalCallerException without native access
            throw new IllegalStateException("OpenBLAS could not be loaded (" + e + ")", e);
        }
    }

    /** The backend in use. */
    public Impl impl() {
        return impl;
    }

    /** The backend id, {@code openblas} or {@code java}, for tests and benchmark set-up to print or assert. */
    public String implementationName() {
        return impl.id();
    }

    /** OpenBLAS when it is the backend in use; empty for {@code java}. */
    public Optional<OpenBlas> openBlas() {
        return Optional.ofNullable(openBlas);
    }

    /** The start-up line: backend, BLAS vendor and build, threads (read back from OpenBLAS) and the flags. */
    public String startupLine() {
        String what = impl == Impl.OPENBLAS
                ? "openblas: " + openBlas.describe()
                : "java: pure-Java dense kernels, " + threads + " thread" + (threads == 1 ? "" : "s");
        return "sparsecf BLAS: " + what + " (-D" + BLAS_PROPERTY + ", -D" + KernelThreads.THREADS_PROPERTY + ")";
    }

    @Override
    public String toString() {
        return "BlasProvider[" + impl.id() + "]";
    }
}
