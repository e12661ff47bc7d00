package dev.sparsecf.blas;

import dev.sparsecf.kernels.BlasProvider;
import java.io.File;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.bytedeco.javacpp.Loader;

/**
 * Intel MKL (the natives of bytedeco's {@code mkl} redist jar, on the class path only in a build with {@code -Pmkl})
 * called zero-copy on off-heap {@link MemorySegment}s through FFM downcalls into {@code libmkl_rt}.
 *
 * <p>JavaCPP's {@link Loader} only extracts the jar's libraries to its cache; the preset's JNI classes are never used
 * (they are built for another JavaCPP version). {@code libmkl_rt} then loads its threading layer (Intel OpenMP,
 * {@code libiomp5}), core and ISA libraries itself from its own directory. The thread count is MKL's global setting.
 * Nothing here names an org.bytedeco.mkl class, so the module compiles and runs without MKL.
 */
final class Mkl {

    /** The jar's native directory; only linux-x86_64 is offered. */
    static final String RESOURCES = "/org/bytedeco/mkl/linux-x86_64/";
    private static final String RUNTIME = "libmkl_rt.so.2";
    /** What a user reads when MKL is asked for but absent. */
    static final String ABSENT = "Intel MKL is not part of this build: rebuild with the Maven profile -Pmkl"
            + " (mvn -Pmkl package, or SPARSECF_MKL=1 ./sparsecf ...; linux-x86_64 only)";

    // CBLAS / LAPACKE enum values (cblas.h, lapacke.h)
    static final int COL_MAJOR = 102;
    static final int ROW_MAJOR = 101;
    static final int NO_TRANS = 111;
    static final int TRANS = 112;
    static final int LOWER = 122;
    static final int NON_UNIT = 131;
    static final int LEFT = 141;
    static final int RIGHT = 142;

    private static final LoadOnce<Mkl> LOADED = new LoadOnce<>(Mkl::new, Mkl::cannotLoad);
    /** libiomp5 may not be inside a call while the JVM runs the C exit handlers (see ExitGate). */
    private static final ExitGate EXIT_GATE = new ExitGate(1_000, System.err::println);

    private final Path library;
    private final String version;
    private final MethodHandle setThreads;
    private final MethodHandle getThreads;
    private final MethodHandle sgemm;
    /** Double and float32 routines, the float handles cast to take double scalars (one sweep for both). */
    final Routines doubles;
    final Routines floats;

    /** One precision's routines: cblas ?trsm, ?syrk, ?gemm, ?scal and LAPACKE ?potrf, ?potri. */
    record Routines(char prefix, int bytes, MethodHandle trsm, MethodHandle syrk, MethodHandle gemm, MethodHandle scal,
                    MethodHandle potrf, MethodHandle potri) {

        /** {@code B = alpha op(A)^-1 B} (LEFT) or {@code B = alpha B op(A)^-1} (RIGHT), A lower, column-major. */
        void trsm(int side, int trans, int m, int n, double alpha, MemorySegment a, int lda, MemorySegment b, int ldb) {
            enter();
            try {
                trsm.invokeExact(COL_MAJOR, side, LOWER, trans, NON_UNIT, m, n, alpha, a, lda, b, ldb);
            } catch (Throwable t) {
                throw OpenBlas.rethrow(t);
            } finally {
                leave();
            }
        }

        /** Lower triangle of {@code C[n x n] = alpha op(A) op(A)^T + beta C}, column-major. */
        void syrk(int trans, int n, int k, double alpha, MemorySegment a, int lda, double beta, MemorySegment c, int ldc) {
            enter();
            try {
                syrk.invokeExact(COL_MAJOR, LOWER, trans, n, k, alpha, a, lda, beta, c, ldc);
            } catch (Throwable t) {
                throw OpenBlas.rethrow(t);
            } finally {
                leave();
            }
        }

        /** {@code C[m x n] = alpha A B + beta C}, column-major, no transposes. */
        void gemm(int m, int n, int k, double alpha, MemorySegment a, int lda, MemorySegment b, int ldb, double beta,
                MemorySegment c, int ldc) {
            enter();
            try {
                gemm.invokeExact(COL_MAJOR, NO_TRANS, NO_TRANS, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
            } catch (Throwable t) {
                throw OpenBlas.rethrow(t);
            } finally {
                leave();
            }
        }

        /** {@code x = alpha x} for {@code n} contiguous elements. */
        void scal(int n, double alpha, MemorySegment x) {
            enter();
            try {
                scal.invokeExact(n, alpha, x, 1);
            } catch (Throwable t) {
                throw OpenBlas.rethrow(t);
            } finally {
                leave();
            }
        }

        /** LAPACKE ?potrf on the lower triangle, column-major; returns info. */
        int potrf(int n, MemorySegment a, int lda) {
            return lapack(potrf, n, a, lda);
        }

        /** LAPACKE ?potri on the lower triangle, column-major; returns info. */
        int potri(int n, MemorySegment a, int lda) {
            return lapack(potri, n, a, lda);
        }

        private static int lapack(MethodHandle routine, int n, MemorySegment a, int lda) {
            enter();
            try {
                return (int) routine.invokeExact(COL_MAJOR, (byte) 'L', n, a, lda);
            } catch (Throwable t) {
                throw OpenBlas.rethrow(t);
            } finally {
                leave();
            }
        }
    }

    private Mkl() {
        useIdleOpenMpThreadsSleep();
        File[] dirs;
        try {
            dirs = Loader.cacheResources(RESOURCES); // extracted once to ~/.javacpp/cache, then reused
        } catch (IOException e) {
            throw new IllegalStateException("could not extract MKL's libraries: " + e, e);
        }
        library = dirs[0].toPath().resolve(RUNTIME);
        SymbolLookup lookup = SymbolLookup.libraryLookup(library, Arena.global());
        Linker linker = Linker.nativeLinker();
        ValueLayout i32 = ValueLayout.JAVA_INT;
        ValueLayout ptr = ValueLayout.ADDRESS;
        ValueLayout chr = ValueLayout.JAVA_BYTE;
        setThreads = linker.downcallHandle(find(lookup, "MKL_Set_Num_Threads"), FunctionDescriptor.ofVoid(i32));
        getThreads = linker.downcallHandle(find(lookup, "MKL_Get_Max_Threads"), FunctionDescriptor.of(i32));
        MethodHandle versionString = linker.downcallHandle(find(lookup, "mkl_get_version_string"),
                FunctionDescriptor.ofVoid(ptr, i32));
        Routines[] both = new Routines[2];
        MethodHandle floatGemm = null;
        for (int p = 0; p < 2; p++) {
            char x = p == 0 ? 'd' : 's';
            ValueLayout e = p == 0 ? ValueLayout.JAVA_DOUBLE : ValueLayout.JAVA_FLOAT;
            MethodHandle trsm = linker.downcallHandle(find(lookup, "cblas_" + x + "trsm"), FunctionDescriptor.ofVoid(
                    i32, i32, i32, i32, i32, i32, i32, e, ptr, i32, ptr, i32));
            MethodHandle syrk = linker.downcallHandle(find(lookup, "cblas_" + x + "syrk"), FunctionDescriptor.ofVoid(
                    i32, i32, i32, i32, i32, e, ptr, i32, e, ptr, i32));
            MethodHandle gemm = linker.downcallHandle(find(lookup, "cblas_" + x + "gemm"), FunctionDescriptor.ofVoid(
                    i32, i32, i32, i32, i32, i32, e, ptr, i32, ptr, i32, e, ptr, i32));
            MethodHandle scal = linker.downcallHandle(find(lookup, "cblas_" + x + "scal"),
                    FunctionDescriptor.ofVoid(i32, e, ptr, i32));
            FunctionDescriptor square = FunctionDescriptor.of(i32, i32, chr, i32, ptr, i32);
            MethodHandle potrf = linker.downcallHandle(find(lookup, "LAPACKE_" + x + "potrf"), square);
            MethodHandle potri = linker.downcallHandle(find(lookup, "LAPACKE_" + x + "potri"), square);
            if (p == 1) {
                floatGemm = gemm;
                trsm = doubleScalars(trsm, 7);
                syrk = doubleScalars(syrk, 5, 8);
                gemm = doubleScalars(gemm, 6, 11);
                scal = doubleScalars(scal, 1);
            }
            both[p] = new Routines(x, e.byteSize() == 8 ? Double.BYTES : Float.BYTES, trsm, syrk, gemm, scal, potrf, potri);
        }
        doubles = both[0];
        floats = both[1];
        sgemm = floatGemm;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(256);
            versionString.invokeExact(buffer, (int) buffer.byteSize()); // blank-padded, not always terminated
            version = new String(buffer.toArray(ValueLayout.JAVA_BYTE), StandardCharsets.US_ASCII)
                    .replace('\0', ' ').trim().replace("Intel(R) oneAPI Math Kernel Library Version", "Intel MKL");
        } catch (Throwable t) {
            throw OpenBlas.rethrow(t);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(EXIT_GATE::close, "sparsecf MKL exit gate"));
    }

    /**
     * Why: Intel OpenMP's idle workers spin for KMP_BLOCKTIME (200 ms by default) after each parallel region, taking
     * the cores from the Java kernels that run between two MKL calls (oneDNN's spinning libgomp cost 6-8 ms per small
     * call). With 0 they sleep at once; the next call's wake-up costs microseconds. A value the user set is kept.
     * libiomp5 reads it when it initialises, so it is set before MKL is loaded.
     */
    private static void useIdleOpenMpThreadsSleep() {
        Linker linker = Linker.nativeLinker();
        MethodHandle setenv = linker.downcallHandle(linker.defaultLookup().find("setenv").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
        try (Arena arena = Arena.ofConfined()) {
            int ignored = (int) setenv.invokeExact(arena.allocateFrom("KMP_BLOCKTIME"), arena.allocateFrom("0"), 0);
        } catch (Throwable t) {
            throw OpenBlas.rethrow(t);
        }
    }

    private static MethodHandle doubleScalars(MethodHandle h, int... positions) {
        var type = h.type();
        for (int p : positions) {
            type = type.changeParameterType(p, double.class);
        }
        return MethodHandles.explicitCastArguments(h, type); // double -> float narrowing of alpha/beta
    }

    /** Whether MKL's natives are on the class path (a build with {@code -Pmkl}). */
    static boolean onClassPath() {
        return Mkl.class.getResource(RESOURCES + RUNTIME) != null;
    }

    /**
     * Loads MKL once per JVM and sets its thread count; throws {@link BlasProvider.NotInBuildException} with
     * {@link #ABSENT} when the build has no MKL, or {@link IllegalStateException} naming the cause.
     */
    static synchronized Mkl load(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("MKL thread count must be >= 1, got " + threads);
        }
        if (!onClassPath()) {
            throw new BlasProvider.NotInBuildException(ABSENT);
        }
        Mkl instance = LOADED.get();
        instance.setThreads(threads);
        return instance;
    }

    private static IllegalStateException cannotLoad(Throwable cause) {
        return new IllegalStateException("Intel MKL could not be loaded (" + cause + "); it needs linux-x86_64 and"
                + " --enable-native-access=ALL-UNNAMED, or choose another tier with -Dsparsecf.blas=auto", cause);
    }

    private static MemorySegment find(SymbolLookup lookup, String symbol) {
        return lookup.find(symbol).orElseThrow(() -> new IllegalStateException("symbol " + symbol + " not found in MKL"));
    }

    private void setThreads(int threads) {
        try {
            setThreads.invokeExact(threads);
        } catch (Throwable t) {
            throw OpenBlas.rethrow(t);
        }
    }

    /** MKL's thread count, read back from the library. */
    int threads() {
        try {
            return (int) getThreads.invokeExact();
        } catch (Throwable t) {
            throw OpenBlas.rethrow(t);
        }
    }

    /** "Intel MKL 2025.2-Product Build 20250620 ...": the library and its build, for the calibration cache's key. */
    String version() {
        return version;
    }

    /** The extracted {@code libmkl_rt} (tests check its siblings are the ones mapped). */
    Path library() {
        return library;
    }

    /** One line for the start-up log: version and threads. */
    String describe() {
        int t = threads();
        return version + ", " + t + " thread" + (t == 1 ? "" : "s");
    }

    /** {@code C = alpha op(A) op(B) + beta C}, row-major, as {@link OpenBlas#sgemm}; unchecked. */
    void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, MemorySegment a, int lda,
            MemorySegment b, int ldb, float beta, MemorySegment c, int ldc) {
        EXIT_GATE.enter();
        try {
            sgemm.invokeExact(ROW_MAJOR, transA ? TRANS : NO_TRANS, transB ? TRANS : NO_TRANS, m, n, k, alpha, a, lda,
                    b, ldb, beta, c, ldc);
        } catch (Throwable t) {
            throw OpenBlas.rethrow(t);
        } finally {
            EXIT_GATE.leave();
        }
    }

    /** Enters a native call (the exit gate); pair with {@link #leave()} in a {@code finally}. */
    static void enter() {
        EXIT_GATE.enter();
    }

    static void leave() {
        EXIT_GATE.leave();
    }
}
