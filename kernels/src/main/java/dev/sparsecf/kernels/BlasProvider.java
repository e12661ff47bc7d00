package dev.sparsecf.kernels;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * The tier that runs GEMM, the SPD inverse and the SPD solves, chosen once by
 * {@code -Dsparsecf.blas=auto|openblas|dnnl|mkl|java}.
 *
 * <p>{@code auto} (default) chooses per operation (GEMM, SPD inverse) the faster of OpenBLAS and the Java kernels of
 * the {@link KernelProvider} tier on this machine, and also the optional native tiers that load: oneDNN for GEMM,
 * Intel MKL (only in a build with {@code -Pmkl}) for GEMM and the inverse ({@link AutoBlas}: a short calibration
 * cached per machine, or a rule with {@code -Dsparsecf.calibrate=false}, which leaves the optional tiers out); it
 * uses OpenBLAS alone with the scalar tier, and falls back with a WARNING naming the cause and the fix when OpenBLAS
 * (to the Java kernels) or oneDNN (to the others) cannot load; a tier that is not in the build is left out silently.
 * {@code dnnl} runs GEMM on oneDNN and the rest on OpenBLAS; {@code mkl} GEMM and the inverses on MKL, the solves on
 * OpenBLAS. A forced native tier that cannot load fails at start-up; {@code java} never touches native code. The
 * native tiers live in the native module and are instantiated by name (like the Panama tier), so this module does
 * not depend on them.
 */
public abstract class BlasProvider {

    /** System property selecting the tier: {@code auto} (default), {@code openblas}, {@code dnnl}, {@code mkl} or {@code java}. */
    public static final String BLAS_PROPERTY = "sparsecf.blas";

    private static final String OPENBLAS_PROVIDER = "dev.sparsecf.blas.OpenBlasProvider";
    private static final String DNNL_PROVIDER = "dev.sparsecf.blas.DnnlProvider";
    private static final String DNNL_BF16_PROVIDER = "dev.sparsecf.blas.DnnlBf16Provider";
    private static final String MKL_PROVIDER = "dev.sparsecf.blas.MklProvider";

    /**
     * An optional native tier beside OpenBLAS: its flag value, the library's name for messages, and its loader, which
     * throws {@link NotInBuildException} when the build does not contain it.
     */
    record OptionalTier(String name, String library, IntFunction<BlasProvider> loader) {
    }

    /** Thrown by a tier's loader when this build does not contain the library (e.g. MKL without {@code -Pmkl}). */
    public static final class NotInBuildException extends IllegalStateException {
        public NotInBuildException(String message) {
            super(message);
        }
    }

    /** The flag values of the optional tiers, in the order that breaks ties among them. */
    static final List<String> OPTIONAL_TIERS = List.of("dnnl", "mkl");

    private final GemmKernel gemm;
    private final CholeskyInverseKernel choleskyInverse;
    private final FloatCholeskyInverseKernel floatCholeskyInverse; // null when the tier inverts in double only
    private final SpdSolveKernel spdSolve;

    /** A tier made of these kernels; {@code floatCholeskyInverse} may be null. */
    protected BlasProvider(GemmKernel gemm, CholeskyInverseKernel choleskyInverse,
                           FloatCholeskyInverseKernel floatCholeskyInverse, SpdSolveKernel spdSolve) {
        this.gemm = Objects.requireNonNull(gemm, "gemm");
        this.choleskyInverse = Objects.requireNonNull(choleskyInverse, "choleskyInverse");
        this.floatCholeskyInverse = floatCholeskyInverse;
        this.spdSolve = Objects.requireNonNull(spdSolve, "spdSolve");
    }

    /** The tier id: {@code openblas}, {@code dnnl}, {@code mkl} or {@code java} (the flag's values). */
    public abstract String name();

    /** The tier's name for people: {@code OpenBLAS}, {@code oneDNN}, {@code MKL}, {@code Panama}. */
    public String label() {
        return name();
    }

    /** A one-line description for the start-up log (vendor, build and threads for OpenBLAS). */
    public abstract String describe();

    /**
     * Whether the kernels are native code: operands must be off-heap, and one call covers a whole product on the
     * library's own threads instead of one call per block on {@link KernelThreads}.
     */
    public abstract boolean isNative();

    /** Whether GEMM runs in native code (one call per product, on the library's threads). */
    public boolean gemmIsNative() {
        return isNative();
    }

    /** The library running GEMM when {@link #gemmIsNative}: {@code openblas}, {@code dnnl} or {@code mkl}. */
    public String gemmLibrary() {
        return isNative() ? "openblas" : "java";
    }

    /** Whether the SPD inverse runs in native code (its operand must be off-heap). */
    public boolean inverseIsNative() {
        return isNative();
    }

    /** The library running the SPD inverses when {@link #inverseIsNative}: {@code openblas} or {@code mkl}. */
    public String inverseLibrary() {
        return isNative() ? "openblas" : "java";
    }

    /** The library and build, for the calibration cache's key (OpenBLAS: version, kernels and JavaCPP version). */
    public String build() {
        return name();
    }

    public final GemmKernel gemm() {
        return gemm;
    }

    public final CholeskyInverseKernel choleskyInverse() {
        return choleskyInverse;
    }

    /** The SPD solve of {@link Kernels#solveSpdBatch}. */
    public final SpdSolveKernel spdSolve() {
        return spdSolve;
    }

    /** The GEMM of operands already in bf16 ({@link Bf16Kernels}); empty except on oneDNN's bf16 tier. */
    public Optional<Bf16GemmKernel> bf16OperandGemm() {
        return Optional.empty();
    }

    /** The float32 SPD inverse; empty when the tier inverts in double only (the Java kernels). */
    public final Optional<FloatCholeskyInverseKernel> floatCholeskyInverse() {
        return Optional.ofNullable(floatCholeskyInverse);
    }

    /** The start-up line: tier, BLAS vendor and build, threads and the flags. */
    public final String startupLine() {
        return "sparsecf BLAS: " + name() + ": " + describe() + " (-D" + BLAS_PROPERTY + ", -D"
                + KernelThreads.THREADS_PROPERTY + ")";
    }

    /** The Java tier: the GEMM and SPD inverse of {@code kernels} (scalar or Panama). */
    public static BlasProvider java(KernelProvider kernels, int threads) {
        requireThreads(threads);
        return new JavaBlas(kernels, threads);
    }

    /**
     * Resolves a flag value ({@code null} means {@code auto}) with OpenBLAS set to {@code threads} threads and
     * {@code kernels} as the Java tier; a forced {@code openblas} that cannot load throws
     * {@link IllegalStateException}, an unknown value {@link IllegalArgumentException}, and {@code auto} reports its
     * fallback through {@code onFallback}.
     */
    public static BlasProvider forName(String value, int threads, KernelProvider kernels, Consumer<String> onFallback) {
        return forName(value, threads, kernels, onFallback, t -> loadNative(OPENBLAS_PROVIDER, "OpenBLAS", t),
                List.of(new OptionalTier("dnnl", "oneDNN", t -> loadNative(DNNL_PROVIDER, "oneDNN", t)),
                        new OptionalTier("mkl", "Intel MKL", t -> loadNative(MKL_PROVIDER, "Intel MKL", t))),
                AutoBlas.Settings.fromSystem());
    }

    /** As {@link #forName(String, int, KernelProvider, Consumer)} with an injectable loader (tests simulate a failed load). */
    static BlasProvider forName(String value, int threads, KernelProvider kernels, Consumer<String> onFallback,
                                IntFunction<BlasProvider> loader) {
        return forName(value, threads, kernels, onFallback, loader, List.of(), AutoBlas.Settings.fromSystem());
    }

    /** As above with the loader and {@code auto}'s calibration settings injected, and no optional tier. */
    static BlasProvider forName(String value, int threads, KernelProvider kernels, Consumer<String> onFallback,
                                IntFunction<BlasProvider> loader, AutoBlas.Settings auto) {
        return forName(value, threads, kernels, onFallback, loader, List.of(), auto);
    }

    /** As above with oneDNN's loader as the one optional tier ({@code null}: none). */
    static BlasProvider forName(String value, int threads, KernelProvider kernels, Consumer<String> onFallback,
                                IntFunction<BlasProvider> loader, IntFunction<BlasProvider> dnnlLoader,
                                AutoBlas.Settings auto) {
        return forName(value, threads, kernels, onFallback, loader,
                dnnlLoader == null ? List.of() : List.of(new OptionalTier("dnnl", "oneDNN", dnnlLoader)), auto);
    }

    /**
     * As above with the optional tiers' loaders (one missing from {@code optional} is not part of the build; tests:
     * cache file, fake timings, failed loads).
     */
    static BlasProvider forName(String value, int threads, KernelProvider kernels, Consumer<String> onFallback,
                                IntFunction<BlasProvider> loader, List<OptionalTier> optional, AutoBlas.Settings auto) {
        Objects.requireNonNull(kernels, "kernels");
        Objects.requireNonNull(onFallback, "onFallback");
        requireThreads(threads);
        String v = value == null ? "auto" : value.trim().toLowerCase(Locale.ROOT);
        switch (v) {
            case "java":
                return new JavaBlas(kernels, threads);
            case "openblas":
                return loadOrThrow(loader, threads, "OpenBLAS");
            case "dnnl", "mkl":
                OptionalTier tier = optional.stream().filter(o -> o.name().equals(v)).findFirst()
                        .orElseThrow(() -> new IllegalStateException(v + " is not part of this build"));
                return loadOrThrow(tier.loader(), threads, tier.library());
            case "auto":
            case "":
                BlasProvider openBlas;
                try {
                    openBlas = loadOrThrow(loader, threads, "OpenBLAS");
                } catch (IllegalStateException e) {
                    onFallback.accept("sparsecf BLAS falls back to the pure-Java dense kernels (much slower for GEMM and the "
                            + "EASE inverse): " + e.getMessage() + ". Fix the class path or native access as described, or "
                            + "pass -D" + BLAS_PROPERTY + "=java to choose the Java kernels explicitly.");
                    return new JavaBlas(kernels, threads);
                }
                // the scalar GEMM is two orders of magnitude slower than any BLAS: nothing to measure
                if (kernels.vectorBitSize() <= Float.SIZE) {
                    return openBlas;
                }
                List<BlasProvider> loaded = new ArrayList<>();
                if (auto.calibrate()) { // the rule never loads an optional tier
                    for (OptionalTier o : optional) {
                        BlasProvider p = loadOrWarn(o, threads, onFallback);
                        if (p != null) {
                            loaded.add(p);
                        }
                    }
                }
                return AutoBlas.choose(openBlas, new JavaBlas(kernels, threads), loaded, kernels, threads, auto, onFallback);
            default:
                throw new IllegalArgumentException("unknown BLAS backend '" + value + "' for -D" + BLAS_PROPERTY
                        + "; expected auto, openblas, dnnl, mkl or java");
        }
    }

    /**
     * GEMM in bf16 with float32 accumulation on oneDNN's matmul, the rest on OpenBLAS, with {@code threads} threads;
     * throws {@link IllegalStateException} naming the cause and the fix when oneDNN cannot load or the CPU has no bf16
     * arithmetic (there is no fallback: float32 was not asked for).
     */
    public static BlasProvider bf16Gemm(int threads) {
        requireThreads(threads);
        return loadOrThrow(t -> loadNative(DNNL_BF16_PROVIDER, "oneDNN", t), threads, "oneDNN");
    }

    private static void requireThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("BLAS thread count must be >= 1, got " + threads);
        }
    }

    /** Runs the loader and turns every way native loading can fail into one {@link IllegalStateException}. */
    private static BlasProvider loadOrThrow(IntFunction<BlasProvider> loader, int threads, String library) {
        try {
            return loader.apply(threads);
        } catch (IllegalStateException e) {
            throw e;
        } catch (RuntimeException | LinkageError e) {
            // e.g. NoClassDefFoundError when the JavaCPP jars are missing, IllegalCallerException without native access
            throw new IllegalStateException(library + " could not be loaded (" + e + ")", e);
        }
    }

    /**
     * An optional tier for {@code auto}, or null: silently when the build does not contain it, else after a WARNING
     * naming the cause and the fix.
     */
    private static BlasProvider loadOrWarn(OptionalTier tier, int threads, Consumer<String> onFallback) {
        try {
            return loadOrThrow(tier.loader(), threads, tier.library());
        } catch (NotInBuildException e) {
            return null;
        } catch (IllegalStateException e) {
            onFallback.accept("sparsecf BLAS: auto leaves " + tier.library() + " out of its choice: " + e.getMessage()
                    + ". Fix the class path or native access as described.");
            return null;
        }
    }

    /** Instantiates a native module's tier by name; its constructor loads the library with {@code threads}. */
    private static BlasProvider loadNative(String className, String library, int threads) {
        Class<?> cls;
        try {
            cls = MethodHandles.lookup().findClass(className);
        } catch (ClassNotFoundException | IllegalAccessException e) {
            throw new IllegalStateException(library + " could not be loaded (the native module is not on the class path: "
                    + e + ")", e);
        }
        try {
            return (BlasProvider) MethodHandles.lookup()
                    .findConstructor(cls, MethodType.methodType(void.class, int.class))
                    .invoke(threads);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(library + " could not be loaded (" + t + ")", t);
        }
    }

    @Override
    public String toString() {
        return "BlasProvider[" + name() + "]";
    }

    /** The pure-Java tier: the dense kernels of one {@link KernelProvider}, threaded by {@link Kernels}. */
    private static final class JavaBlas extends BlasProvider {

        private final int threads;
        private final String label;

        JavaBlas(KernelProvider kernels, int threads) {
            super(kernels.gemm(), kernels.choleskyInverse(), null, kernels.spdSolve());
            this.threads = threads;
            this.label = kernels.name().isEmpty() ? "java"
                    : Character.toUpperCase(kernels.name().charAt(0)) + kernels.name().substring(1);
        }

        @Override
        public String name() {
            return "java";
        }

        /** The Java tier's kernels: {@code Panama} or {@code Scalar}. */
        @Override
        public String label() {
            return label;
        }

        @Override
        public String describe() {
            return "pure-Java dense kernels, " + threads + " thread" + (threads == 1 ? "" : "s");
        }

        @Override
        public boolean isNative() {
            return false;
        }
    }
}
