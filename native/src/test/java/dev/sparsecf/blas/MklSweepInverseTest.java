package dev.sparsecf.blas;

import static dev.sparsecf.blas.MklTests.mklOrSkip;
import static dev.sparsecf.blas.OpenBlasTests.d;
import static dev.sparsecf.testing.ErrorBounds.U_DOUBLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsecf.kernels.DenseMatrix;
import dev.sparsecf.kernels.KernelThreads;
import dev.sparsecf.kernels.Kernels;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * MKL's blocked sweep inverse: the residual {@code A inv(A) - I} within the bound of the Cholesky inverse
 * ({@code 4 n u kappa}, as {@link OpenBlasCholeskyTest}) over sizes around the block (1, 2, block - 1, block,
 * block + 1, three blocks and an odd rest) with padded rows, the contract on the triangles and the padding, progress
 * per block, and the errors for a non-SPD, NaN or infinite input, in double and float32.
 */
class MklSweepInverseTest {

    private static final double KAPPA = 100;

    /** Small blocks cover many sweep steps at small n; the production block at sizes around it. */
    @ParameterizedTest(name = "n={0} block={1}")
    @CsvSource({"1,16", "2,16", "15,16", "16,16", "17,16", "53,16", "2,384", "383,384", "384,384", "385,384", "1159,384"})
    void inverseTimesMatrixIsIdentityAndTheLowerTriangleAndPaddingStay(int n, int block) {
        MklSweepInverse sweep = new MklSweepInverse(mklOrSkip(), block);
        int lda = n + 3;
        double[] spd = OpenBlasCholeskyTest.spd(n, KAPPA, 60 + n);
        List<Double> shares = new ArrayList<>();
        try (Arena arena = Arena.ofShared()) {
            MemorySegment a = arena.allocate((long) n * lda * Double.BYTES, 64);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < lda; j++) {
                    // the strict lower triangle holds a marker: the contract reads and writes the upper triangle only
                    double v = j >= n ? -7.0 : j < i ? 1000 + i + j : spd[i * n + j];
                    a.setAtIndex(ValueLayout.JAVA_DOUBLE, (long) i * lda + j, v);
                }
            }
            sweep.invertUpper(a, n, lda, null, shares::add);
            double[] x = new double[n * n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < lda; j++) {
                    double v = d(a, (long) i * lda + j);
                    if (j >= n) {
                        assertEquals(-7.0, v, "padding A[" + i + "][" + j + "] was written");
                    } else if (j < i) {
                        assertEquals(1000 + i + j, v, "strict lower A[" + i + "][" + j + "] was written");
                    } else {
                        x[i * n + j] = v;
                        x[j * n + i] = v;
                    }
                }
            }
            OpenBlasCholeskyTest.assertResidual("MKL sweep n=" + n + " block=" + block, spd, x, n, 4 * n * U_DOUBLE * KAPPA);
        }
        int blocks = (n + block - 1) / block;
        assertEquals(blocks, shares.size(), "one report per block: " + shares);
        for (int t = 0; t < blocks; t++) {
            assertEquals((double) Math.min(n, (t + 1) * block) / n, shares.get(t), 1e-15, "share after block " + t);
        }
    }

    @ParameterizedTest(name = "n={0}")
    @ValueSource(ints = {1, 17, 103, 400})
    void floatInverseThroughTheFacade(int n) {
        mklOrSkip();
        OpenBlasCholeskyTest.checkFloatInverse("MKL float sweep", Kernels.create("scalar", "mkl",
                KernelThreads.configuredThreads()), n, 2000 + n);
    }

    @Test
    void doubleInverseThroughTheFacadeFillsTheLowerTriangle() {
        mklOrSkip();
        Kernels kernels = Kernels.create("scalar", "mkl", KernelThreads.configuredThreads());
        int n = 500; // two steps of the production block
        double[] spd = OpenBlasCholeskyTest.spd(n, KAPPA, 11);
        try (Arena arena = Arena.ofShared()) {
            MemorySegment a = arena.allocateFrom(ValueLayout.JAVA_DOUBLE, spd);
            kernels.invertSpd(a, n, n, true);
            double[] x = a.toArray(ValueLayout.JAVA_DOUBLE);
            OpenBlasCholeskyTest.assertResidual("Kernels.invertSpd on MKL", spd, x, n, 4 * n * U_DOUBLE * KAPPA);
        }
    }

    @Test
    void notPositiveDefiniteInALaterBlockNamesTheGlobalMinor() {
        MklSweepInverse sweep = new MklSweepInverse(mklOrSkip(), 16);
        int n = 100;
        int order = 71; // in the fifth block of 16
        double[] spd = OpenBlasCholeskyTest.spd(n, KAPPA, 3);
        spd[(order - 1) * n + (order - 1)] = -1;
        try (Arena arena = Arena.ofShared()) {
            MemorySegment a = arena.allocateFrom(ValueLayout.JAVA_DOUBLE, spd);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> sweep.invertUpper(a, n, n, null, done -> { }));
            assertTrue(e.getMessage().startsWith("matrix is not positive definite: leading minor of order " + order + " ")
                    && e.getMessage().contains("pivot block at column 64"), e.getMessage());
        }
    }

    @Test
    void notPositiveDefiniteThroughTheFacadeInDoubleAndFloat() {
        mklOrSkip();
        Kernels kernels = Kernels.create("scalar", "mkl", KernelThreads.configuredThreads());
        try (Arena arena = Arena.ofShared(); DenseMatrix f = DenseMatrix.of(2, 2, new float[] {1, 2, 2, 1})) {
            MemorySegment diag = arena.allocateFrom(ValueLayout.JAVA_DOUBLE, 1, 0, 0, 0, 0, 2, 0, 0, 0, 0, -3, 0, 0, 0, 0, 4);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> kernels.invertSpd(diag, 4, 4, true));
            assertTrue(e.getMessage().contains("matrix is not positive definite: leading minor of order 3 "), e.getMessage());
            IllegalArgumentException ef = assertThrows(IllegalArgumentException.class, () -> kernels.invertSpdFloat(f, true));
            assertTrue(ef.getMessage().contains("matrix is not positive definite: leading minor of order 2 "), ef.getMessage());
        }
    }

    @Test
    void nanAnywhereAndInfinityGiveAnErrorNotNaNs() {
        MklSweepInverse sweep = new MklSweepInverse(mklOrSkip(), 16);
        int n = 100;
        try (Arena arena = Arena.ofShared()) {
            MemorySegment a = arena.allocateFrom(ValueLayout.JAVA_DOUBLE, OpenBlasCholeskyTest.spd(n, KAPPA, 4));
            a.setAtIndex(ValueLayout.JAVA_DOUBLE, 3L * n + 90, Double.NaN); // first block's panel, not a diagonal block
            IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                    () -> sweep.invertUpper(a, n, n, null, done -> { }));
            assertTrue(nan.getMessage().contains("NaN"), nan.getMessage());

            MemorySegment b = arena.allocateFrom(ValueLayout.JAVA_DOUBLE, OpenBlasCholeskyTest.spd(n, KAPPA, 9));
            b.setAtIndex(ValueLayout.JAVA_DOUBLE, 40L * n + 40, Double.POSITIVE_INFINITY);
            IllegalArgumentException inf = assertThrows(IllegalArgumentException.class,
                    () -> sweep.invertUpper(b, n, n, null, done -> { }));
            assertTrue(inf.getMessage().contains("leading minor of order 41 "), inf.getMessage());
        }
    }
}
