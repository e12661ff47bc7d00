package dev.sparsecf.blas;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.Map;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.dnnl.dnnl_version_t;
import org.bytedeco.dnnl.global.dnnl;

/**
 * Intel oneDNN (bytedeco JavaCPP build, OpenMP runtime: its own {@code libgomp}) called zero-copy on off-heap
 * {@link MemorySegment}s through FFM downcalls to {@code dnnl_sgemm}, its row-major BLAS-like GEMM.
 *
 * <p>JavaCPP only extracts and loads the libraries. The thread count is OpenMP's, which is a per-thread setting
 * ({@code omp_set_num_threads} acts on the calling thread's data environment only), so every call sets it first on
 * the thread that calls. No org.bytedeco type appears in this class's API.
 */
final class Dnnl {

    /** dnnl_status_t's success value. */
    private static final int SUCCESS = 0;

    private static final LoadOnce<Dnnl> LOADED = new LoadOnce<>(Dnnl::new, Dnnl::cannotLoad);
    /** libgomp, like OpenBLAS, may not be inside a call while the JVM runs the C exit handlers (see ExitGate). */
    private static final ExitGate EXIT_GATE = new ExitGate(1_000, System.err::println);

    private final MethodHandle sgemm;
    private final MethodHandle setThreads;
    private final MethodHandle getThreads;
    private final String version;
    private volatile int threads = 1;

    private Dnnl() {
        Loader.load(dnnl.class); // extracts to ~/.javacpp/cache and loads libdnnl, libgomp and the JNI glue
        Map<String, String> loaded = Loader.getLoadedLibraries();
        Linker linker = Linker.nativeLinker();
        ValueLayout i64 = ValueLayout.JAVA_LONG;
        ValueLayout f32 = ValueLayout.JAVA_FLOAT;
        ValueLayout ptr = ValueLayout.ADDRESS;
        ValueLayout chr = ValueLayout.JAVA_BYTE;
        // dnnl_status_t dnnl_sgemm(char transa, char transb, dnnl_dim_t M, N, K, float alpha, const float *A,
        //                          dnnl_dim_t lda, const float *B, dnnl_dim_t ldb, float beta, float *C, dnnl_dim_t ldc)
        sgemm = linker.downcallHandle(symbol(loaded, "dnnl", "dnnl_sgemm"), FunctionDescriptor.of(ValueLayout.JAVA_INT,
                chr, chr, i64, i64, i64, f32, ptr, i64, ptr, i64, f32, ptr, i64));
        setThreads = linker.downcallHandle(symbol(loaded, "gomp", "omp_set_num_threads"),
                FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT));
        getThreads = linker.downcallHandle(symbol(loaded, "gomp", "omp_get_max_threads"),
                FunctionDescriptor.of(ValueLayout.JAVA_INT));
        dnnl_version_t v = dnnl.dnnl_version();
        String runtime = v.cpu_runtime() == dnnl.DNNL_RUNTIME_OMP ? "OpenMP" : "CPU runtime " + v.cpu_runtime();
        version = "oneDNN " + v.major() + "." + v.minor() + "." + v.patch() + " (" + runtime + ", ISA " + isa() + ")";
        Runtime.getRuntime().addShutdownHook(new Thread(EXIT_GATE::close, "sparsecf oneDNN exit gate"));
    }

    /**
     * Loads oneDNN once per JVM with {@code threads} threads per call; throws {@link IllegalStateException} naming
     * the cause and the fix if it cannot load.
     */
    static synchronized Dnnl load(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("oneDNN thread count must be >= 1, got " + threads);
        }
        Dnnl instance = LOADED.get();
        instance.threads = threads;
        return instance;
    }

    private static IllegalStateException cannotLoad(Throwable cause) {
        String platform = System.getProperty("os.name") + "/" + System.getProperty("os.arch");
        return new IllegalStateException("oneDNN could not be loaded on " + platform + " (" + cause + "). The JavaCPP"
                + " natives for this platform must be on the class path: org.bytedeco:dnnl, org.bytedeco:opencl and"
                + " org.bytedeco:javacpp with the platform classifier (build with -Djavacpp.platform.classifier=<os-arch>),"
                + " and the JVM needs --enable-native-access=ALL-UNNAMED; or choose another GEMM with -Dsparsecf.blas=auto",
                cause);
    }

    /** A symbol of the library JavaCPP loaded under {@code name} ("dnnl@.3", "gomp@.1"). */
    private static MemorySegment symbol(Map<String, String> loaded, String name, String symbol) {
        for (Map.Entry<String, String> e : loaded.entrySet()) {
            String key = e.getKey();
            int at = key.indexOf('@');
            if ((at < 0 ? key : key.substring(0, at)).equals(name) && e.getValue() != null) {
                Path path = Path.of(e.getValue());
                // dlopen of a loaded library returns that instance: the symbols are those of the copy JavaCPP loaded
                return SymbolLookup.libraryLookup(path, Arena.global()).find(symbol).orElseThrow(
                        () -> new IllegalStateException("symbol " + symbol + " not found in " + path));
            }
        }
        throw new IllegalStateException("JavaCPP did not load the library '" + name + "'; loaded: " + loaded.keySet());
    }

    /** The instruction set oneDNN's kernels use here, e.g. {@code avx10_1_512_amx}. */
    static String isa() {
        int effective = dnnl.dnnl_get_effective_cpu_isa();
        for (dnnl.cpu_isa isa : dnnl.cpu_isa.values()) {
            if (isa.value == effective) {
                return isa.toString();
            }
        }
        return "0x" + Integer.toHexString(effective);
    }

    /** Threads per call (at most one per core: the provider clamps it). */
    int threads() {
        return threads;
    }

    /** OpenMP's thread count for a parallel region started by the calling thread now ({@code omp_get_max_threads}). */
    int openMpThreadsOfThisThread() {
        try {
            return (int) getThreads.invokeExact();
        } catch (Throwable t) {
            throw OpenBlas.rethrow(t);
        }
    }

    /** One line for the start-up log: version, runtime, ISA and threads (read back from OpenMP on this thread). */
    String describe() {
        try {
            setThreads.invokeExact(threads);
        } catch (Throwable t) {
            throw OpenBlas.rethrow(t);
        }
        int t = openMpThreadsOfThisThread();
        return version + ", " + t + " thread" + (t == 1 ? "" : "s");
    }

    /** The library and its build, for the calibration cache's key. */
    String version() {
        return version;
    }

    /**
     * {@code C[m x n] = alpha * op(A) * op(B) + beta * C}, row-major, as {@link OpenBlas#sgemm}; with {@code beta == 0}
     * the old contents of C are not read. Unchecked: {@link dev.sparsecf.kernels.Kernels#gemm} validates the shapes,
     * and {@code m, n > 0}. Throws {@link IllegalStateException} with oneDNN's status if it refuses the call.
     */
    void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, MemorySegment a, int lda,
            MemorySegment b, int ldb, float beta, MemorySegment c, int ldc) {
        if (k == 0 || alpha == 0) {
            // dnnl_sgemm leaves C as it is for k = 0, and reads C (0 * NaN) for alpha = beta = 0 (DnnlGemmTest)
            scale(m, n, beta, c, ldc);
            return;
        }
        int status;
        enter(); // OpenMP's count belongs to the calling thread: set it on this one
        try {
            status = (int) sgemm.invokeExact(trans(transA), trans(transB), (long) m, (long) n, (long) k, alpha,
                    a, (long) lda, b, (long) ldb, beta, c, (long) ldc);
        } catch (Throwable t) {
            throw OpenBlas.rethrow(t);
        } finally {
            leave();
        }
        if (status != SUCCESS) {
            throw new IllegalStateException("dnnl_sgemm failed with status " + status + " (m=" + m + " n=" + n + " k=" + k
                    + " lda=" + lda + " ldb=" + ldb + " ldc=" + ldc + ")");
        }
    }

    /**
     * Enters a native call from this thread: the exit gate, and OpenMP's thread count set on the calling thread.
     * Pair with {@link #leave()} in a {@code finally}.
     */
    void enter() {
        EXIT_GATE.enter();
        try {
            setThreads.invokeExact(threads);
        } catch (Throwable t) {
            EXIT_GATE.leave();
            throw OpenBlas.rethrow(t);
        }
    }

    /** Leaves the native call {@link #enter()} began. */
    void leave() {
        EXIT_GATE.leave();
    }

    /** {@code C = beta * C} as BLAS does it: with {@code beta == 0} C is overwritten by zeros, not read. */
    static void scale(int m, int n, float beta, MemorySegment c, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                long at = (long) i * ldc + j;
                c.setAtIndex(ValueLayout.JAVA_FLOAT, at, beta == 0 ? 0f : beta * c.getAtIndex(ValueLayout.JAVA_FLOAT, at));
            }
        }
    }

    private static byte trans(boolean t) {
        return (byte) (t ? 'T' : 'N');
    }
}
