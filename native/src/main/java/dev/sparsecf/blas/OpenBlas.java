package dev.sparsecf.blas;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.DoubleConsumer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * OpenBLAS (bytedeco JavaCPP build) called zero-copy on off-heap {@link MemorySegment}s through FFM downcalls.
 *
 * <p>JavaCPP only extracts and loads the native libraries; every call is an FFM downcall that passes the
 * segment's address, so no array or buffer copy is ever made. JavaCPP loads two identical OpenBLAS copies,
 * {@code libopenblas_nolapack} and {@code libopenblas}, each with its own thread setting; all calls here go
 * to {@code libopenblas} (looked up by path), and {@link #setThreads} sets the count in both copies.
 *
 * <p>Matrices are row-major with leading dimension {@code ld*} in elements (BLAS conventions: m, n, k,
 * lda). Operand segments must be native (off-heap). The symmetric routines use and write the upper triangle.
 * GEMM and the SPD inverses are unchecked: they are reached only through the checking facade
 * {@link dev.sparsecf.kernels.Kernels} ({@link OpenBlasProvider}). No org.bytedeco type appears in this class's
 * public API.
 */
public final class OpenBlas {

    // CBLAS / LAPACKE enum values, fixed by the CBLAS standard and lapacke.h.
    private static final int CBLAS_ROW_MAJOR = 101;
    private static final int CBLAS_NO_TRANS = 111;
    private static final int CBLAS_TRANS = 112;
    private static final int CBLAS_UPPER = 121;
    private static final int CBLAS_COL_MAJOR = 102;
    private static final int CBLAS_LOWER = 122;
    private static final int CBLAS_NON_UNIT = 131;
    private static final int CBLAS_RIGHT = 142;
    private static final int LAPACK_COL_MAJOR = 102;
    /** LAPACKE's return value when its NaN check finds a NaN in argument 4, the matrix. */
    static final int LAPACKE_NAN_IN_MATRIX = -4;
    /** JavaCPP's {@code blas_get_vendor()} id for OpenBLAS. */
    private static final int VENDOR_OPENBLAS = 2;

    /** The JavaCPP library name of the copy every call goes to, and of the other copy. */
    static final String CALLED_COPY = "openblas";
    static final String OTHER_COPY = "openblas_nolapack";

    private static final LoadOnce<OpenBlas> LOADED = new LoadOnce<>(OpenBlas::new, OpenBlas::cannotLoad);
    /** Every call into OpenBLAS passes it; a shutdown hook closes it (see {@link ExitGate} for why). */
    private static final ExitGate EXIT_GATE = new ExitGate(1_000, System.err::println);

    private final Map<String, Path> pathByCopy;
    private final Map<String, SymbolLookup> lookupByCopy;
    private final String config;
    private final Map<String, MethodHandle> setThreadsByCopy;
    private final Map<String, MethodHandle> getThreadsByCopy;
    private final MethodHandle sgemm;
    private final MethodHandle dsyrk;
    private final MethodHandle ssyrk;
    private final MethodHandle dtrsm;
    private final MethodHandle strsm;
    private final MethodHandle dpotrf;
    private final MethodHandle dpotri;
    private final MethodHandle spotrf;
    private final MethodHandle spotri;
    private final MethodHandle dpotrs;

    private OpenBlas() {
        Loader.load(openblas.class); // extracts to ~/.javacpp/cache and loads both copies (and their JNI glue)
        Map<String, String> loaded = Loader.getLoadedLibraries();
        Linker linker = Linker.nativeLinker();
        setThreadsByCopy = new LinkedHashMap<>();
        getThreadsByCopy = new LinkedHashMap<>();
        lookupByCopy = new LinkedHashMap<>();
        pathByCopy = new LinkedHashMap<>();
        for (String copy : new String[] {CALLED_COPY, OTHER_COPY}) {
            Path path = libraryPath(loaded, copy);
            pathByCopy.put(copy, path);
            // dlopen of a library that is already loaded returns that same instance, so the symbols found here
            // are the ones of the copy JavaCPP loaded, not of a third copy.
            lookupByCopy.put(copy, SymbolLookup.libraryLookup(path, Arena.global()));
            setThreadsByCopy.put(copy, linker.downcallHandle(symbol(copy, "openblas_set_num_threads"),
                    FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT)));
            getThreadsByCopy.put(copy, linker.downcallHandle(symbol(copy, "openblas_get_num_threads"),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT)));
        }
        ValueLayout i32 = ValueLayout.JAVA_INT;
        ValueLayout f32 = ValueLayout.JAVA_FLOAT;
        ValueLayout f64 = ValueLayout.JAVA_DOUBLE;
        ValueLayout ptr = ValueLayout.ADDRESS;
        ValueLayout chr = ValueLayout.JAVA_BYTE;
        sgemm = linker.downcallHandle(symbol(CALLED_COPY, "cblas_sgemm"), FunctionDescriptor.ofVoid(
                i32, i32, i32, i32, i32, i32, f32, ptr, i32, ptr, i32, f32, ptr, i32));
        dsyrk = linker.downcallHandle(symbol(CALLED_COPY, "cblas_dsyrk"), FunctionDescriptor.ofVoid(
                i32, i32, i32, i32, i32, f64, ptr, i32, f64, ptr, i32));
        ssyrk = linker.downcallHandle(symbol(CALLED_COPY, "cblas_ssyrk"), FunctionDescriptor.ofVoid(
                i32, i32, i32, i32, i32, f32, ptr, i32, f32, ptr, i32));
        dtrsm = linker.downcallHandle(symbol(CALLED_COPY, "cblas_dtrsm"), FunctionDescriptor.ofVoid(
                i32, i32, i32, i32, i32, i32, i32, f64, ptr, i32, ptr, i32));
        strsm = linker.downcallHandle(symbol(CALLED_COPY, "cblas_strsm"), FunctionDescriptor.ofVoid(
                i32, i32, i32, i32, i32, i32, i32, f32, ptr, i32, ptr, i32));
        // int LAPACKE_xpotrx(int matrix_layout, char uplo, lapack_int n, x* a, lapack_int lda)
        FunctionDescriptor lapackeSquare = FunctionDescriptor.of(i32, i32, chr, i32, ptr, i32);
        dpotrf = linker.downcallHandle(symbol(CALLED_COPY, "LAPACKE_dpotrf"), lapackeSquare);
        dpotri = linker.downcallHandle(symbol(CALLED_COPY, "LAPACKE_dpotri"), lapackeSquare);
        spotrf = linker.downcallHandle(symbol(CALLED_COPY, "LAPACKE_spotrf"), lapackeSquare);
        spotri = linker.downcallHandle(symbol(CALLED_COPY, "LAPACKE_spotri"), lapackeSquare);
        // int LAPACKE_dpotrs(int matrix_layout, char uplo, lapack_int n, lapack_int nrhs, const double* a,
        //                    lapack_int lda, double* b, lapack_int ldb)
        dpotrs = linker.downcallHandle(symbol(CALLED_COPY, "LAPACKE_dpotrs"),
                FunctionDescriptor.of(i32, i32, chr, i32, i32, ptr, i32, ptr, i32));
        MethodHandle getConfig = linker.downcallHandle(symbol(CALLED_COPY, "openblas_get_config"),
                FunctionDescriptor.of(ptr));
        try {
            config = ((MemorySegment) getConfig.invokeExact()).reinterpret(Long.MAX_VALUE).getString(0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(EXIT_GATE::close, "sparsecf OpenBLAS exit gate"));
    }

    /**
     * Loads OpenBLAS once per JVM and sets its thread count to {@code threads} (before any BLAS call made
     * through this class); throws {@link IllegalStateException} naming the cause and the fix if it cannot load.
     */
    public static synchronized OpenBlas load(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("BLAS thread count must be >= 1, got " + threads);
        }
        OpenBlas instance = LOADED.get();
        instance.setThreads(threads);
        return instance;
    }

    private static IllegalStateException cannotLoad(Throwable cause) {
        String platform = System.getProperty("os.name") + "/" + System.getProperty("os.arch");
        return new IllegalStateException("OpenBLAS could not be loaded on " + platform + " (" + cause
                + "). The JavaCPP natives for this platform must be on the class path: org.bytedeco:openblas and "
                + "org.bytedeco:javacpp with the platform classifier (build with -Djavacpp.platform.classifier=<os-arch>, "
                + "e.g. linux-arm64), and the JVM needs --enable-native-access=ALL-UNNAMED", cause);
    }

    private static Path libraryPath(Map<String, String> loaded, String copy) {
        // JavaCPP keys preloaded libraries as "name@.version", e.g. "openblas@.0".
        for (Map.Entry<String, String> e : loaded.entrySet()) {
            String name = e.getKey();
            int at = name.indexOf('@');
            if ((at < 0 ? name : name.substring(0, at)).equals(copy) && e.getValue() != null) {
                return Path.of(e.getValue());
            }
        }
        throw new IllegalStateException("JavaCPP did not load the OpenBLAS library '" + copy + "'; loaded: " + loaded.keySet());
    }

    private static MemorySegment find(SymbolLookup lookup, Path library, String symbol) {
        return lookup.find(symbol).orElseThrow(
                () -> new IllegalStateException("symbol " + symbol + " not found in " + library));
    }

    /** Sets the OpenBLAS thread count in both loaded copies (JavaCPP's blas_set_num_threads reaches only one). */
    public synchronized void setThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("BLAS thread count must be >= 1, got " + threads);
        }
        // JavaCPP's blas_set_num_threads resolves openblas_set_num_threads with Loader.addressof, which finds
        // the nolapack copy; it also records the vendor id read by blas_get_vendor().
        EXIT_GATE.enter();
        try {
            openblas_nolapack.blas_set_num_threads(threads);
            for (MethodHandle set : setThreadsByCopy.values()) {
                set.invokeExact(threads);
            }
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            EXIT_GATE.leave();
        }
    }

    /** The thread count of the OpenBLAS copy this class calls (read back from the library). */
    public int threads() {
        return threadsByCopy().get(CALLED_COPY);
    }

    /** Thread count read back from each loaded copy, keyed by JavaCPP library name. */
    Map<String, Integer> threadsByCopy() {
        Map<String, Integer> out = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, MethodHandle> e : getThreadsByCopy.entrySet()) {
                out.put(e.getKey(), (int) e.getValue().invokeExact());
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
        return out;
    }

    /** The library file of one loaded copy ({@link #CALLED_COPY} or {@link #OTHER_COPY}). */
    Path libraryPath(String copy) {
        return Objects.requireNonNull(pathByCopy.get(copy), copy);
    }

    /** The address of {@code symbol} in one loaded copy (tests check which mapped file it lies in). */
    MemorySegment symbol(String copy, String symbol) {
        return find(Objects.requireNonNull(lookupByCopy.get(copy), copy), libraryPath(copy), symbol);
    }

    /** The BLAS vendor reported by JavaCPP's {@code blas_get_vendor()} after the thread count was set. */
    public String vendor() {
        int id = openblas_nolapack.blas_get_vendor();
        return id == VENDOR_OPENBLAS ? "OpenBLAS" : "unknown (blas_get_vendor() = " + id + ")";
    }

    /** OpenBLAS's build string, e.g. "OpenBLAS 0.3.31 DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64". */
    public String config() {
        return config;
    }

    /** One line for the start-up log: vendor, build and thread count. */
    public String describe() {
        int t = threads();
        return vendor() + " [" + config + "], " + t + " thread" + (t == 1 ? "" : "s");
    }

    // ---------------------------------------------------------------------------------------------- sgemm

    /**
     * {@code C[m x n] = alpha * op(A) * op(B) + beta * C}, row-major, where {@code op(A)} is {@code m x k}
     * ({@code A} is stored {@code k x m} when {@code transA}) and {@code op(B)} is {@code k x n}; with
     * {@code beta == 0} the old contents of C are not read. Unchecked: {@link dev.sparsecf.kernels.Kernels#gemm}
     * validates the shapes, and {@code m, n > 0}.
     */
    void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, MemorySegment a, int lda,
            MemorySegment b, int ldb, float beta, MemorySegment c, int ldc) {
        EXIT_GATE.enter();
        try {
            sgemm.invokeExact(CBLAS_ROW_MAJOR, trans(transA), trans(transB), m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            EXIT_GATE.leave();
        }
    }

    // ---------------------------------------------------------------------------------------------- dsyrk

    /**
     * Upper triangle of {@code C[n x n] = alpha * op(A) * op(A)^T + beta * C} in double, row-major, where
     * {@code op(A)} is {@code n x k} ({@code A} stored {@code k x n} when {@code trans}, giving
     * {@code A^T A}); the strict lower triangle of C is not touched. C must not overlap A.
     */
    public void dsyrk(boolean trans, int n, int k, double alpha, MemorySegment a, int lda, double beta,
            MemorySegment c, int ldc) {
        requireDimension("dsyrk", "n", n);
        requireDimension("dsyrk", "k", k);
        requireOperand("dsyrk", "A", a, trans ? k : n, trans ? n : k, "lda", lda, Double.BYTES);
        requireOperand("dsyrk", "C", c, n, n, "ldc", ldc, Double.BYTES);
        requireWritable("dsyrk", "C", c);
        requireDisjoint("dsyrk", "C", c, "A", a);
        if (n == 0) {
            return;
        }
        EXIT_GATE.enter();
        try {
            dsyrk.invokeExact(CBLAS_ROW_MAJOR, CBLAS_UPPER, trans(trans), n, k, alpha, a, lda, beta, c, ldc);
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            EXIT_GATE.leave();
        }
    }

    // ------------------------------------------------------------------------------ SPD inverse (potrf+potri)

    /**
     * Columns per step of the blocked factorisation used above {@code 2 * POTRF_BLOCK} columns: each step is one
     * progress report and one {@link ExitGate} window (a single potrf on 20,000 columns is over 20 s).
     */
    static final int POTRF_BLOCK = 2048;

    /**
     * Replaces the upper triangle of the symmetric positive definite {@code A[n x n]} (double, row-major, leading
     * dimension {@code lda}; only the upper triangle is read) by the upper triangle of its inverse; the strict
     * lower triangle keeps the input. Throws {@link IllegalArgumentException} ("matrix is not positive definite:
     * leading minor of order i ...") if A is not SPD; A is then partly overwritten. Unchecked:
     * {@link dev.sparsecf.kernels.Kernels#invertSpd} validates the operand.
     */
    void dpotrfInverse(MemorySegment a, int n, int lda) {
        dpotrfInverse(a, n, lda, POTRF_BLOCK, done -> { });
    }

    /**
     * As {@link #dpotrfInverse(MemorySegment, int, int)}; above {@code 2 * block} columns the factorisation runs
     * in column blocks (potrf, trsm, syrk per block) and {@code progress} gets the share of the n^3 flops done
     * after each, then, while potri runs, an estimate from the factorisation's flop rate (see {@link InverseEta}).
     */
    void dpotrfInverse(MemorySegment a, int n, int lda, int block, DoubleConsumer progress) {
        spdInverse("dpotrf", dpotrf, dpotri, a, n, lda, Double.BYTES, block, progress);
    }

    /**
     * Solves {@code A x = b} for the SPD {@code A[n x n]} (double, row-major, leading dimension {@code lda}; the upper
     * triangle is read and overwritten by the Cholesky factor) by dpotrf + dpotrs; {@code b} (n doubles) becomes x.
     * Returns -1, or the 0-based pivot that is not positive. Unchecked: {@code Kernels.solveSpdBatch} validates.
     */
    int choleskySolve(MemorySegment a, int n, int lda, MemorySegment b) {
        if (n == 0) {
            return -1;
        }
        int info = potrx(dpotrf, a, n, lda); // column-major lower = row-major upper, as in spdInverse
        if (info == LAPACKE_NAN_IN_MATRIX) {
            throw new IllegalArgumentException("dpotrf: matrix contains NaN in its upper triangle (" + n + "x" + n + ")");
        }
        checkInfo("dpotrf", info);
        if (info > 0) {
            return info - 1;
        }
        EXIT_GATE.enter();
        try {
            info = (int) dpotrs.invokeExact(LAPACK_COL_MAJOR, (byte) 'L', n, 1, a, lda, b, n);
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            EXIT_GATE.leave();
        }
        checkInfo("dpotrs", info);
        return -1;
    }

    /** The float32 version of {@link #dpotrfInverse} (spotrf + spotri). */
    void spotrfInverse(MemorySegment a, int n, int lda, DoubleConsumer progress) {
        spdInverse("spotrf", spotrf, spotri, a, n, lda, Float.BYTES, POTRF_BLOCK, progress);
    }

    private void spdInverse(String routine, MethodHandle potrf, MethodHandle potri, MemorySegment a, int n,
            int lda, int elementBytes, int block, DoubleConsumer progress) {
        if (n == 0) {
            return;
        }
        // A row-major upper triangle with stride lda is, read column-major, the lower triangle of A^T = A with
        // the same lda. LAPACKE in column-major order calls LAPACK directly, while row-major order would copy
        // and transpose the whole matrix.
        InverseEta eta = new InverseEta(n, progress);
        int step = n > 2 * block ? block : n;
        for (int k = 0; k < n; k += step) {
            int b = Math.min(step, n - k);
            long diagonal = ((long) k * lda + k) * elementBytes;
            int info = potrx(potrf, a.asSlice(diagonal), b, lda);
            if (info == LAPACKE_NAN_IN_MATRIX) {
                throw new IllegalArgumentException(routine + ": matrix contains NaN in its upper triangle (" + n + "x" + n + ")");
            }
            checkInfo(routine, info);
            if (info > 0) {
                throw new IllegalArgumentException("matrix is not positive definite: leading minor of order " + (k + info)
                        + " is not positive (" + routine + ", n = " + n + "); the input has been overwritten");
            }
            int m = n - k - b;
            if (m > 0) {
                // right-looking step, column-major lower: A21 = A21 L11^-T, then A22 -= A21 A21^T
                MemorySegment a21 = a.asSlice(diagonal + (long) b * elementBytes);
                trsmSyrk(elementBytes, m, b, a.asSlice(diagonal), a21, a.asSlice(diagonal + (long) b * (lda + 1) * elementBytes), lda);
            }
            eta.factorised(k + b);
        }
        // An infinite entry passes the NaN check and turns pivots into Inf/NaN instead of a failed pivot.
        ValueLayout layout = elementBytes == Double.BYTES ? ValueLayout.JAVA_DOUBLE : ValueLayout.JAVA_FLOAT;
        for (int i = 0; i < n; i++) {
            double pivot = diagonal(a, i, lda, layout);
            if (!Double.isFinite(pivot)) {
                throw new IllegalArgumentException("matrix is not positive definite or not finite: leading minor of order "
                        + (i + 1) + " gives the pivot " + pivot + " (" + routine + ", n = " + n + ")");
            }
        }
        String inverse = routine.replace("trf", "tri");
        int info;
        try (InverseEta.Watch watch = eta.watchInverse(step < n)) {
            info = potrx(potri, a, n, lda);
        }
        checkInfo(inverse, info);
        if (info > 0) {
            throw new IllegalArgumentException(inverse + ": the Cholesky factor has a zero at diagonal " + info
                    + ", so the matrix is singular (n = " + n + ")");
        }
    }

    /** {@code A21 = A21 L11^-T} ({@code m x b}) and {@code A22 -= A21 A21^T} (lower, {@code m x m}), column-major. */
    private void trsmSyrk(int elementBytes, int m, int b, MemorySegment a11, MemorySegment a21, MemorySegment a22,
            int lda) {
        EXIT_GATE.enter();
        try {
            if (elementBytes == Double.BYTES) {
                dtrsm.invokeExact(CBLAS_COL_MAJOR, CBLAS_RIGHT, CBLAS_LOWER, CBLAS_TRANS, CBLAS_NON_UNIT, m, b,
                        1.0, a11, lda, a21, lda);
                dsyrk.invokeExact(CBLAS_COL_MAJOR, CBLAS_LOWER, CBLAS_NO_TRANS, m, b, -1.0, a21, lda, 1.0, a22, lda);
            } else {
                strsm.invokeExact(CBLAS_COL_MAJOR, CBLAS_RIGHT, CBLAS_LOWER, CBLAS_TRANS, CBLAS_NON_UNIT, m, b,
                        1.0f, a11, lda, a21, lda);
                ssyrk.invokeExact(CBLAS_COL_MAJOR, CBLAS_LOWER, CBLAS_NO_TRANS, m, b, -1.0f, a21, lda, 1.0f, a22, lda);
            }
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            EXIT_GATE.leave();
        }
    }

    /** Calls LAPACKE potrf or potri on the lower triangle, column-major (see spdInverse); returns info. */
    private static int potrx(MethodHandle potrx, MemorySegment a, int n, int lda) {
        EXIT_GATE.enter();
        try {
            return (int) potrx.invokeExact(LAPACK_COL_MAJOR, (byte) 'L', n, a, lda);
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            EXIT_GATE.leave();
        }
    }

    private static double diagonal(MemorySegment a, int i, int lda, ValueLayout layout) {
        long index = (long) i * lda + i;
        return layout == ValueLayout.JAVA_DOUBLE
                ? a.getAtIndex(ValueLayout.JAVA_DOUBLE, index)
                : a.getAtIndex(ValueLayout.JAVA_FLOAT, index);
    }

    private static void checkInfo(String routine, int info) {
        if (info < 0) {
            throw new IllegalStateException(routine + " rejected argument " + (-info) + " (a bug in OpenBlas's validation)");
        }
    }

    // ------------------------------------------------------------------------------------------ validation

    private static int trans(boolean t) {
        return t ? CBLAS_TRANS : CBLAS_NO_TRANS;
    }

    private static void requireDimension(String routine, String name, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(routine + ": " + name + " = " + value + " is negative");
        }
    }

    /** Checks a row-major {@code rows x cols} operand: native segment, {@code ld >= max(1, cols)}, large enough. */
    private static void requireOperand(String routine, String name, MemorySegment s, int rows, int cols, String ldName,
            int ld, int elementBytes) {
        Objects.requireNonNull(s, name);
        if (!s.isNative()) {
            throw new IllegalArgumentException(routine + ": " + name + " is a heap segment; OpenBLAS needs a native "
                    + "(off-heap) segment, e.g. from Arena.allocate or DenseMatrix");
        }
        if (ld < Math.max(1, cols)) {
            throw new IllegalArgumentException(routine + ": " + ldName + " = " + ld + " is less than max(1, " + cols
                    + "), the stored columns of " + name);
        }
        long needed = rows == 0 || cols == 0 ? 0 : ((long) (rows - 1) * ld + cols) * elementBytes;
        if (s.byteSize() < needed) {
            throw new IllegalArgumentException(routine + ": " + name + " has " + s.byteSize() + " bytes, needs " + needed
                    + " for " + rows + "x" + cols + " with leading dimension " + ld);
        }
    }

    private static void requireWritable(String routine, String name, MemorySegment s) {
        if (s.isReadOnly()) {
            throw new IllegalArgumentException(routine + ": " + name + " is a read-only segment but is written");
        }
    }

    private static void requireDisjoint(String routine, String xName, MemorySegment x, String yName, MemorySegment y) {
        if (x.byteSize() > 0 && y.byteSize() > 0 && x.asOverlappingSlice(y).isPresent()) {
            throw new IllegalArgumentException(routine + ": " + xName + " and " + yName + " share memory; "
                    + xName + " is written while " + yName + " is read");
        }
    }

    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException(t);
    }

    @Override
    public String toString() {
        return "OpenBlas[" + config + "]";
    }
}
