package dev.sparsecf.blas;

import static dev.sparsecf.testing.ErrorBounds.U_FLOAT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsecf.kernels.DenseMatrix;
import dev.sparsecf.kernels.Kernels;
import org.junit.jupiter.api.Test;

/** The float32 SPD inverse of {@link DenseAlgebra}: OpenBLAS only, a clear error on the Java backend. */
class DenseAlgebraTest {

    @Test
    void javaBackendHasNoFloatInverse() {
        DenseAlgebra java = DenseAlgebra.of(Kernels.get(), BlasProvider.forName("java", 1, msg -> { }));
        assertFalse(java.hasFloatInverse());
        try (DenseMatrix a = DenseMatrix.of(1, 1, new float[] {2f})) {
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                    () -> java.invertSpdFloat(a, true));
            assertTrue(e.getMessage().contains("-Dsparsecf.blas=openblas"), e.getMessage());
            assertEquals(2f, a.get(0, 0), "the matrix is left alone");
        }
    }

    @Test
    void openBlasInvertsInFloat() {
        OpenBlasTests.openBlasOrSkip();
        DenseAlgebra blas = DenseAlgebra.of(Kernels.get(), BlasProvider.forName("openblas", 1, msg -> { }));
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
