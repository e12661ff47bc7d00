package dev.sparsecf.blas;

import static dev.sparsecf.blas.OpenBlasTests.f;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sparsecf.kernels.BlasProvider;
import dev.sparsecf.kernels.DenseMatrix;
import dev.sparsecf.kernels.KernelThreads;
import dev.sparsecf.kernels.Kernels;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * oneDNN's {@code dnnl_sgemm} against the naive double-precision triple loop (the bound of
 * {@link OpenBlasGemmTest#checkAgainstReference}) over transposes, alpha, beta, leading dimensions larger than the
 * stored columns and awkward sizes (1, 7, 17, 103 and over 1,000), and through the facade with
 * {@code -Dsparsecf.blas=dnnl}.
 */
class DnnlGemmTest {

    /** oneDNN at the configured threads; skipped under {@code -Dsparsecf.blas=java}, a load failure fails. */
    static Dnnl dnnlOrSkip() {
        String flag = System.getProperty(BlasProvider.BLAS_PROPERTY, "auto").trim();
        assumeFalse(flag.equalsIgnoreCase("java"),
                "oneDNN test skipped: -D" + BlasProvider.BLAS_PROPERTY + "=java selects the pure-Java kernels");
        return Dnnl.load(KernelThreads.configuredThreads());
    }

    static List<Arguments> cases() {
        return OpenBlasGemmTest.cases();
    }

    @ParameterizedTest(name = "transA={0} transB={1} alpha={2} beta={3}")
    @MethodSource("cases")
    void sgemmMatchesDoubleReference(boolean transA, boolean transB, float alpha, float beta) {
        OpenBlasGemmTest.checkAllSizes("dnnl_sgemm", dnnlOrSkip()::sgemm, transA, transB, alpha, beta);
    }

    /** Each of m, n and k over 1,000 (where blocking and threading split the work) with a thin other side. */
    @ParameterizedTest(name = "transA={0} transB={1}")
    @MethodSource("transposes")
    void largeAndThinShapesMatchTheReference(boolean transA, boolean transB) {
        checkLargeAndThin("dnnl_sgemm", dnnlOrSkip()::sgemm, transA, transB, 100);
    }

    /** {@link OpenBlasGemmTest#checkCase} at shapes with m, n or k over 1,000 and a thin other side, two alpha/beta. */
    static void checkLargeAndThin(String name, BlasGemm.Sgemm sgemm, boolean transA, boolean transB, long seed) {
        int[][] shapes = {{1031, 17, 1033}, {17, 1031, 1033}, {1033, 1031, 17}, {1, 1031, 1}, {1031, 1, 1033}, {1, 1, 1031}};
        for (int[] s : shapes) {
            OpenBlasGemmTest.checkCase(name, sgemm, transA, transB, s[0], s[1], s[2], 1.5f, 0.5f, seed++);
            OpenBlasGemmTest.checkCase(name, sgemm, transA, transB, s[0], s[1], s[2], 1f, 0f, seed++);
        }
    }

    static List<Arguments> transposes() {
        return List.of(Arguments.of(false, false), Arguments.of(true, false), Arguments.of(false, true),
                Arguments.of(true, true));
    }

    @Test
    void zeroInnerDimensionScalesCByBeta() {
        checkZeroInnerDimension(dnnlOrSkip()::sgemm);
    }

    /** With k = 0 the product is empty: C = beta * C. */
    static void checkZeroInnerDimension(BlasGemm.Sgemm sgemm) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment none = arena.allocate(Float.BYTES);
            MemorySegment c = arena.allocateFrom(ValueLayout.JAVA_FLOAT, 1, 2, 3, 4, 5, 6);
            sgemm.sgemm(false, false, 3, 2, 0, 1f, none, 1, none, 2, 2f, c, 2);
            for (int i = 0; i < 6; i++) {
                assertEquals(2f * (i + 1), f(c, i), "C[" + i + "] after k = 0");
            }
        }
    }

    /**
     * OpenMP's thread count belongs to the calling thread: a thread that never set it has OpenMP's default (one per
     * core), and after one sgemm it has sparsecf's count, set by the call itself.
     */
    @Test
    void everyCallSetsTheThreadCountOnTheCallingThread() throws Exception {
        Dnnl dnnl = dnnlOrSkip();
        assumeTrue(System.getenv("OMP_NUM_THREADS") == null, "OMP_NUM_THREADS changes OpenMP's default");
        int configured = dnnl.threads();
        int cores = Runtime.getRuntime().availableProcessors();
        assumeTrue(cores > 1, "one core: the default and the setting cannot differ");
        int[] seen = new int[2];
        try {
            Dnnl.load(1);
            Thread fresh = new Thread(() -> {
                seen[0] = dnnl.openMpThreadsOfThisThread();
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment x = arena.allocate(4L * Float.BYTES, 64);
                    dnnl.sgemm(false, false, 2, 2, 1, 1f, x, 1, x, 2, 0f, arena.allocate(4L * Float.BYTES, 64), 2);
                }
                seen[1] = dnnl.openMpThreadsOfThisThread();
            });
            fresh.start();
            fresh.join();
        } finally {
            Dnnl.load(configured);
        }
        assertEquals(cores, seen[0], "OpenMP's default on a thread that never set it");
        assertEquals(1, seen[1], "after a call with one thread configured");
    }

    /** The forced flag: GEMM on oneDNN, the inverse on OpenBLAS, the configured threads, named in the start-up line. */
    @Test
    void theForcedFlagRunsGemmOnOneDnnThroughTheFacade() {
        Dnnl dnnl = dnnlOrSkip();
        int threads = KernelThreads.configuredThreads();
        Kernels kernels = Kernels.create("scalar", "dnnl", threads);
        assertEquals("gemm dnnl, inverse openblas", kernels.denseImplementationName());
        assertEquals("dnnl", kernels.blas().gemmLibrary());
        assertEquals("GEMM on " + dnnl.describe() + ", SPD inverse and solves on " + new OpenBlasProvider(threads).describe(),
                kernels.blas().describe());
        assertEquals(dnnl.version() + ", " + OpenBlasProvider.preset("dnnl"), kernels.blas().build());
        String line = kernels.blas().startupLine();
        int expected = Math.min(threads, Runtime.getRuntime().availableProcessors());
        assertTrue(line.startsWith("sparsecf BLAS: dnnl: GEMM on oneDNN 3.") && line.contains("OpenMP, ISA ")
                && line.contains(expected + " thread") && line.contains("SPD inverse and solves on OpenBLAS"), line);
        assertTrue(kernels.blas().build().contains("JavaCPP dnnl 3.11"), kernels.blas().build());
        int m = 17;
        int n = 1031;
        int k = 7;
        try (DenseMatrix a = DenseMatrix.allocate(m, k); DenseMatrix b = DenseMatrix.allocate(n, k);
                DenseMatrix c = DenseMatrix.allocate(m, n); Arena arena = Arena.ofConfined()) {
            SplittableRandom rnd = new SplittableRandom(5);
            for (int i = 0; i < m; i++) {
                for (int p = 0; p < k; p++) {
                    a.set(i, p, (float) rnd.nextDouble(-1, 1));
                }
            }
            for (int j = 0; j < n; j++) {
                for (int p = 0; p < k; p++) {
                    b.set(j, p, (float) rnd.nextDouble(-1, 1));
                }
            }
            MemorySegment c0 = arena.allocate(c.segment().byteSize(), 64); // zeros: beta = 0 reads nothing
            kernels.gemm(false, true, 1f, a, b, 0f, c); // C = A B^T, B stored n x k with ld padded to 16 floats
            OpenBlasGemmTest.assertFacadeResult("Kernels.gemm(transB) on oneDNN", false, true, 1f, a, b, 0f, c0, c);
        }
    }
}
