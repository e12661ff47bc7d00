package dev.sparsecf.kernels;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Locale;

/**
 * One tier of kernel implementations ({@code scalar} or {@code panama}), chosen once by
 * {@code -Dsparsecf.kernels=auto|scalar|panama}.
 *
 * <p>The Panama tier lives in {@code dev.sparsecf.kernels.panama} and is instantiated by name only after
 * {@code jdk.incubator.vector} was found in the boot layer, so no class touching the Vector API is loaded
 * on a JVM started without {@code --add-modules jdk.incubator.vector}.
 */
public abstract class KernelProvider {

    /** System property selecting the implementation: {@code auto} (default), {@code scalar} or {@code panama}. */
    public static final String IMPL_PROPERTY = "sparsecf.kernels";

    /** The fix printed whenever the Vector API module is missing. */
    public static final String VECTOR_MODULE_FIX = "start the JVM with --add-modules jdk.incubator.vector";

    private static final String PANAMA_PROVIDER = "dev.sparsecf.kernels.panama.PanamaKernelProvider";

    /** The implementation id: {@code scalar} or {@code panama} (the flag's values). */
    public abstract String name();

    /** Float vector width used by the kernels in bits; 32 for the scalar tier. */
    public abstract int vectorBitSize();

    /** A one-line description for the start-up log. */
    public abstract String describe();

    private final SpmmKernel spmm;
    private final SpmmTransposeKernel spmmTranspose;
    private final LogSoftmaxKernel logSoftmax;
    private final TopKKernel topK;
    private final GemmKernel gemm;
    private final CholeskyInverseKernel choleskyInverse;
    private final GramKernel gram;
    private final TanhKernel tanh;
    private final AdamKernel adam;
    private final ElementwiseKernel elementwise;
    private final SamplingKernel sampling;
    private final CooccurrenceKernel cooccurrence;
    private final SpdSolveKernel spdSolve;
    private final CsrProductKernel csrProduct;
    private final Bf16Kernel bf16;

    /** A tier made of these kernels. */
    protected KernelProvider(SpmmKernel spmm, SpmmTransposeKernel spmmTranspose, LogSoftmaxKernel logSoftmax, TopKKernel topK,
                             GemmKernel gemm, CholeskyInverseKernel choleskyInverse, GramKernel gram, TanhKernel tanh,
                             AdamKernel adam, ElementwiseKernel elementwise, SamplingKernel sampling,
                             CooccurrenceKernel cooccurrence, SpdSolveKernel spdSolve, CsrProductKernel csrProduct,
                             Bf16Kernel bf16) {
        this.spmm = spmm;
        this.spmmTranspose = spmmTranspose;
        this.logSoftmax = logSoftmax;
        this.topK = topK;
        this.gemm = gemm;
        this.choleskyInverse = choleskyInverse;
        this.gram = gram;
        this.tanh = tanh;
        this.adam = adam;
        this.elementwise = elementwise;
        this.sampling = sampling;
        this.cooccurrence = cooccurrence;
        this.spdSolve = spdSolve;
        this.csrProduct = csrProduct;
        this.bf16 = bf16;
    }

    public final SpmmKernel spmm() {
        return spmm;
    }

    public final SpmmTransposeKernel spmmTranspose() {
        return spmmTranspose;
    }

    public final LogSoftmaxKernel logSoftmax() {
        return logSoftmax;
    }

    public final TopKKernel topK() {
        return topK;
    }

    public final GemmKernel gemm() {
        return gemm;
    }

    public final CholeskyInverseKernel choleskyInverse() {
        return choleskyInverse;
    }

    public final GramKernel gram() {
        return gram;
    }

    public final TanhKernel tanh() {
        return tanh;
    }

    public final AdamKernel adam() {
        return adam;
    }

    public final ElementwiseKernel elementwise() {
        return elementwise;
    }

    public final SamplingKernel sampling() {
        return sampling;
    }

    public final CooccurrenceKernel cooccurrence() {
        return cooccurrence;
    }

    public final SpdSolveKernel spdSolve() {
        return spdSolve;
    }

    /** The float32 to bf16 rounding of {@link Bf16Kernels}. */
    public final Bf16Kernel bf16() {
        return bf16;
    }

    public final CsrProductKernel csrProduct() {
        return csrProduct;
    }

    /** The scalar tier (always available). */
    public static KernelProvider scalar() {
        return ScalarKernelProvider.INSTANCE;
    }

    /** Whether the JVM resolved {@code jdk.incubator.vector} at start-up. */
    public static boolean vectorModulePresent() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    /**
     * Resolves a flag value to a provider. {@code auto} falls back to scalar (with a warning through
     * {@code onFallback}) when Panama cannot load; a forced {@code panama} that cannot load throws
     * {@link IllegalStateException}; any other value throws {@link IllegalArgumentException}.
     */
    public static KernelProvider forName(String value, java.util.function.Consumer<String> onFallback) {
        return forName(value, onFallback, vectorModulePresent());
    }

    /** {@link #forName(String, java.util.function.Consumer)} with the module check given (tests simulate its absence). */
    static KernelProvider forName(String value, java.util.function.Consumer<String> onFallback, boolean vectorModulePresent) {
        String v = value == null ? "auto" : value.trim().toLowerCase(Locale.ROOT);
        switch (v) {
            case "scalar":
                return scalar();
            case "panama":
                return loadPanama(vectorModulePresent);
            case "auto":
            case "":
                try {
                    return loadPanama(vectorModulePresent);
                } catch (IllegalStateException e) {
                    onFallback.accept("sparsecf kernels fall back to the slow scalar implementation: " + e.getMessage());
                    return scalar();
                }
            default:
                throw new IllegalArgumentException("unknown kernel implementation '" + value + "' for -D" + IMPL_PROPERTY
                        + "; expected auto, scalar or panama");
        }
    }

    /** Loads the Panama tier, or throws {@link IllegalStateException} saying why it cannot run here. */
    static KernelProvider loadPanama(boolean vectorModulePresent) {
        if (!vectorModulePresent) {
            throw new IllegalStateException("the Vector API module jdk.incubator.vector is not loaded; " + VECTOR_MODULE_FIX);
        }
        try {
            Class<?> cls = MethodHandles.lookup().findClass(PANAMA_PROVIDER);
            return (KernelProvider) MethodHandles.lookup()
                    .findConstructor(cls, MethodType.methodType(void.class))
                    .invoke();
        } catch (UnsupportedOperationException e) {
            throw new IllegalStateException("the Panama kernels cannot run on this JVM/CPU: " + e.getMessage(), e);
        } catch (ReflectiveOperationException e) {
            throw new LinkageError("the Panama kernel classes are missing from the build: " + e, e);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("the Panama kernels failed to initialise: " + t, t);
        }
    }

    @Override
    public String toString() {
        return name();
    }
}
