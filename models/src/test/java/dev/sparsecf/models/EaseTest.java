package dev.sparsecf.models;

import static dev.sparsecf.testing.ErrorBounds.U_DOUBLE;
import static dev.sparsecf.testing.ErrorBounds.U_FLOAT;
import static dev.sparsecf.testing.ErrorBounds.gamma;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.sparsecf.data.DataSplit;
import dev.sparsecf.data.IdMap;
import dev.sparsecf.data.Interactions;
import dev.sparsecf.data.SplitConfig;
import dev.sparsecf.eval.Metric;
import dev.sparsecf.kernels.BlasProvider;
import dev.sparsecf.kernels.CsrMatrix;
import dev.sparsecf.kernels.DenseMatrix;
import dev.sparsecf.kernels.Kernels;
import dev.sparsecf.kernels.synthetic.SyntheticClicks;
import dev.sparsecf.models.ease.Candidate;
import dev.sparsecf.models.ease.EaseFitter;
import dev.sparsecf.models.ease.EaseModel;
import dev.sparsecf.models.ease.Edge;
import dev.sparsecf.models.ease.FitReport;
import dev.sparsecf.models.ease.LambdaSearch;
import dev.sparsecf.models.ease.Lambdas;
import dev.sparsecf.models.ease.Precision;
import dev.sparsecf.models.ease.Selection;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link EaseFitter} and {@link EaseModel} on small random data against a dense double-precision EASE computed here, and its argument checks. */
class EaseTest {


    /**
     * The backend {@code blas} ({@code java}, {@code openblas}, or null for the one {@code -Dsparsecf.blas} selects)
     * over {@link Kernels#get()}, which follows {@code -Dsparsecf.kernels}, so the scalar surefire run checks the
     * scalar inverse. The OpenBLAS leg is skipped under {@code -Dsparsecf.blas=java}, which rules native code out.
     * OpenBLAS gets one thread: with two, it slowed down 8-60x whenever the other core was busy (measured at
     * n = 1,403 on the shared 2-core machine), which would make test times erratic.
     */
    static Kernels kernels(String blas) {
        String flag = System.getProperty(BlasProvider.BLAS_PROPERTY, "auto").trim();
        if ("openblas".equals(blas)) {
            assumeFalse(flag.equalsIgnoreCase("java"),
                    "OpenBLAS leg skipped: -D" + BlasProvider.BLAS_PROPERTY + "=java selects the pure-Java kernels");
        }
        String tier = blas == null ? flag : blas;
        Kernels process = Kernels.get();
        return tier.equalsIgnoreCase("java") ? Kernels.create(process.implementationName(), "java", process.threads())
                : Kernels.create(process.implementationName(), tier, 1);
    }

    static Stream<Arguments> backends() {
        return Stream.of(Arguments.of("java", Precision.FLOAT64), Arguments.of("openblas", Precision.FLOAT64),
                Arguments.of("openblas", Precision.FLOAT32));
    }

    /** 57 users x 31 items, about 30% dense; item 4 is never clicked and user 6 clicks nothing. */
    static CsrMatrix tinyClicks(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int items = 31;
        CsrMatrix.Builder b = CsrMatrix.builder(items);
        for (int u = 0; u < 57; u++) {
            List<Integer> row = new ArrayList<>();
            for (int i = 0; i < items; i++) {
                if (u != 6 && i != 4 && rnd.nextDouble() < 0.3) {
                    row.add(i);
                }
            }
            b.addRow(row.stream().mapToInt(Integer::intValue).toArray());
        }
        return b.build();
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("backends")
    void matchesDenseDoubleEase(String blas, Precision precision) {
        double lambda = 2.5;
        try (CsrMatrix x = tinyClicks(7); EaseModel ease = EaseFitter.fit(x, lambda, precision, kernels(blas), msg -> { })) {
            DenseEase ref = DenseEase.fit(x, lambda);
            int n = x.cols();
            // The computed inverse (Cholesky based) and the reference (Gauss-Jordan) are each within
            // 4 n u kappa ||P|| of P in every element (normwise bound, Higham 14.1-14.4), u of the precision the
            // inverse ran in, the reference's in double. B_ij = -P_ij / P_jj then moves by at most
            // delta (1 + |B_ij|) / (P_jj - delta); the float32 store and the double scaling add u_f and 2 u_d.
            double u = precision == Precision.FLOAT32 ? U_FLOAT : U_DOUBLE;
            double delta = 4 * n * (u + U_DOUBLE) * ref.kappa() * ref.normP();
            DenseMatrix b = ease.weights();
            assertEquals(n, b.rows());
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double want = ref.b(i, j);
                    double tol = (U_FLOAT + 2 * U_DOUBLE) * Math.abs(want)
                            + delta * (1 + Math.abs(want)) / (ref.p(j, j) - delta);
                    float got = b.get(i, j);
                    if (!(Math.abs(got - want) <= tol)) {
                        fail(blas + "/" + precision + ": B[" + i + "][" + j + "] = " + got + ", dense double EASE gives " + want
                                + " (tolerance " + tol + ")");
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("backends")
    void diagonalIsZeroAndUnclickedItemsGetNoWeight(String blas, Precision precision) {
        try (CsrMatrix x = tinyClicks(11); EaseModel ease = EaseFitter.fit(x, 0.5, precision, kernels(blas), msg -> { })) {
            DenseMatrix b = ease.weights();
            for (int i = 0; i < b.rows(); i++) {
                assertEquals(0f, b.get(i, i), "B[" + i + "][" + i + "]");
                // item 4 has no clicks: its Gram row is lambda e_4, so P's row and column 4 are zero off the diagonal
                if (i != 4) {
                    assertEquals(0f, b.get(4, i), 0f, "B[4][" + i + "]"); // -0 included: 0 * (-1 / P_jj)
                    assertEquals(0f, b.get(i, 4), 0f, "B[" + i + "][4]");
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, -1, Double.NaN, Double.POSITIVE_INFINITY})
    void lambdaMustBePositiveAndFinite(double lambda) {
        try (CsrMatrix x = tinyClicks(1)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> EaseFitter.fit(x, lambda, kernels("java"), msg -> { }));
            assertTrue(e.getMessage().startsWith("EASE: lambda must be a positive finite number"), e.getMessage());
            assertTrue(e.getMessage().endsWith("got " + lambda), e.getMessage());
        }
    }

    @Test
    void weightedInputIsRejected() {
        try (CsrMatrix x = CsrMatrix.builder(3).addRow(new int[] {0, 2}, new float[] {1f, 4f}).build()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> EaseFitter.fit(x, 1, kernels("java"), msg -> { }));
            assertTrue(e.getMessage().startsWith("EASE: X must be binary"), e.getMessage());
        }
    }

    @Test
    void float32NeedsOpenBlas() {
        try (CsrMatrix x = tinyClicks(1)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> EaseFitter.fit(x, 1, Precision.FLOAT32, kernels("java"), msg -> { }));
            assertTrue(e.getMessage().contains("float32 factorisation needs OpenBLAS"), e.getMessage());
        }
    }

    @Test
    void progressNamesEveryPhase() {
        List<String> lines = new ArrayList<>();
        try (CsrMatrix x = tinyClicks(3); EaseModel ease = EaseFitter.fit(x, 1, kernels("java"), lines::add)) {
            String all = String.join("\n", lines);
            for (String phase : new String[] {"Gram", "factorise+invert", "B written", "off-heap peak"}) {
                assertTrue(all.contains(phase), phase + " in:\n" + all);
            }
            FitReport r = ease.report().orElseThrow();
            assertEquals(31, r.items());
            assertEquals(57, r.users());
            // one 31 x 32 double buffer plus B: 31 rows of 32 floats
            assertEquals(31L * 32 * Double.BYTES + 31L * 32 * Float.BYTES, r.offHeapPeakBytes());
            assertTrue(r.totalNanos() >= r.invertNanos() && r.invertNanos() > 0, r.format());
        }
    }

    @Test
    void scoresAreTheSumOfTheClickedItemsRowsOfB() {
        try (CsrMatrix x = tinyClicks(5); EaseModel ease = EaseFitter.fit(x, 3, kernels("java"), msg -> { })) {
            DenseMatrix b = ease.weights();
            int n = x.cols();
            for (int rows : new int[] {x.rows(), 3, x.rows()}) { // shrink and regrow: the buffer is reused
                CsrMatrix batch = x.rows(0, rows);
                DenseMatrix s = ease.score(batch);
                assertEquals(rows, s.rows());
                for (int u = 0; u < rows; u++) {
                    for (int j = 0; j < n; j++) {
                        double want = 0;
                        double mag = 0;
                        for (int p = batch.rowStart(u); p < batch.rowEnd(u); p++) {
                            want += b.get(batch.col(p), j);
                            mag += Math.abs(b.get(batch.col(p), j));
                        }
                        // a float sum of r terms errs by at most gamma(r) sum |terms| (Higham 3.5)
                        double tol = gamma(batch.rowNnz(u), U_FLOAT) * mag;
                        assertEquals(want, s.get(u, j), tol, "S[" + u + "][" + j + "] with " + rows + " rows");
                    }
                }
            }
            int k = 5;
            int[] top = ease.topK(x, k);
            for (int u = 0; u < x.rows(); u++) {
                for (int r = 0; r < k; r++) {
                    int item = top[u * k + r];
                    for (int p = x.rowStart(u); p < x.rowEnd(u); p++) {
                        assertTrue(item != x.col(p), "user " + u + " gets clicked item " + item + " recommended");
                    }
                }
            }
        }
    }

    @Test
    void closedModelCannotScore() {
        try (CsrMatrix x = tinyClicks(2)) {
            EaseModel ease = EaseFitter.fit(x, 1, kernels("java"), msg -> { });
            ease.close();
            ease.close(); // idempotent
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> ease.score(x));
            assertEquals("EASE model is closed", e.getMessage());
        }
    }

    @Test
    void modelFileHoldsBAndLambda(@TempDir Path dir) throws IOException {
        Kernels kernels = kernels("java");
        Path file = dir.resolve("ease.sparsecf");
        try (CsrMatrix x = tinyClicks(9); EaseModel ease = EaseFitter.fit(x, 2.5, kernels, msg -> { })) {
            ModelFile.save(ease, IdMap.range(x.cols()), Map.of("dataset", "tiny"), file, false);
            try (ModelFile.LoadedEase loaded = (ModelFile.LoadedEase) ModelFile.load(file, kernels)) {
                assertEquals(2.5, loaded.model().lambda());
                assertEquals(Optional.empty(), loaded.model().report(), "a loaded model was not fitted here");
                assertEquals("tiny", loaded.metadata().get("dataset"));
                assertEquals(IdMap.range(x.cols()), loaded.items());
                assertArrayEquals(ease.weights().toArray(), loaded.model().weights().toArray());
                assertArrayEquals(ease.topK(x, 5), loaded.model().topK(x, 5));
            }
        }
    }

    /** A 900 x 150 synthetic split, small enough to fit EASE dozens of times in a test. */
    static DataSplit smallSplit() {
        try (CsrMatrix clicks = SyntheticClicks.generate(900, 150, 15, 3)) {
            return DataSplit.create(Interactions.fromCsr("synthetic 900 x 150", clicks), SplitConfig.defaults(0));
        }
    }

    /**
     * Lambda selection on the grid only, with the candidates in both orders: whichever wins, the returned model is
     * the one fitted with it (refitted unless it came last) and scores the validation users as reported.
     */
    @Test
    void fitAndSelectReturnsTheModelOfTheBestValidationLambda() {
        DataSplit split = smallSplit();
        for (double[] lambdas : new double[][] {{1, 40, 2_000}, {2_000, 40, 1}}) {
            List<String> log = new ArrayList<>();
            Selection sel = LambdaSearch.fitAndSelect(split, lambdas, 0, kernels("java"), log::add);
            try (EaseModel model = sel.model()) {
                assertEquals(lambdas.length, sel.candidates().size());
                for (int t = 0; t < lambdas.length; t++) {
                    assertEquals(lambdas[t], sel.candidates().get(t).lambda());
                }
                int best = checkChosenIsTheFirstBest(sel);
                assertEquals(best != lambdas.length - 1, log.stream().anyMatch(l -> l.startsWith("EASE: refitting")),
                        String.join("\n", log));
                // a line per lambda tried, one for a refit and one for an edge warning; no fit's own phase lines
                assertEquals(lambdas.length + (best != lambdas.length - 1 ? 1 : 0) + (sel.atEdge() ? 1 : 0), log.size(),
                        String.join("\n", log));
                // the Java kernels are deterministic, so a refit reproduces the validation scores exactly
                assertEquals(sel.validationNdcg(),
                        model.evaluate(split.validation(), LambdaSearch.SELECTION_K).mean(Metric.NDCG, LambdaSearch.SELECTION_K));
            }
        }
    }

    /**
     * Two-lambda grids, whose best is always at an edge: the search goes on past the winning edge by the grid's
     * ratio, and stops after the first step that is no better or after the allowed steps, warning if the chosen
     * lambda is still at the edge then. On this split validation NDCG@100 rises with lambda up to about 1e4 (0.355 at
     * 0.01, 0.483 at 1e3, 0.4838 at 1e4, 0.4834 at 3e4), so from {0.1, 0.3} every step up improves, and from
     * {1e4, 3e4} the one step down (to 3,333) does not.
     */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 4})
    void fitAndSelectSearchesPastTheGridsEdgeWhileItImproves(int edgeSteps) {
        DataSplit split = smallSplit();
        for (double[] grid : new double[][] {{0.1, 0.3}, {3e4, 1e4}}) {
            List<String> log = new ArrayList<>();
            Selection sel = LambdaSearch.fitAndSelect(split, grid, edgeSteps, kernels("java"), log::add);
            try (EaseModel model = sel.model()) {
                List<Candidate> tried = sel.candidates();
                String what = edgeSteps + " steps past " + Arrays.toString(grid) + ": " + tried;
                boolean up = grid[0] < 1;
                assertEquals(up ? Math.min(edgeSteps, 4) : Math.min(edgeSteps, 1), tried.size() - grid.length, what);
                double edge = up ? 0.3 : 1e4;
                for (int t = grid.length; t < tried.size(); t++) {
                    edge *= up ? 3 : 1 / 3.0;
                    assertEquals(edge, tried.get(t).lambda(), edge * 1e-12, what);
                }
                int best = checkChosenIsTheFirstBest(sel);
                assertEquals(up ? tried.size() - 1 : 1, best, what);
                // a two-lambda grid alone always ends at an edge
                boolean atEdge = up || edgeSteps == 0;
                assertEquals(atEdge, sel.atEdge(), what);
                Optional<Edge> edgeExpected = atEdge ? Optional.of(up ? Edge.LARGEST : Edge.SMALLEST) : Optional.empty();
                assertEquals(edgeExpected, sel.edge(), what);
                assertEquals(edgeExpected.map(e -> "EASE: warning: the chosen lambda " + Lambdas.format(sel.lambda())
                                + " is the " + e + " tried").orElse(null),
                        log.stream().filter(l -> l.startsWith("EASE: warning: ")).findFirst()
                                .map(l -> l.substring(0, l.indexOf(" tried") + " tried".length())).orElse(null),
                        String.join("\n", log));
                assertEquals(sel.lambda(), model.lambda());
            }
        }
    }

    /** The first candidate with the largest validation NDCG is the chosen one; returns its index. */
    private static int checkChosenIsTheFirstBest(Selection sel) {
        int best = 0;
        for (int t = 1; t < sel.candidates().size(); t++) {
            if (sel.candidates().get(t).validationNdcg() > sel.candidates().get(best).validationNdcg()) {
                best = t;
            }
        }
        assertEquals(sel.candidates().get(best).lambda(), sel.lambda(), "candidates " + sel.candidates());
        assertEquals(sel.candidates().get(best).validationNdcg(), sel.validationNdcg());
        return best;
    }

    @Test
    void lambdasPrintAsShortAsTheyAreExact() {
        assertEquals("100", Lambdas.format(100));
        assertEquals("12.5", Lambdas.format(12.5));
        assertEquals("6.25", Lambdas.format(6.25));
        assertEquals("0.1", Lambdas.format(0.1));
        assertEquals("1111.111111111111", Lambdas.format(1e4 / 9));
        assertEquals("NaN", Lambdas.format(Double.NaN));
    }

    @Test
    void oneLambdaIsUsedAsGivenAndBadGridsFailBeforeAnyFit() {
        DataSplit split = smallSplit();
        Selection sel = LambdaSearch.fitAndSelect(split, new double[] {1e5}, 4, kernels("java"), msg -> { });
        try (EaseModel model = sel.model()) {
            assertEquals(1, sel.candidates().size());
            assertEquals(1e5, model.lambda());
            assertFalse(sel.atEdge());
        }
        List<String> log = new ArrayList<>();
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> LambdaSearch.fitAndSelect(split, new double[] {100, -1}, 0, kernels("java"), log::add));
        assertEquals("EASE: every lambda must be a positive finite number, got -1.0", bad.getMessage());
        assertEquals(List.of(), log, "nothing is fitted before the grid is checked");
        IllegalArgumentException steps = assertThrows(IllegalArgumentException.class,
                () -> LambdaSearch.fitAndSelect(split, new double[] {100}, -1, kernels("java"), log::add));
        assertEquals("EASE: the steps past the grid's edge must be >= 0, got -1", steps.getMessage());
    }

    /** EASE in double on dense arrays: G = X^T X + lambda I, P by Gauss-Jordan elimination, B = -P / diag(P). */
    record DenseEase(int n, double[] p, double kappa, double normP) {

        static DenseEase fit(CsrMatrix x, double lambda) {
            int n = x.cols();
            double[] g = gram(x);
            for (int i = 0; i < n; i++) {
                g[i * n + i] += lambda;
            }
            double[] inv = gaussJordanInverse(g.clone(), n);
            double normP = infinityNorm(inv, n);
            return new DenseEase(n, inv, infinityNorm(g, n) * normP, normP);
        }

        /** {@code X^T X} of the binary x, dense, by summing the outer product of each row's clicks. */
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

        double p(int i, int j) {
            return p[i * n + j];
        }

        double b(int i, int j) {
            return i == j ? 0 : -p(i, j) / p(j, j);
        }

        /** Gauss-Jordan without pivoting (stable for SPD matrices): reduces [A | I] to [I | inv(A)]. */
        static double[] gaussJordanInverse(double[] a, int n) {
            double[] inv = new double[n * n];
            for (int i = 0; i < n; i++) {
                inv[i * n + i] = 1;
            }
            for (int k = 0; k < n; k++) {
                double pivot = a[k * n + k];
                for (int j = 0; j < n; j++) {
                    a[k * n + j] /= pivot;
                    inv[k * n + j] /= pivot;
                }
                for (int i = 0; i < n; i++) {
                    double f = a[i * n + k];
                    if (i != k && f != 0) {
                        for (int j = 0; j < n; j++) {
                            a[i * n + j] -= f * a[k * n + j];
                            inv[i * n + j] -= f * inv[k * n + j];
                        }
                    }
                }
            }
            return inv;
        }

        static double infinityNorm(double[] a, int n) {
            double max = 0;
            for (int i = 0; i < n; i++) {
                double row = 0;
                for (int j = 0; j < n; j++) {
                    row += Math.abs(a[i * n + j]);
                }
                max = Math.max(max, row);
            }
            return max;
        }
    }
}
