package dev.sparsecf.kernels;

import static dev.sparsecf.kernels.OffHeapMatrices.assertPaddingIntact;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sparsecf.testing.DoubleReference;
import dev.sparsecf.testing.TestMatrices;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link Kernels#spmmTransposeAccumulate}: accuracy against the double reference, and bitwise determinism. */
class SpmmTransposeTest {

    /** Columns of A (rows of G); one CSR row sets all of them. */
    private static final int K = 37;

    /** Thread counts that split G's columns differently (5 does not divide the chunk count evenly). */
    private static final int[] THREADS = {1, 2, 3, 5};

    static Stream<Arguments> cases() {
        return SparseProductChecks.cases(KernelImpls.AWKWARD_COLUMNS);
    }

    @ParameterizedTest(name = "{0}, {1}, {2}")
    @MethodSource("cases")
    void accumulatesLikeDoubleReference(String impl, int n, boolean weighted) {
        Problem pb = new Problem(n, weighted);
        float[] g = run(KernelImpls.kernels(impl, 2), pb, impl);
        pb.check(impl + " (2 threads)", g);
    }

    /** Column counts where the thread split creates chunks of different widths and a masked tail. */
    static Stream<Arguments> determinismCases() {
        return SparseProductChecks.cases(List.of(KernelImpls.LANES + 1, 2 * KernelImpls.LANES + 1, 1021, 20_108));
    }

    @ParameterizedTest(name = "{0}, {1}, {2}")
    @MethodSource("determinismCases")
    void isBitIdenticalForEveryThreadCount(String impl, int n, boolean weighted) {
        Problem pb = new Problem(n, weighted);
        float[] first = run(KernelImpls.kernels(impl, THREADS[0]), pb, impl);
        pb.check(impl + " (" + THREADS[0] + " thread)", first);
        for (int t = 1; t < THREADS.length; t++) {
            float[] other = run(KernelImpls.kernels(impl, THREADS[t]), pb, impl);
            for (int e = 0; e < first.length; e++) {
                if (Float.floatToRawIntBits(first[e]) != Float.floatToRawIntBits(other[e])) {
                    fail(impl + " spmmTranspose, n=" + n + ": G[" + e / n + "][" + e % n + "] is " + first[e] + " with "
                            + THREADS[0] + " thread but " + other[e] + " with " + THREADS[t] + " threads");
                }
            }
        }
    }

    /**
     * The kernel contract is stronger than the facade's thread split (which cuts at multiples of 16 columns): any
     * column range gives the same bits, so splits at odd columns, inside a vector, must agree with one call.
     */
    @ParameterizedTest(name = "{0}, {1}, {2}")
    @MethodSource("determinismCases")
    void kernelIsBitIdenticalForAnyColumnSplit(String impl, int n, boolean weighted) {
        Problem pb = new Problem(n, weighted);
        SpmmTransposeKernel kernel = KernelImpls.kernels(impl, 1).provider().spmmTranspose();
        int lanes = KernelImpls.LANES;
        int[] cuts = IntStream.of(0, 1, lanes - 1, lanes + 3, 2 * lanes + 5, n / 2 + 1, n)
                .filter(c -> c >= 0 && c <= n).distinct().sorted().toArray();
        try (CsrMatrix a = OffHeapMatrices.csr(K, pb.rows, pb.weights);
             DenseMatrix d = OffHeapMatrices.dense(pb.rows.length, n, pb.d);
             DenseMatrix whole = OffHeapMatrices.dense(K, n, pb.g0);
             DenseMatrix split = OffHeapMatrices.dense(K, n, pb.g0)) {
            kernel.spmmTransposeAccumulate(a, d, whole, 0, n);
            for (int c = 0; c + 1 < cuts.length; c++) {
                kernel.spmmTransposeAccumulate(a, d, split, cuts[c], cuts[c + 1]);
            }
            float[] w = whole.toArray();
            float[] s = split.toArray();
            for (int e = 0; e < w.length; e++) {
                if (Float.floatToRawIntBits(w[e]) != Float.floatToRawIntBits(s[e])) {
                    fail(impl + " spmmTranspose kernel, n=" + n + ": G[" + e / n + "][" + e % n + "] is " + w[e]
                            + " in one call but " + s[e] + " with column cuts " + Arrays.toString(cuts));
                }
            }
            assertPaddingIntact(split, impl + " spmmTranspose G (split)");
        }
    }

    /** Runs {@code G = G0; G += A^T D} and returns G row-major. */
    private static float[] run(Kernels kernels, Problem pb, String impl) {
        try (CsrMatrix a = OffHeapMatrices.csr(K, pb.rows, pb.weights);
             DenseMatrix d = OffHeapMatrices.dense(pb.rows.length, pb.n, pb.d);
             DenseMatrix g = OffHeapMatrices.dense(K, pb.n, pb.g0)) {
            kernels.spmmTransposeAccumulate(a, d, g);
            assertPaddingIntact(g, impl + " spmmTranspose G");
            return g.toArray();
        }
    }

    /** A seeded {@code A (m x K)}, {@code D (m x n)} and non-zero starting {@code G0 (K x n)}. */
    private static final class Problem {
        final int n;
        final int[][] rows;
        final float[][] weights;
        final float[] d;
        final float[] g0;

        Problem(int n, boolean weighted) {
            SplittableRandom rnd = new SplittableRandom(17L * n + (weighted ? 1 : 0));
            this.n = n;
            this.rows = TestMatrices.rowPatterns(rnd, K);
            this.weights = weighted ? TestMatrices.weights(rnd, rows, -2f, 2f) : null;
            this.d = TestMatrices.uniform(rnd, rows.length * n, -1f, 1f);
            this.g0 = TestMatrices.uniform(rnd, K * n, -1f, 1f);
        }

        void check(String what, float[] g) {
            double[] expected = DoubleReference.spmmTransposeAccumulate(rows, weights, d, g0, n, false);
            double[] magnitude = DoubleReference.spmmTransposeAccumulate(rows, weights, d, g0, n, true);
            int[] colNnz = new int[K];
            for (int[] row : rows) {
                for (int c : row) {
                    colNnz[c]++;
                }
            }
            SparseProductChecks.assertWithinLinearBound(what + " spmmTranspose", "G", g, expected, magnitude, K, n, k -> colNnz[k],
                    "column nnz");
        }
    }
}
