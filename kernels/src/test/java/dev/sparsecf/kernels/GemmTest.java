package dev.sparsecf.kernels;

import static dev.sparsecf.kernels.OffHeapMatrices.assertPaddingIntact;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sparsecf.testing.ErrorBounds;
import dev.sparsecf.testing.TestMatrices;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Kernels#gemm}: every implementation against a double reference, every transpose, awkward shapes; the
 * native module runs it again with the OpenBLAS tier ({@code OpenBlasGemmAgreementTest}).
 */
class GemmTest {

    /** Edge sizes: 1, around one 16-float vector (and a 48-column register tile's thirds), a prime. */
    private static final int[] SIZES = {1, 15, 16, 17, 33, 103};
    private static final float[] SCALARS = {0f, 1f, 2f};

    /** Shape grid: every (m, n) pair of {@link #SIZES} with k cycling through them, for every transpose pair. */
    static Stream<Arguments> grid() {
        Stream.Builder<Arguments> cases = Stream.builder();
        for (Named<String> impl : KernelImpls.denseLegs()) {
            int t = 0;
            for (boolean transA : new boolean[] {false, true}) {
                for (boolean transB : new boolean[] {false, true}) {
                    for (int mi = 0; mi < SIZES.length; mi++) {
                        for (int ni = 0; ni < SIZES.length; ni++) {
                            int k = SIZES[(mi + 2 * ni) % SIZES.length];
                            float alpha = SCALARS[t % 3];
                            float beta = SCALARS[(t / 3) % 3];
                            t++;
                            cases.add(Arguments.of(impl, transA, transB, SIZES[mi], SIZES[ni], k, alpha, beta));
                        }
                    }
                }
            }
        }
        return cases.build();
    }

    @ParameterizedTest(name = "{0}, transA={1}, transB={2}, m={3}, n={4}, k={5}, alpha={6}, beta={7}")
    @MethodSource("grid")
    void agreesWithDoubleReference(String impl, boolean transA, boolean transB, int m, int n, int k, float alpha, float beta) {
        check(KernelImpls.kernels(impl, 2), transA, transB, m, n, k, alpha, beta);
    }

    /** Every alpha, beta in {0, 1, 2} on one awkward shape, per transpose pair. */
    static Stream<Arguments> scalars() {
        Stream.Builder<Arguments> cases = Stream.builder();
        for (Named<String> impl : KernelImpls.denseLegs()) {
            for (boolean transA : new boolean[] {false, true}) {
                for (boolean transB : new boolean[] {false, true}) {
                    for (float alpha : SCALARS) {
                        for (float beta : SCALARS) {
                            cases.add(Arguments.of(impl, transA, transB, alpha, beta));
                        }
                    }
                }
            }
        }
        return cases.build();
    }

    @ParameterizedTest(name = "{0}, transA={1}, transB={2}, alpha={3}, beta={4}")
    @MethodSource("scalars")
    void everyAlphaBeta(String impl, boolean transA, boolean transB, float alpha, float beta) {
        check(KernelImpls.kernels(impl, 2), transA, transB, 17, 33, 103, alpha, beta);
    }

    /**
     * Mult-VAE output-layer shapes shrunk 10x (batch 50, hidden 60, 2011 items): the forward product, and the
     * two gradient products dW = H^T dZ and dH = dZ W^T. They span several k slices, C column blocks and threads.
     */
    static Stream<Arguments> multVae() {
        Stream.Builder<Arguments> cases = Stream.builder();
        for (Named<String> impl : KernelImpls.denseLegs()) {
            cases.add(Arguments.of(impl, Named.of("forward H W", false), false, 50, 2011, 60));
            cases.add(Arguments.of(impl, Named.of("dW = H^T dZ", true), false, 60, 2011, 50));
            cases.add(Arguments.of(impl, Named.of("dH = dZ W^T", false), true, 50, 60, 2011));
            cases.add(Arguments.of(impl, Named.of("tall (more rows than a row block)", false), false, 1201, 35, 7));
        }
        return cases.build();
    }

    @ParameterizedTest(name = "{0}, {1}: m={3}, n={4}, k={5}")
    @MethodSource("multVae")
    void multVaeShapes(String impl, boolean transA, boolean transB, int m, int n, int k) {
        check(KernelImpls.kernels(impl, 2), transA, transB, m, n, k, 1f, 0f);
        check(KernelImpls.kernels(impl, 2), transA, transB, m, n, k, 2f, 1f);
    }

    /** k = 0 leaves {@code beta * C} (zeros for beta = 0, whatever C held); empty C is a no-op. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.sparsecf.kernels.KernelImpls#denseLegs")
    void degenerateShapes(String impl) {
        Kernels kernels = KernelImpls.kernels(impl, 2);
        for (boolean transA : new boolean[] {false, true}) {
            for (boolean transB : new boolean[] {false, true}) {
                check(kernels, transA, transB, 5, 40, 0, 2f, 0f);
                check(kernels, transA, transB, 5, 40, 0, 2f, 2f);
                check(kernels, transA, transB, 0, 40, 7, 1f, 1f);
                check(kernels, transA, transB, 5, 0, 7, 1f, 1f);
            }
        }
    }

    /** Large enough to be split across threads: every thread count must give the same bits. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.sparsecf.kernels.KernelImpls#legs")
    void sameBitsForEveryThreadCount(String impl) {
        int m = 40;
        int n = 1500;
        int k = 300;
        SplittableRandom rnd = new SplittableRandom(7);
        try (DenseMatrix a = OffHeapMatrices.dense(m, k, TestMatrices.uniform(rnd, m * k, -1f, 1f));
             DenseMatrix b = OffHeapMatrices.dense(n, k, TestMatrices.uniform(rnd, n * k, -1f, 1f))) {
            float[] first = null;
            for (int threads : new int[] {1, 2, 3}) {
                try (DenseMatrix c = OffHeapMatrices.output(m, n)) {
                    KernelImpls.kernels(impl, threads).gemm(false, true, 1f, a, b, 0f, c);
                    float[] got = c.toArray();
                    if (first == null) {
                        first = got;
                    } else {
                        assertArrayEquals(first, got, impl + ": " + threads + " threads differ from 1 thread");
                    }
                }
            }
        }
    }

    /**
     * {@link Kernels#rowInvariant()}: every row of an m-row product has the bits of that row's own one-row product,
     * for rows at every position of the register tiles, both op(A), and k past one k slice; and its GEMM is a Java
     * tier whatever the leg's.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.sparsecf.kernels.KernelImpls#denseLegs")
    void rowInvariantGemmGivesEveryRowTheBitsOfItsOwnProduct(String impl) {
        Kernels kernels = KernelImpls.kernels(impl, 2).rowInvariant();
        assertFalse(kernels.blas().gemmIsNative(), impl + ": " + kernels.denseImplementationName());
        int n = 103;
        int k = 601;
        SplittableRandom rnd = new SplittableRandom(11);
        try (DenseMatrix b = OffHeapMatrices.dense(n, k, TestMatrices.uniform(rnd, n * k, -1f, 1f))) {
            for (int m : new int[] {2, 9, 17, 40}) {
                float[] av = TestMatrices.uniform(rnd, m * k, -1f, 1f);
                for (boolean transA : new boolean[] {false, true}) {
                    float[] all = product(kernels, transA, av, m, k, b);
                    for (int i = 0; i < m; i++) {
                        float[] row = Arrays.copyOfRange(av, i * k, (i + 1) * k);
                        float[] own = product(kernels, transA, row, 1, k, b);
                        assertArrayEquals(own, Arrays.copyOfRange(all, i * n, (i + 1) * n),
                                impl + " transA=" + transA + ": row " + i + " of " + m + " differs from its own product");
                    }
                }
            }
        }
    }

    /** {@code op(A) B^T} for op(A) = the m x k row-major {@code rows}, stored as given or transposed. */
    private static float[] product(Kernels kernels, boolean transA, float[] rows, int m, int k, DenseMatrix b) {
        float[] stored = rows;
        if (transA) {
            stored = new float[m * k];
            for (int i = 0; i < m; i++) {
                for (int p = 0; p < k; p++) {
                    stored[p * m + i] = rows[i * k + p];
                }
            }
        }
        try (DenseMatrix a = transA ? OffHeapMatrices.dense(k, m, stored) : OffHeapMatrices.dense(m, k, stored);
             DenseMatrix c = OffHeapMatrices.output(m, b.rows())) {
            kernels.gemm(transA, true, 1f, a, b, 0f, c);
            return c.toArray();
        }
    }

    @Test
    void rejectsMismatchedShapes() {
        Kernels kernels = Kernels.get();
        try (DenseMatrix a = DenseMatrix.allocate(3, 4); DenseMatrix b = DenseMatrix.allocate(5, 6);
             DenseMatrix c = DenseMatrix.allocate(3, 6); DenseMatrix bt = DenseMatrix.allocate(6, 4);
             DenseMatrix square = DenseMatrix.allocate(4, 4)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> kernels.gemm(false, false, 1f, a, b, 0f, c));
            assertTrue(e.getMessage().contains("inner dimensions differ: op(A) is 3x4") && e.getMessage().contains("op(B) is 5x6"),
                    e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> kernels.gemm(false, true, 1f, a, bt, 0f, b));
            assertTrue(e.getMessage().contains("gemm: C is 5x6, expected 3x6"), e.getMessage());
            kernels.gemm(false, true, 1f, a, bt, 0f, c); // the right shapes pass
            e = assertThrows(IllegalArgumentException.class, () -> kernels.gemm(false, false, 1f, square, bt.rows(0, 4), 0f, square));
            assertTrue(e.getMessage().contains("gemm: C and A share memory"), e.getMessage());
        }
    }

    /** Runs one product and compares every element with the double reference within the derived bound. */
    private static void check(Kernels kernels, boolean transA, boolean transB, int m, int n, int k, float alpha, float beta) {
        SplittableRandom rnd = new SplittableRandom(1_000_003L * m + 1_009L * n + k + (transA ? 17 : 0) + (transB ? 29 : 0));
        int aRows = transA ? k : m;
        int aCols = transA ? m : k;
        int bRows = transB ? n : k;
        int bCols = transB ? k : n;
        float[] av = TestMatrices.uniform(rnd, aRows * aCols, -1f, 1f);
        float[] bv = TestMatrices.uniform(rnd, bRows * bCols, -1f, 1f);
        float[] cv = TestMatrices.uniform(rnd, m * n, -1f, 1f);
        String what = kernels.implementationName() + " gemm transA=" + transA + " transB=" + transB + " m=" + m + " n=" + n
                + " k=" + k + " alpha=" + alpha + " beta=" + beta;
        try (DenseMatrix a = OffHeapMatrices.dense(aRows, aCols, av); DenseMatrix b = OffHeapMatrices.dense(bRows, bCols, bv);
             DenseMatrix c = beta == 0f ? OffHeapMatrices.output(m, n) : OffHeapMatrices.dense(m, n, cv)) {
            kernels.gemm(transA, transB, alpha, a, b, beta, c);
            assertPaddingIntact(c, what);
            assertPaddingIntact(a, what + " (A)");
            assertPaddingIntact(b, what + " (B)");
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double sum = 0;
                    double mag = 0;
                    for (int p = 0; p < k; p++) {
                        double term = (double) av[transA ? p * aCols + i : i * aCols + p]
                                * bv[transB ? j * bCols + p : p * bCols + j];
                        sum += term;
                        mag += Math.abs(term);
                    }
                    double c0 = beta == 0f ? 0 : cv[i * n + j];
                    double expected = alpha * sum + beta * c0;
                    double magnitude = Math.abs(alpha) * mag + Math.abs(beta * c0);
                    double got = c.get(i, j);
                    if (!(Math.abs(got - expected) <= bound(k, magnitude))) {
                        fail(what + ": C[" + i + "][" + j + "] = " + got + ", expected " + expected + " within "
                                + bound(k, magnitude));
                    }
                }
            }
        }
    }

    /**
     * Error bound for one element. A kernel may sum k in slices: each product is rounded at most k times inside
     * its slice's running sum, once by alpha, once when its slice is added to C, and once more for every later
     * slice (at most k - 1); beta * C0 is rounded once and then like a slice. So at most {@code 2k + 3} roundings
     * touch any term: {@code |err| <= gamma(2k + 3) * (|alpha| sum_p |a_ip b_pj| + |beta c0_ij|)} (Higham, Lemma
     * 3.4 style), plus the double reference's own {@code gamma(k + 3)} and half a denormal per operation.
     */
    private static double bound(int k, double magnitude) {
        return (ErrorBounds.gamma(2L * k + 3, ErrorBounds.U_FLOAT) + ErrorBounds.gamma(k + 3, ErrorBounds.U_DOUBLE)) * magnitude
                + (2 * k + 3) * (double) Float.MIN_VALUE;
    }
}
