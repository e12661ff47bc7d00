package dev.sparsecf.blas;

import static dev.sparsecf.testing.ErrorBounds.U_FLOAT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsecf.kernels.BlasProvider;
import dev.sparsecf.kernels.DenseMatrix;
import dev.sparsecf.kernels.KernelThreads;
import dev.sparsecf.kernels.Kernels;
import org.junit.jupiter.api.Test;

/**
 * The OpenBLAS tier as {@link Kernels} loads it by name: the default follows {@code -Dsparsecf.blas}, and the float32
 * SPD inverse is OpenBLAS only, with a clear error on the Java tier.
 */
class OpenBlasProviderTest {

    @Test
    void defaultTierFollowsTheFlag() {
        String flag = System.getProperty(BlasProvider.BLAS_PROPERTY, "auto").trim();
        Kernels kernels = Kernels.get();
        BlasProvider p = kernels.blas();
        if (flag.equalsIgnoreCase("java")) {
            assertEquals("java", p.name());
            assertEquals("java/" + kernels.implementationName(), kernels.denseImplementationName());
        } else if (flag.equalsIgnoreCase("openblas") || kernels.implementationName().equals("scalar")) {
            // forced, or auto over the scalar tier (nothing to compare): OpenBLAS for both operations.
            // This module ships the natives for its build platform, so auto must not have fallen back here.
            assertTrue(p instanceof OpenBlasProvider, "-Dsparsecf.blas=" + flag + ": " + p.startupLine());
            assertEquals("openblas", kernels.denseImplementationName());
            int threads = OpenBlas.load(KernelThreads.configuredThreads()).threads();
            String line = p.startupLine();
            assertTrue(line.startsWith("sparsecf BLAS: openblas: OpenBLAS") && line.contains(threads + " thread"), line);
            assertEquals(KernelThreads.configuredThreads(), threads, "OpenBLAS threads vs -Dsparsecf.threads");
        } else {
            // auto over Panama: per operation the tier its start-up line names is the one the facade calls,
            // whichever won on this machine
            String line = p.startupLine();
            assertEquals("auto", p.name(), line);
            assertEquals(p.gemmIsNative(), p.gemm() instanceof BlasGemm, line);
            assertEquals(p.gemmIsNative() ? null : kernels.provider().gemm(), p.gemmIsNative() ? null : p.gemm(), line);
            assertEquals(p.inverseIsNative(), p.choleskyInverse() instanceof BlasCholeskyInverse, line);
            assertTrue(line.contains(p.gemmIsNative() ? "GEMM on OpenBLAS" : "GEMM on Panama")
                    || line.contains("GEMM and SPD inverse on " + (p.gemmIsNative() ? "OpenBLAS" : "Panama")), line);
            assertTrue(line.contains(p.inverseIsNative() ? "inverse on OpenBLAS" : "inverse on Panama"), line);
            assertTrue(kernels.hasFloatInverse(), "the float32 inverse is OpenBLAS's whatever auto chose");
            assertTrue(kernels.denseImplementationName().contains(p.gemmIsNative() ? "openblas" : "java/panama"),
                    kernels.denseImplementationName());
        }
        assertFalse(p.startupLine().isBlank());
    }

    @Test
    void javaTierHasNoFloatInverse() {
        Kernels java = Kernels.create("scalar", "java", 1);
        assertFalse(java.hasFloatInverse());
        try (DenseMatrix a = DenseMatrix.of(1, 1, new float[] {2f})) {
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                    () -> java.invertSpdFloat(a, true));
            assertTrue(e.getMessage().contains("-Dsparsecf.blas=openblas") && e.getMessage().contains("java/scalar"),
                    e.getMessage());
            assertEquals(2f, a.get(0, 0), "the matrix is left alone");
        }
    }

    @Test
    void openBlasInvertsInFloat() {
        Kernels blas = OpenBlasTests.openBlasKernelsOrSkip();
        assertTrue(blas.hasFloatInverse());
        // [[4, 2], [2, 3]]^-1 = [[3, -2], [-2, 4]] / 8; the lower input 9 is never read (upper triangle only)
        try (DenseMatrix a = DenseMatrix.of(2, 2, new float[] {4f, 2f, 9f, 3f})) {
            blas.invertSpdFloat(a, false);
            // within 4 n u kappa ||inv(A)|| per element: kappa = ||A|| ||inv(A)|| = 6 * 0.75 (infinity norms)
            double tol = 4 * 2 * U_FLOAT * (6 * 0.75) * 0.75;
            assertEquals(0.375, a.get(0, 0), tol);
            assertEquals(-0.25, a.get(0, 1), tol);
            assertEquals(0.5, a.get(1, 1), tol);
            assertEquals(9f, a.get(1, 0), "fillLower=false keeps the strict lower triangle");
        }
    }
}
