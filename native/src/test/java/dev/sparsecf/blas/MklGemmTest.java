package dev.sparsecf.blas;

import static dev.sparsecf.blas.MklTests.mklOrSkip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.sparsecf.kernels.BlasProvider;
import dev.sparsecf.kernels.DenseMatrix;
import dev.sparsecf.kernels.KernelThreads;
import dev.sparsecf.kernels.Kernels;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * MKL's {@code cblas_sgemm} against the naive double-precision triple loop (the bound of
 * {@link OpenBlasGemmTest#checkAgainstReference}) over transposes, alpha, beta, padded leading dimensions and awkward
 * sizes; the forced flag through the facade; where its libraries come from; and, without {@code -Pmkl}, the error.
 */
class MklGemmTest {

    static List<Arguments> cases() {
        return OpenBlasGemmTest.cases();
    }

    @ParameterizedTest(name = "transA={0} transB={1} alpha={2} beta={3}")
    @MethodSource("cases")
    void sgemmMatchesDoubleReference(boolean transA, boolean transB, float alpha, float beta) {
        OpenBlasGemmTest.checkAllSizes("MKL cblas_sgemm", mklOrSkip()::sgemm, transA, transB, alpha, beta);
    }

    /** Each of m, n and k over 1,000 (where blocking and threading split the work) with a thin other side. */
    @ParameterizedTest(name = "transA={0} transB={1}")
    @MethodSource("dev.sparsecf.blas.DnnlGemmTest#transposes")
    void largeAndThinShapesMatchTheReference(boolean transA, boolean transB) {
        DnnlGemmTest.checkLargeAndThin("MKL cblas_sgemm", mklOrSkip()::sgemm, transA, transB, 200);
    }

    @Test
    void zeroInnerDimensionScalesCByBeta() {
        DnnlGemmTest.checkZeroInnerDimension(mklOrSkip()::sgemm);
    }

    /** The forced flag: GEMM and the inverse on MKL, the configured threads, named in the start-up line. */
    @Test
    void theForcedFlagRunsGemmOnMklThroughTheFacade() {
        Mkl mkl = mklOrSkip();
        int threads = KernelThreads.configuredThreads();
        Kernels kernels = Kernels.create("scalar", "mkl", threads);
        assertEquals("mkl", kernels.denseImplementationName());
        String line = kernels.blas().startupLine();
        int expected = Math.min(threads, Runtime.getRuntime().availableProcessors());
        assertTrue(line.startsWith("sparsecf BLAS: mkl: GEMM and SPD inverse (blocked sweep) on Intel MKL 20")
                && line.contains(expected + " thread") && line.contains("SPD solves on OpenBLAS"), line);
        assertEquals(expected, mkl.threads(), "MKL's thread count read back");
        assertTrue(kernels.blas().build().startsWith(mkl.version()), kernels.blas().build());
        try (DenseMatrix a = DenseMatrix.allocate(17, 7); DenseMatrix b = DenseMatrix.allocate(1031, 7);
                DenseMatrix c = DenseMatrix.allocate(17, 1031); Arena arena = Arena.ofConfined()) {
            SplittableRandom rnd = new SplittableRandom(6);
            fill(a, rnd);
            fill(b, rnd);
            MemorySegment c0 = arena.allocate(c.segment().byteSize(), 64);
            kernels.gemm(false, true, 1f, a, b, 0f, c);
            OpenBlasGemmTest.assertFacadeResult("Kernels.gemm(transB) on MKL", false, true, 1f, a, b, 0f, c0, c);
        }
    }

    /** libmkl_rt loads its threading layer, core and Intel OpenMP from its own directory, not from anywhere else. */
    @Test
    void mklLoadsItsLibrariesFromTheExtractedDirectory() throws IOException {
        Mkl mkl = mklOrSkip();
        Path dir = mkl.library().getParent();
        List<String> mapped = Files.readAllLines(Path.of("/proc/self/maps")).stream()
                .filter(l -> l.contains("libmkl_") || l.contains("libiomp5"))
                .map(l -> l.substring(l.indexOf('/'))).distinct().toList();
        for (String lib : List.of("libmkl_rt.so.2", "libmkl_core.so.2", "libmkl_intel_thread.so.2", "libiomp5.so")) {
            assertTrue(mapped.contains(dir.resolve(lib).toString()), lib + " not mapped from " + dir + ": " + mapped);
        }
        mapped.forEach(p -> assertTrue(p.startsWith(dir.toString()), p + " is not from " + dir));
    }

    /** In a build without -Pmkl the forced flag fails with one line that says how to build with MKL. */
    @Test
    void withoutTheProfileTheForcedFlagSaysToBuildWithIt() {
        assumeFalse(Mkl.onClassPath(), "this build has MKL (-Pmkl)");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> BlasProvider.forName("mkl", 1, dev.sparsecf.kernels.KernelProvider.scalar(), w -> { }));
        assertTrue(e.getMessage().contains("-Pmkl") && !e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e instanceof BlasProvider.NotInBuildException, e.toString());
    }

    private static void fill(DenseMatrix m, SplittableRandom rnd) {
        for (int i = 0; i < m.rows(); i++) {
            for (int j = 0; j < m.cols(); j++) {
                m.set(i, j, (float) rnd.nextDouble(-1, 1));
            }
        }
    }
}
