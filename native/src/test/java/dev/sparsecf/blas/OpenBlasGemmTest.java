package dev.sparsecf.blas;

import static dev.sparsecf.blas.OpenBlasTests.f;
import static dev.sparsecf.blas.OpenBlasTests.openBlasKernelsOrSkip;
import static dev.sparsecf.blas.OpenBlasTests.openBlasOrSkip;
import static dev.sparsecf.blas.OpenBlasTests.randomFloats;
import static dev.sparsecf.testing.ErrorBounds.U_FLOAT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sparsecf.kernels.DenseMatrix;
import dev.sparsecf.kernels.Kernels;
import dev.sparsecf.testing.ErrorBounds;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** OpenBLAS sgemm against a naive double-precision triple loop over transposes, alpha, beta and awkward sizes. */
class OpenBlasGemmTest {

    private static final int[] SIZES = {1, 7, 17, 103};
    /** Written into the padding of C (columns n..ldc-1); BLAS must never touch it. */
    static final float PAD = 12345.5f;

    static List<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (boolean transA : new boolean[] {false, true}) {
            for (boolean transB : new boolean[] {false, true}) {
                for (float alpha : new float[] {0, 1, 2}) {
                    for (float beta : new float[] {0, 1, 2}) {
                        out.add(Arguments.of(transA, transB, alpha, beta));
                    }
                }
            }
        }
        return out;
    }

    @ParameterizedTest(name = "transA={0} transB={1} alpha={2} beta={3}")
    @MethodSource("cases")
    void sgemmMatchesDoubleReference(boolean transA, boolean transB, float alpha, float beta) {
        checkAllSizes("cblas_sgemm", openBlasOrSkip()::sgemm, transA, transB, alpha, beta);
    }

    /** {@link #checkCase} for every m, n, k in {@link #SIZES}. */
    static void checkAllSizes(String name, BlasGemm.Sgemm sgemm, boolean transA, boolean transB, float alpha, float beta) {
        long seed = 1;
        for (int m : SIZES) {
            for (int n : SIZES) {
                for (int k : SIZES) {
                    checkCase(name, sgemm, transA, transB, m, n, k, alpha, beta, seed);
                    seed += 3;
                }
            }
        }
    }

    /**
     * One call of {@code sgemm} on seeded operands whose leading dimensions exceed the stored columns (a kernel that
     * ignored them would fail), C's padding set to {@link #PAD} and, for {@code beta == 0}, C set to NaN (BLAS must
     * not read it then), checked by {@link #checkAgainstReference}.
     */
    static void checkCase(String name, BlasGemm.Sgemm sgemm, boolean transA, boolean transB, int m, int n, int k,
                          float alpha, float beta, long seed) {
        checkCase(name, sgemm, transA, transB, m, n, k, alpha, beta, seed, (where, a, lda, b, ldb, c0, c, ldc) ->
                checkAgainstReference(where, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c0, c, ldc, PAD));
    }

    /** A check of one product's result {@code c} (C before the call: {@code c0}); C's padding holds {@link #PAD}. */
    @FunctionalInterface
    interface ResultCheck {
        void check(String where, MemorySegment a, int lda, MemorySegment b, int ldb, MemorySegment c0, MemorySegment c, int ldc);
    }

    /** As {@link #checkCase(String, BlasGemm.Sgemm, boolean, boolean, int, int, int, float, float, long)} with another check. */
    static void checkCase(String name, BlasGemm.Sgemm sgemm, boolean transA, boolean transB, int m, int n, int k,
                          float alpha, float beta, long seed, ResultCheck check) {
        try (Arena arena = Arena.ofConfined()) {
            int lda = (transA ? m : k) + 3;
            int ldb = (transB ? k : n) + 1;
            int ldc = n + 2;
            MemorySegment a = randomFloats(arena, (long) (transA ? k : m) * lda, seed);
            MemorySegment b = randomFloats(arena, (long) (transB ? n : k) * ldb, seed + 1);
            MemorySegment c = randomFloats(arena, (long) m * ldc, seed + 2);
            for (int i = 0; i < m; i++) {
                for (int j = n; j < ldc; j++) {
                    c.setAtIndex(ValueLayout.JAVA_FLOAT, (long) i * ldc + j, PAD);
                }
                if (beta == 0) {
                    for (int j = 0; j < n; j++) {
                        c.setAtIndex(ValueLayout.JAVA_FLOAT, (long) i * ldc + j, Float.NaN);
                    }
                }
            }
            MemorySegment c0 = arena.allocate(c.byteSize(), 64).copyFrom(c);
            sgemm.sgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
            String where = name + " m=" + m + " n=" + n + " k=" + k + " transA=" + transA + " transB=" + transB
                    + " alpha=" + alpha + " beta=" + beta;
            check.check(where, a, lda, b, ldb, c0, c, ldc);
        }
    }

    /**
     * Compares with the exact result of the float inputs computed in double. A float sgemm element is a
     * k-term dot product scaled by alpha plus a rounded beta*C, so its error is at most
     * gamma(k+3) * (|alpha| * (|op(A)| |op(B)|)ij + |beta * Cij|), gamma(j) = j*u / (1 - j*u) (Higham, Thm 3.5);
     * the padding of C past column n must still hold {@code pad}.
     */
    static void checkAgainstReference(String where, boolean transA, boolean transB, int m, int n, int k, float alpha,
            MemorySegment a, int lda, MemorySegment b, int ldb, float beta, MemorySegment c0, MemorySegment c, int ldc, float pad) {
        double gamma = ErrorBounds.gamma(k + 3, U_FLOAT);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double dot = 0;
                double abs = 0;
                for (int p = 0; p < k; p++) {
                    double x = f(a, transA ? (long) p * lda + i : (long) i * lda + p);
                    double y = f(b, transB ? (long) j * ldb + p : (long) p * ldb + j);
                    dot += x * y;
                    abs += Math.abs(x * y);
                }
                double old = beta == 0 ? 0 : beta * (double) f(c0, (long) i * ldc + j);
                double expected = alpha * dot + old;
                double bound = gamma * (Math.abs(alpha) * abs + Math.abs(old));
                float actual = f(c, (long) i * ldc + j);
                if (!(Math.abs(actual - expected) <= bound)) {
                    fail(where + ": C[" + i + "][" + j + "] = " + actual + ", expected " + expected + " +- " + bound);
                }
            }
            for (int j = n; j < ldc; j++) {
                assertEquals(pad, f(c, (long) i * ldc + j), where + ": padding C[" + i + "][" + j + "] was written");
            }
        }
    }

    @Test
    void facadeUsesLdAndShapes() {
        Kernels kernels = openBlasKernelsOrSkip();
        int m = 17;
        int n = 103;
        int k = 7;
        // A stored k x m (transA), B stored k x n; DenseMatrix pads ld to 16-float multiples.
        try (DenseMatrix a = DenseMatrix.allocate(k, m); DenseMatrix b = DenseMatrix.allocate(k, n);
                DenseMatrix c = DenseMatrix.allocate(m, n); Arena arena = Arena.ofConfined()) {
            fillRandom(a, 11);
            fillRandom(b, 12);
            fillRandom(c, 13);
            MemorySegment c0 = arena.allocate(c.segment().byteSize(), 64).copyFrom(c.segment());
            kernels.gemm(true, false, 2f, a, b, 1f, c);
            assertFacadeResult("Kernels.gemm(transA) on OpenBLAS " + a + " " + b + " " + c, true, false, 2f, a, b, 1f, c0, c);
        }
    }

    /** {@link #checkAgainstReference} for a facade GEMM on DenseMatrix operands, whose padding is zero. */
    static void assertFacadeResult(String where, boolean transA, boolean transB, float alpha, DenseMatrix a, DenseMatrix b,
                                   float beta, MemorySegment c0, DenseMatrix c) {
        checkAgainstReference(where, transA, transB, c.rows(), c.cols(), transA ? a.rows() : a.cols(), alpha, a.segment(), a.ld(),
                b.segment(), b.ld(), beta, c0, c.segment(), c.ld(), 0f);
    }

    @Test
    void facadeShapeMismatchNamesTheShapes() {
        Kernels kernels = openBlasKernelsOrSkip();
        try (DenseMatrix a = DenseMatrix.allocate(3, 4); DenseMatrix b = DenseMatrix.allocate(5, 6);
                DenseMatrix c = DenseMatrix.allocate(3, 6)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> kernels.gemm(false, false, 1f, a, b, 0f, c));
            assertTrue(e.getMessage().contains("op(A) is 3x4") && e.getMessage().contains("op(B) is 5x6"), e.getMessage());
        }
    }

    @Test
    void zeroInnerDimensionScalesCByBeta() {
        OpenBlas blas = openBlasOrSkip();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment none = arena.allocate(0);
            MemorySegment c = arena.allocateFrom(ValueLayout.JAVA_FLOAT, 1, 2, 3, 4, 5, 6);
            blas.sgemm(false, false, 3, 2, 0, 1f, none, 1, none, 2, 2f, c, 2); // k = 0: C = beta * C
            for (int i = 0; i < 6; i++) {
                assertEquals(2f * (i + 1), f(c, i), "C[" + i + "] after k = 0");
            }
        }
    }

    static void assertMessage(String expected, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expected), "message '" + e.getMessage() + "' should contain '" + expected + "'");
    }

    private static void fillRandom(DenseMatrix m, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < m.rows(); i++) {
            for (int j = 0; j < m.cols(); j++) {
                m.set(i, j, (float) rnd.nextDouble(-1, 1));
            }
        }
    }
}
