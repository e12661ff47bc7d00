package dev.sparsecf.blas;

import static dev.sparsecf.blas.OpenBlasTests.d;
import static dev.sparsecf.blas.OpenBlasTests.openBlasOrSkip;
import static dev.sparsecf.testing.ErrorBounds.U_DOUBLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The blocked factorisation (potrf, trsm, syrk per column block) that large inverses use for progress, run at small
 * n with small blocks: same residual bound as the single call, exact progress per block, failures from later blocks.
 */
class OpenBlasBlockedCholeskyTest {

    private static final double KAPPA = 100;

    @ParameterizedTest(name = "n={0}")
    @ValueSource(ints = {33, 103, 300})
    void blockedInverseTimesMatrixIsIdentityAndReportsEachBlock(int n) {
        OpenBlas blas = openBlasOrSkip();
        int block = 16;
        int lda = n + 3;
        double[] spd = OpenBlasCholeskyTest.spd(n, KAPPA, 40 + n);
        List<Double> shares = new ArrayList<>();
        try (Arena arena = Arena.ofShared()) {
            MemorySegment a = arena.allocate((long) n * lda * Double.BYTES, 64);
            for (int i = 0; i < n; i++) {
                MemorySegment.copy(spd, i * n, a, ValueLayout.JAVA_DOUBLE, (long) i * lda * Double.BYTES, n);
            }
            blas.dpotrfInverse(a, n, lda, block, shares::add);
            double[] x = new double[n * n];
            for (int i = 0; i < n; i++) {
                for (int j = i; j < n; j++) {
                    x[i * n + j] = d(a, (long) i * lda + j);
                    x[j * n + i] = x[i * n + j];
                }
            }
            OpenBlasCholeskyTest.assertResidual("blocked dpotrfInverse n=" + n, spd, x, n, 4 * n * U_DOUBLE * KAPPA);
        }
        // one report per block (potri finishes within the watcher's first second at these sizes)
        int blocks = (n + block - 1) / block;
        assertTrue(shares.size() >= blocks, "reports " + shares);
        for (int t = 0; t < blocks; t++) {
            int columns = Math.min(n, (t + 1) * block);
            double expected = (1 - Math.pow((double) (n - columns) / n, 3)) / 3;
            assertEquals(expected, shares.get(t), 1e-12, "share after block " + t);
        }
        assertEquals(1.0 / 3, shares.get(blocks - 1), 1e-12, "the factorisation is a third of the flops");
        for (int t = blocks; t < shares.size(); t++) {
            assertTrue(shares.get(t) > 1.0 / 3 && shares.get(t) < 1, "potri's estimate " + shares.get(t));
        }
    }

    @Test
    void notPositiveDefiniteInALaterBlockNamesTheGlobalMinor() {
        OpenBlas blas = openBlasOrSkip();
        int n = 100;
        int order = 71; // in the fifth block of 16
        double[] spd = OpenBlasCholeskyTest.spd(n, KAPPA, 3);
        spd[(order - 1) * n + (order - 1)] = -1;
        try (Arena arena = Arena.ofShared()) {
            MemorySegment a = arena.allocateFrom(ValueLayout.JAVA_DOUBLE, spd);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> blas.dpotrfInverse(a, n, n, 16, done -> { }));
            assertTrue(e.getMessage().contains("leading minor of order " + order + " "), e.getMessage());
        }
    }

    @Test
    void nanOutsideTheDiagonalBlocksIsFound() {
        OpenBlas blas = openBlasOrSkip();
        int n = 100;
        double[] spd = OpenBlasCholeskyTest.spd(n, KAPPA, 4);
        spd[3 * n + 90] = Double.NaN; // row 3, column 90: upper triangle, first block's off-diagonal panel
        try (Arena arena = Arena.ofShared()) {
            MemorySegment a = arena.allocateFrom(ValueLayout.JAVA_DOUBLE, spd);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> blas.dpotrfInverse(a, n, n, 16, done -> { }));
            assertTrue(e.getMessage().contains("NaN"), e.getMessage());
        }
    }
}
