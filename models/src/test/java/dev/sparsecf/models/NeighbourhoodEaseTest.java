package dev.sparsecf.models;

import static dev.sparsecf.models.EaseTest.kernels;
import static dev.sparsecf.models.EaseTest.tinyClicks;
import static dev.sparsecf.testing.ErrorBounds.U_DOUBLE;
import static dev.sparsecf.testing.ErrorBounds.U_FLOAT;
import static dev.sparsecf.testing.ErrorBounds.gamma;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sparsecf.data.DataSplit;
import dev.sparsecf.data.IdMap;
import dev.sparsecf.eval.Metric;
import dev.sparsecf.kernels.CsrMatrix;
import dev.sparsecf.kernels.Kernels;
import dev.sparsecf.models.EaseTest.DenseEase;
import dev.sparsecf.models.ease.EaseFitter;
import dev.sparsecf.models.ease.EaseModel;
import dev.sparsecf.models.ease.LambdaSearch;
import dev.sparsecf.models.ease.Neighbourhoods;
import dev.sparsecf.models.ease.Precision;
import dev.sparsecf.models.ease.Selection;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Neighbourhood EASE ({@link Neighbourhoods}): every column is the ridge regression of its item on its K neighbours,
 * solved independently here by Gauss-Jordan in double; with K = n - 1 it is dense EASE; bad K and lone items are
 * reported; the sparse B goes through the model file and the lambda search.
 */
class NeighbourhoodEaseTest {

    private static final double LAMBDA = 2.5;

    /**
     * Column j against {@code (G_NN + lambda I)^-1 G_Nj} with N chosen here by sorting (count desc, index asc); with
     * capped Gram rows, G made here from each row's top items by sorting, plus the documented diagonal bounds. Both
     * solves are backward stable, so each is within {@code c k u kappa ||b||} of the exact solution (Higham 7.2);
     * with c = 4 for the Cholesky solve and the Gauss-Jordan inverse times a vector, plus the float32 store.
     */
    @ParameterizedTest(name = "K = {0}, Gram rows capped at {1} (0: whole)")
    @CsvSource({"1, 0", "3, 0", "8, 0", "29, 0", "1, 1", "3, 3", "3, 7", "8, 8", "8, 13", "20, 24"})
    void columnsAreRidgeRegressionsOnTheNeighbours(int k, int cap) {
        Kernels kernels = kernels("java");
        List<String> log = new ArrayList<>();
        try (CsrMatrix x = tinyClicks(11);
             Neighbourhoods nb = cap == 0 ? Neighbourhoods.prepare(x, k, kernels, log::add)
                     : Neighbourhoods.prepare(x, k, cap, kernels, log::add);
             EaseModel ease = nb.fit(LAMBDA, msg -> { })) {
            int n = x.cols();
            double[] whole = gram(x);
            double[] g = cap == 0 ? whole : cappedGram(whole, n, cap);
            double[] bound = new double[n]; // a capped row's smallest kept count: it bounds the counts it lost
            for (int i = 0; i < n; i++) {
                int[] top = neighbours(whole, n, i, n - 2);
                bound[i] = cap > 0 && top.length > cap ? whole[i * n + top[cap - 1]] : 0;
            }
            assertTrue(log.get(1).contains(cap == 0 ? "G_NN exact" : "rows capped at their top M = " + cap), log.get(1));
            float[] b = dense(ease.sparseWeights());
            for (int j = 0; j < n; j++) {
                int[] hood = neighbours(g, n, j, k);
                int m = hood.length;
                double[] a = new double[m * m];
                double[] rhs = new double[m];
                for (int s = 0; s < m; s++) {
                    rhs[s] = g[hood[s] * n + j];
                    for (int t = 0; t < m; t++) {
                        a[s * m + t] = g[hood[s] * n + hood[t]] + (s == t ? LAMBDA : 0);
                    }
                }
                for (int s = 0; s < m; s++) { // a pair missing from both capped rows: its bound on both diagonals
                    for (int t = s + 1; t < m; t++) {
                        double e = Math.min(bound[hood[s]], bound[hood[t]]);
                        if (a[s * m + t] == 0 && e > 0) {
                            a[s * m + s] += e;
                            a[t * m + t] += e;
                        }
                    }
                }
                double[] inv = DenseEase.gaussJordanInverse(a.clone(), m);
                double kappa = DenseEase.infinityNorm(a, m) * DenseEase.infinityNorm(inv, m);
                double[] want = new double[m];
                double norm = 0;
                for (int s = 0; s < m; s++) {
                    for (int t = 0; t < m; t++) {
                        want[s] += inv[s * m + t] * rhs[t];
                    }
                    norm = Math.max(norm, Math.abs(want[s]));
                }
                boolean[] inHood = new boolean[n];
                for (int s = 0; s < m; s++) {
                    inHood[hood[s]] = true;
                    double tol = U_FLOAT * Math.abs(want[s]) + 8 * gamma(3L * m + 1, U_DOUBLE) * kappa * norm;
                    float got = b[hood[s] * n + j];
                    if (!(Math.abs(got - want[s]) <= tol)) {
                        fail("K = " + k + ": B[" + hood[s] + "][" + j + "] = " + got + ", regression gives " + want[s]
                                + " (tolerance " + tol + ")");
                    }
                }
                for (int i = 0; i < n; i++) {
                    if (!inHood[i]) {
                        assertEquals(0f, b[i * n + j], "K = " + k + ": B[" + i + "][" + j + "] outside N(" + j + ")");
                    }
                }
            }
        }
    }

    /** K = n - 1: every other item is a neighbour, and B is dense EASE's (both in float64, then float32). */
    @Test
    void everyOtherItemGivesDenseEase() {
        Kernels kernels = kernels("java");
        try (CsrMatrix x = tinyClicks(7);
             EaseModel dense = EaseFitter.fit(x, LAMBDA, Precision.FLOAT64, kernels, msg -> { });
             Neighbourhoods nb = Neighbourhoods.prepare(x, x.cols() - 1, kernels, msg -> { });
             EaseModel sparse = nb.fit(LAMBDA, msg -> { })) {
            int n = x.cols();
            float[] want = dense.weights().toArray();
            float[] got = dense(sparse.sparseWeights());
            float max = 0;
            for (float v : want) {
                max = Math.max(max, Math.abs(v));
            }
            for (int t = 0; t < n * n; t++) {
                assertTrue(Math.abs(got[t] - want[t]) <= 1e-6 * max, "B[" + t / n + "][" + t % n + "] = " + got[t]
                        + ", dense EASE " + want[t]);
            }
            assertArrayEquals(dense.topK(x, 10), sparse.topK(x, 10));
        }
    }

    @Test
    void badNeighbourhoodSizesAndLoneItemsAreReported() {
        Kernels kernels = kernels("java");
        try (CsrMatrix x = CsrMatrix.binary(4, 5, new int[] {0, 2, 3, 5, 5}, new int[] {0, 1, 3, 0, 1})) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Neighbourhoods.prepare(x, 0, kernels, msg -> { }));
            assertEquals("EASE: the neighbourhood size K must be >= 1, got 0", e.getMessage());
            List<String> log = new ArrayList<>();
            try (Neighbourhoods nb = Neighbourhoods.prepare(x, 9, kernels, log::add);
                 EaseModel ease = nb.fit(LAMBDA, log::add)) {
                assertEquals("EASE: K = 9 neighbours is more than the 4 other items; using K = 4 (every other item:"
                        + " dense EASE)", log.get(0));
                // item 3 is alone in its row, items 2 and 4 are never clicked
                assertTrue(log.get(2).endsWith("; 3 items co-occur with no other item: their columns of B are zero"),
                        log.get(2));
                assertEquals(3, nb.emptyColumns());
                String report = ease.report().orElseThrow().format();
                assertTrue(report.contains("K = 4 neighbours") && report.contains("3 items with no co-occurring item"), report);
                float[] b = dense(ease.sparseWeights());
                for (int i = 0; i < 5; i++) {
                    for (int j : new int[] {2, 3, 4}) {
                        assertEquals(0f, b[i * 5 + j], "column " + j + " row " + i);
                    }
                }
            }
        }
    }

    @Test
    void modelFileHoldsTheSparseB(@TempDir Path dir) throws IOException {
        Kernels kernels = kernels("java");
        Path file = dir.resolve("ease.sparsecf");
        try (CsrMatrix x = tinyClicks(9);
             Neighbourhoods nb = Neighbourhoods.prepare(x, 6, kernels, msg -> { });
             EaseModel ease = nb.fit(LAMBDA, msg -> { })) {
            ModelFile.save(ease, IdMap.range(x.cols()), Map.of("dataset", "tiny"), file, false);
            try (ModelFile.LoadedEase loaded = (ModelFile.LoadedEase) ModelFile.load(file, kernels)) {
                EaseModel model = loaded.model();
                assertEquals(LAMBDA, model.lambda());
                assertEquals(6, model.neighbours());
                assertEquals(Optional.empty(), model.report());
                assertEquals("csr", loaded.metadata().get("weights"));
                assertArrayEquals(dense(ease.sparseWeights()), dense(model.sparseWeights()));
                assertArrayEquals(ease.score(x).toArray(), model.score(x).toArray());
                assertArrayEquals(ease.topK(x, 5), model.topK(x, 5));
            }
        }
    }

    /** The search shares one preparation across lambdas; its chosen model is sparse and scores as reported. */
    @Test
    void lambdaSearchFitsNeighbourhoods() {
        DataSplit split = EaseTest.smallSplit();
        List<String> log = new ArrayList<>();
        Selection sel = LambdaSearch.fitAndSelect(split, new double[] {10, 100}, 0, Precision.FLOAT64, 20,
                kernels("java"), log::add);
        try (EaseModel model = sel.model()) {
            assertTrue(model.isSparse());
            assertEquals(20, model.neighbours());
            assertEquals(sel.validationNdcg(), model.evaluate(split.validation(), LambdaSearch.SELECTION_K)
                    .mean(Metric.NDCG, LambdaSearch.SELECTION_K), 1e-12);
            assertEquals(1, log.stream().filter(l -> l.startsWith("EASE: sparse Gram")).count(), String.join("\n", log));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LambdaSearch.fitAndSelect(split,
                new double[] {10}, 0, Precision.FLOAT32, 20, kernels("java"), log::add));
        assertTrue(e.getMessage().contains("float64"), e.getMessage());
    }

    /** The dense Gram matrix {@code X^T X} (no lambda), in double. */
    static double[] gram(CsrMatrix x) {
        int n = x.cols();
        double[] g = new double[n * n];
        for (int u = 0; u < x.rows(); u++) {
            for (int p = x.rowStart(u); p < x.rowEnd(u); p++) {
                for (int q = x.rowStart(u); q < x.rowEnd(u); q++) {
                    g[x.col(p) * n + x.col(q)] += 1;
                }
            }
        }
        return g;
    }

    /**
     * G with row i's co-occurrences kept only for its top {@code cap} items (count desc, index asc), made symmetric:
     * {@code G_ij} stays where j is among i's top or i among j's, else 0; the diagonal stays.
     */
    private static double[] cappedGram(double[] g, int n, int cap) {
        double[] c = new double[n * n];
        for (int i = 0; i < n; i++) {
            c[i * n + i] = g[i * n + i];
            for (int j : neighbours(g, n, i, cap)) {
                c[i * n + j] = g[i * n + j];
                c[j * n + i] = g[j * n + i];
            }
        }
        return c;
    }

    /** A cap of n - 1 or more is the whole Gram matrix: the same B, bit for bit, as the default on a small catalogue. */
    @Test
    void capOfAllOtherItemsIsTheUncappedPath() {
        Kernels kernels = kernels("java");
        try (CsrMatrix x = tinyClicks(13);
             Neighbourhoods whole = Neighbourhoods.prepare(x, 8, kernels, msg -> { });
             Neighbourhoods capped = Neighbourhoods.prepare(x, 8, x.cols() - 1, kernels, msg -> { });
             EaseModel a = whole.fit(LAMBDA, msg -> { });
             EaseModel b = capped.fit(LAMBDA, msg -> { })) {
            assertArrayEquals(dense(a.sparseWeights()), dense(b.sparseWeights()));
        }
    }

    /** N(j): the k items i != j with the highest positive G_ij, ties to the lower index (all others when k >= n - 1). */
    private static int[] neighbours(double[] g, int n, int j, int k) {
        return IntStream.range(0, n).filter(i -> i != j && (k >= n - 1 || g[i * n + j] > 0)).boxed()
                .sorted(Comparator.<Integer>comparingDouble(i -> -g[i * n + j]).thenComparingInt(i -> i))
                .limit(k).mapToInt(Integer::intValue).toArray();
    }

    /** A dense row-major copy of a square CSR matrix. */
    static float[] dense(CsrMatrix b) {
        int n = b.cols();
        float[] d = new float[b.rows() * n];
        for (int i = 0; i < b.rows(); i++) {
            for (int p = b.rowStart(i); p < b.rowEnd(i); p++) {
                d[i * n + b.col(p)] = b.value(p);
            }
        }
        return d;
    }
}
