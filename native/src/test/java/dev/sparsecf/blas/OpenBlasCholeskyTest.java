package dev.sparsecf.blas;

import static dev.sparsecf.blas.OpenBlasTests.d;
import static dev.sparsecf.blas.OpenBlasTests.openBlasKernelsOrSkip;
import static dev.sparsecf.testing.ErrorBounds.U_DOUBLE;
import static dev.sparsecf.testing.ErrorBounds.U_FLOAT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsecf.kernels.DenseMatrix;
import dev.sparsecf.kernels.Kernels;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The SPD inverse on the OpenBLAS tier through {@link Kernels} (potrf + potri, upper, in place): residual A*inv(A) - I, triangles, not-SPD errors. */
class OpenBlasCholeskyTest {

    /** Condition number of the test matrices: well conditioned, but far enough from 1 to matter. */
    private static final double KAPPA = 100;

    /**
     * Bound on max |A X - I| for the computed inverse X: the Cholesky-based inverse satisfies
     * ||X - inv(A)|| / ||inv(A)|| <= c n u kappa(A) (Higham, ch. 10 and 14), so ||A X - I|| <= c n u kappa;
     * the double residual loop adds n u ||A|| ||X|| = n u kappa. c = 4 covers potrf, potri and the residual.
     */
    private static double residualBound(int n, double u) {
        return 4 * n * u * KAPPA;
    }

    @ParameterizedTest(name = "n={0}")
    @ValueSource(ints = {1, 7, 17, 103, 300})
    void doubleInverseTimesMatrixIsIdentity(int n) {
        Kernels kernels = openBlasKernelsOrSkip();
        int lda = n + 5;
        double[] spd = spd(n, KAPPA, n);
        try (Arena arena = Arena.ofShared()) {
            MemorySegment a = arena.allocate((long) n * lda * Double.BYTES, 64);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < lda; j++) {
                    a.setAtIndex(ValueLayout.JAVA_DOUBLE, (long) i * lda + j, j < n ? spd[i * n + j] : -7.0);
                }
            }
            kernels.invertSpd(a, n, lda, true);
            double[] x = new double[n * n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    x[i * n + j] = d(a, (long) i * lda + j);
                }
                for (int j = n; j < lda; j++) {
                    assertEquals(-7.0, d(a, (long) i * lda + j), "padding A[" + i + "][" + j + "] was written");
                }
            }
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < i; j++) {
                    assertEquals(x[j * n + i], x[i * n + j], "lower triangle not filled from the upper at (" + i + "," + j + ")");
                }
            }
            assertResidual("dpotrfInverse n=" + n, spd, x, n, residualBound(n, U_DOUBLE));
        }
    }

    @Test
    void upperOnlyLeavesTheLowerTriangleAsInput() {
        Kernels kernels = openBlasKernelsOrSkip();
        int n = 17;
        double[] spd = spd(n, KAPPA, 5);
        try (Arena arena = Arena.ofShared()) {
            MemorySegment a = arena.allocateFrom(ValueLayout.JAVA_DOUBLE, spd);
            kernels.invertSpd(a, n, n, false);
            double[] x = new double[n * n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    if (j < i) {
                        assertEquals(spd[i * n + j], d(a, (long) i * n + j), "strict lower A[" + i + "][" + j + "] changed");
                        x[i * n + j] = d(a, (long) j * n + i);
                    } else {
                        x[i * n + j] = d(a, (long) i * n + j);
                    }
                }
            }
            assertResidual("dpotrfInverse(upper only) n=" + n, spd, x, n, residualBound(n, U_DOUBLE));
        }
    }

    @ParameterizedTest(name = "n={0}")
    @ValueSource(ints = {1, 17, 103, 300})
    void floatInverseOnDenseMatrix(int n) {
        checkFloatInverse("spotrfInverse", openBlasKernelsOrSkip(), n, 1000 + n);
    }

    /** The float32 inverse through {@code kernels}: the residual of the float input within the bound. */
    static void checkFloatInverse(String name, Kernels kernels, int n, long seed) {
        double[] spd = spd(n, KAPPA, seed);
        double[] input = new double[n * n]; // the float values actually factorised
        try (DenseMatrix a = DenseMatrix.allocate(n, n)) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    a.set(i, j, (float) spd[i * n + j]);
                    input[i * n + j] = a.get(i, j);
                }
            }
            kernels.invertSpdFloat(a, true);
            double[] x = new double[n * n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    x[i * n + j] = a.get(i, j);
                }
            }
            assertResidual(name + " n=" + n + " " + a, input, x, n, residualBound(n, U_FLOAT));
        }
    }

    @Test
    void notPositiveDefiniteNamesTheLeadingMinor() {
        Kernels kernels = openBlasKernelsOrSkip();
        try (Arena arena = Arena.ofShared()) {
            MemorySegment diag = arena.allocateFrom(ValueLayout.JAVA_DOUBLE,
                    1, 0, 0, 0,
                    0, 2, 0, 0,
                    0, 0, -3, 0,
                    0, 0, 0, 4);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> kernels.invertSpd(diag, 4, 4, true));
            assertTrue(e.getMessage().contains("matrix is not positive definite: leading minor of order 3 "), e.getMessage());
        }
    }

    @Test
    void notPositiveDefiniteDeepInABlockedFactorisation() {
        Kernels kernels = openBlasKernelsOrSkip();
        int n = 300;
        int order = 257; // beyond OpenBLAS's blocking, so the failing pivot is reported from an inner block
        double[] spd = spd(n, KAPPA, 7);
        // The leading minors below `order` are untouched, and pivot `order` is at most its diagonal entry.
        spd[(order - 1) * n + (order - 1)] = -1;
        try (Arena arena = Arena.ofShared()) {
            MemorySegment a = arena.allocateFrom(ValueLayout.JAVA_DOUBLE, spd);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> kernels.invertSpd(a, n, n, true));
            assertTrue(e.getMessage().contains("leading minor of order " + order + " "), e.getMessage());
        }
    }

    @Test
    void floatNotPositiveDefinite() {
        Kernels kernels = openBlasKernelsOrSkip();
        try (DenseMatrix a = DenseMatrix.of(2, 2, new float[] {1, 2, 2, 1})) { // eigenvalues 3 and -1
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> kernels.invertSpdFloat(a, true));
            assertTrue(e.getMessage().contains("matrix is not positive definite: leading minor of order 2 "), e.getMessage());
        }
    }

    @Test
    void nanAndInfinityGiveAnErrorNotNaNs() {
        Kernels kernels = openBlasKernelsOrSkip();
        int n = 8;
        try (Arena arena = Arena.ofShared()) {
            MemorySegment a = arena.allocateFrom(ValueLayout.JAVA_DOUBLE, spd(n, KAPPA, 9));
            a.setAtIndex(ValueLayout.JAVA_DOUBLE, 2L * n + 5, Double.NaN);
            IllegalArgumentException nan = assertThrows(IllegalArgumentException.class, () -> kernels.invertSpd(a, n, n, true));
            assertTrue(nan.getMessage().contains("contains NaN"), nan.getMessage());

            MemorySegment b = arena.allocateFrom(ValueLayout.JAVA_DOUBLE, spd(n, KAPPA, 9));
            b.setAtIndex(ValueLayout.JAVA_DOUBLE, 4L * n + 4, Double.POSITIVE_INFINITY);
            IllegalArgumentException inf = assertThrows(IllegalArgumentException.class, () -> kernels.invertSpd(b, n, n, true));
            assertTrue(inf.getMessage().contains("leading minor of order 5 "), inf.getMessage());
        }
    }

    @Test
    void badShapesAreRejected() {
        Kernels kernels = openBlasKernelsOrSkip();
        try (Arena arena = Arena.ofShared(); DenseMatrix rect = DenseMatrix.allocate(3, 4)) {
            MemorySegment a = arena.allocate(9L * Double.BYTES);
            OpenBlasGemmTest.assertMessage("invertSpd: lda 2 < max(1, n) = 3", () -> kernels.invertSpd(a, 3, 2, true));
            OpenBlasGemmTest.assertMessage("segment of 72 bytes is too small for 4x4 doubles", () -> kernels.invertSpd(a, 4, 4, true));
            OpenBlasGemmTest.assertMessage("invertSpdFloat: matrix is 3x4, expected square", () -> kernels.invertSpdFloat(rect, true));
        }
    }

    /** Fails with the worst element unless max |A X - I| <= bound (A, X full n x n, row-major). */
    static void assertResidual(String where, double[] a, double[] x, int n, double bound) {
        double worst = 0;
        int wi = -1;
        int wj = -1;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < n; p++) {
                    s += a[i * n + p] * x[p * n + j];
                }
                double r = Math.abs(s - (i == j ? 1 : 0));
                if (!(r <= worst)) { // also catches NaN
                    worst = r;
                    wi = i;
                    wj = j;
                }
            }
        }
        assertTrue(worst <= bound, where + ": |A*inv(A) - I| = " + worst + " at (" + wi + "," + wj + ") exceeds " + bound);
    }

    /**
     * A symmetric n x n matrix Q diag(d) Q^T with eigenvalues d geometric from 1 to kappa (condition number
     * kappa) and Q a product of two seeded Householder reflections, so A is dense and its conditioning known.
     */
    static double[] spd(int n, double kappa, long seed) {
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            a[i * n + i] = n == 1 ? 1 : Math.pow(kappa, (double) i / (n - 1));
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int r = 0; r < 2; r++) {
            double[] v = new double[n];
            double vv = 0;
            for (int i = 0; i < n; i++) {
                v[i] = rnd.nextDouble(-1, 1);
                vv += v[i] * v[i];
            }
            // H A H with H = I - 2 v v^T / vv: A - (2/vv)(v w^T + w v^T) + (4 v.w / vv^2) v v^T, w = A v.
            double[] w = new double[n];
            double vw = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    w[i] += a[i * n + j] * v[j];
                }
                vw += v[i] * w[i];
            }
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    a[i * n + j] += -2 / vv * (v[i] * w[j] + w[i] * v[j]) + 4 * vw / (vv * vv) * v[i] * v[j];
                }
            }
        }
        for (int i = 0; i < n; i++) { // exactly symmetric
            for (int j = 0; j < i; j++) {
                a[i * n + j] = a[j * n + i];
            }
        }
        return a;
    }
}
