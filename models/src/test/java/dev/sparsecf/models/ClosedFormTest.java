package dev.sparsecf.models;

import static dev.sparsecf.testing.ErrorBounds.U_DOUBLE;
import static dev.sparsecf.testing.ErrorBounds.U_FLOAT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sparsecf.data.DataSplit;
import dev.sparsecf.eval.Metric;
import dev.sparsecf.kernels.CsrMatrix;
import dev.sparsecf.kernels.DenseMatrix;
import dev.sparsecf.models.ease.Candidate;
import dev.sparsecf.models.ease.ClosedForm;
import dev.sparsecf.models.ease.EaseFitter;
import dev.sparsecf.models.ease.EaseModel;
import dev.sparsecf.models.ease.LambdaSearch;
import dev.sparsecf.models.ease.Lambdas;
import dev.sparsecf.models.ease.Precision;
import dev.sparsecf.models.ease.Selection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * EDLAE and DLAE ({@link ClosedForm}) against their normal equations solved here column by column: for each column k,
 * DLAE solves {@code (G + Lambda) b = G e_k}; EDLAE drops row and column k ({@code b_k = 0}) and solves the rest, by
 * Gaussian elimination with partial pivoting in double. Nothing of the fitter's route (inverse, then scaling by P's
 * diagonal) is used, so an error in the derivation in {@link ClosedForm} shows here.
 */
class ClosedFormTest {

    static Stream<Arguments> cases() {
        return Stream.of(ClosedForm.EDLAE, ClosedForm.DLAE).flatMap(form -> Stream.of(
                Arguments.of(form, "java", Precision.FLOAT64, 0.25, 0.0), Arguments.of(form, "java", Precision.FLOAT64, 2.0, 0.0),
                Arguments.of(form, "java", Precision.FLOAT64, 0.5, 3.0), Arguments.of(form, "openblas", Precision.FLOAT64, 0.5, 0.0),
                Arguments.of(form, "openblas", Precision.FLOAT64, 0.125, 1.5),
                Arguments.of(form, "openblas", Precision.FLOAT32, 0.5, 0.75)));
    }

    @ParameterizedTest(name = "{0} {1} {2} odds {3} L2 {4}")
    @MethodSource("cases")
    void matchesTheColumnByColumnSolve(ClosedForm form, String blas, Precision precision, double odds, double l2) {
        try (CsrMatrix x = EaseTest.tinyClicks(11);
             EaseModel fit = EaseFitter.fit(x, form, odds, l2, precision, EaseTest.kernels(blas), msg -> { })) {
            int n = x.cols();
            double[] g = NeighbourhoodEaseTest.gram(x);
            double[] a = g.clone();
            for (int j = 0; j < n; j++) {
                // item 4 has no clicks: penalised as if it had one
                a[j * n + j] += odds * Math.max(g[j * n + j], 1) + l2;
            }
            // Both routes are backward stable: each B column is within c n u kappa(A) of the exact one, relative to
            // the size of the column's solution; u is the unit roundoff of the precision the fitter inverted in, and
            // the float32 store adds u_f |B_ij|. c = 8 covers the elimination and the scaling.
            double[] inverse = EaseTest.DenseEase.gaussJordanInverse(a.clone(), n);
            double kappa = EaseTest.DenseEase.infinityNorm(a, n) * EaseTest.DenseEase.infinityNorm(inverse, n);
            double u = (precision == Precision.FLOAT32 ? U_FLOAT : U_DOUBLE) + U_DOUBLE;
            DenseMatrix b = fit.weights();
            for (int k = 0; k < n; k++) {
                double[] want = form == ClosedForm.DLAE ? solve(a, column(g, n, k), n, -1) : solve(a, column(g, n, k), n, k);
                double size = 1;
                for (double w : want) {
                    size = Math.max(size, Math.abs(w));
                }
                double slack = 8 * n * u * kappa * size;
                for (int i = 0; i < n; i++) {
                    double tol = U_FLOAT * Math.abs(want[i]) + slack;
                    float got = b.get(i, k);
                    if (!(Math.abs(got - want[i]) <= tol)) {
                        fail(form + " " + blas + "/" + precision + " L2 " + l2 + ": B[" + i + "][" + k + "] = " + got
                                + ", the normal equations give " + want[i] + " (tolerance " + tol + ")");
                    }
                }
            }
        }
    }

    @Test
    void dlaeKeepsADiagonalAndEdlaeDoesNot() {
        try (CsrMatrix x = EaseTest.tinyClicks(11);
             EaseModel dlae = EaseFitter.fit(x, ClosedForm.DLAE, 0.5, 0, Precision.FLOAT64, EaseTest.kernels("java"), msg -> { });
             EaseModel edlae = EaseFitter.fit(x, ClosedForm.EDLAE, 0.5, 0, Precision.FLOAT64, EaseTest.kernels("java"), msg -> { })) {
            // DLAE's B = (G + Lambda)^-1 G: an item with clicks keeps part of itself, 0 < B_jj < 1; item 4 has none,
            // B_44 = 1 - P_44 Lambda_44 with P_44 = 1 / Lambda_44 up to a few roundings
            assertTrue(dlae.weights().get(0, 0) > 0 && dlae.weights().get(0, 0) < 1, "DLAE B_00 = " + dlae.weights().get(0, 0));
            assertEquals(0, dlae.weights().get(4, 4), 8 * U_DOUBLE);
            for (int j = 0; j < x.cols(); j++) {
                assertEquals(0f, edlae.weights().get(j, j), "EDLAE's diagonal is constrained to 0");
            }
        }
    }

    /**
     * EDLAE's two-penalty search against its rule played out here on fits made one pair at a time: the L2 weights in
     * ascending order; at the first the given odds, at each next half, once and twice the odds chosen before; at
     * each weight steps past the edge of those (by the ratio of the two outermost tried there) while they improve;
     * a stop after the first weight whose best is below the previous one's; the first best pair of all those tried
     * kept, its model returned.
     */
    @Test
    void twoPenaltySearchFollowsItsRuleAndKeepsTheBestPair() {
        DataSplit split = EaseTest.smallSplit();
        double[] l2s = {1e6, 0, 1e3, 1e2, 1e4, 1e5}; // searched in ascending order whatever the order given
        double[] odds = {0.5, 0.25, 1};
        int edgeSteps = 2;
        Map<List<Double>, Double> fitted = new HashMap<>();
        List<List<Double>> expected = new ArrayList<>(); // (L2, odds) in the order the rule tries them
        try (CsrMatrix x = split.train().toCsr()) {
            Function<List<Double>, Double> validation = pair -> fitted.computeIfAbsent(pair, p -> {
                try (EaseModel m = EaseFitter.fit(x, ClosedForm.EDLAE, p.get(1), p.get(0), Precision.FLOAT64,
                        EaseTest.kernels("java"), msg -> { })) {
                    return m.evaluate(split.validation(), LambdaSearch.SELECTION_K).mean(Metric.NDCG, LambdaSearch.SELECTION_K);
                }
            });
            double[] ascending = Arrays.stream(l2s).sorted().toArray();
            double[] grid = odds;
            double previous = Double.NEGATIVE_INFINITY;
            for (double l2 : ascending) {
                List<Double> here = new ArrayList<>();
                for (double q : grid) {
                    here.add(q);
                }
                double[] sorted = Arrays.stream(grid).distinct().sorted().toArray();
                for (int step = 0; step < edgeSteps; step++) {
                    double chosen = firstBest(here, l2, validation);
                    double lo = Collections.min(here);
                    double hi = Collections.max(here);
                    if (lo == hi || chosen != lo && chosen != hi) {
                        break;
                    }
                    int n = sorted.length;
                    here.add(chosen == lo ? chosen * sorted[0] / sorted[1] : chosen * sorted[n - 1] / sorted[n - 2]);
                    if (firstBest(here, l2, validation) == chosen) {
                        break;
                    }
                }
                here.forEach(q -> expected.add(List.of(l2, q)));
                double best = validation.apply(List.of(l2, firstBest(here, l2, validation)));
                if (best < previous) {
                    break;
                }
                previous = best;
                double q = firstBest(here, l2, validation);
                grid = new double[] {q / 2, q, q * 2};
            }
        }
        assertTrue(expected.getLast().get(0) < 1e6, "the grid should rise and fall on this split: " + fitted);
        List<Double> bestPair = expected.getFirst();
        for (List<Double> p : expected) {
            if (fitted.get(p) > fitted.get(bestPair)) {
                bestPair = p;
            }
        }
        List<String> log = new ArrayList<>();
        Selection sel = LambdaSearch.fitAndSelect(split, ClosedForm.EDLAE, l2s, odds, edgeSteps, Precision.FLOAT64,
                EaseTest.kernels("java"), log::add);
        try (EaseModel model = sel.model()) {
            assertEquals(expected, sel.candidates().stream().map(c -> List.of(c.l2(), c.lambda())).toList(),
                    String.join("\n", log));
            for (Candidate c : sel.candidates()) {
                assertEquals(fitted.get(List.of(c.l2(), c.lambda())), c.validationNdcg(), "deterministic Java kernels");
            }
            assertEquals(bestPair, List.of(sel.l2(), sel.lambda()));
            assertEquals(fitted.get(bestPair), model.evaluate(split.validation(), LambdaSearch.SELECTION_K)
                    .mean(Metric.NDCG, LambdaSearch.SELECTION_K), "the returned model is the chosen pair's");
            String stop = "EDLAE: L2 " + Lambdas.format(expected.getLast().get(0)) + " does worse than";
            assertTrue(log.stream().anyMatch(l -> l.startsWith(stop)), String.join("\n", log));
        }
        assertThrows(IllegalArgumentException.class, () -> LambdaSearch.fitAndSelect(split, ClosedForm.EDLAE,
                new double[] {-1}, odds, 0, Precision.FLOAT64, EaseTest.kernels("java"), log::add));
        assertThrows(IllegalArgumentException.class, () -> LambdaSearch.fitAndSelect(split, ClosedForm.EASE,
                new double[] {0}, odds, 0, Precision.FLOAT64, EaseTest.kernels("java"), log::add));
    }

    /** The first of {@code odds} with the highest validation NDCG at {@code l2}. */
    private static double firstBest(List<Double> odds, double l2, Function<List<Double>, Double> validation) {
        double best = odds.getFirst();
        for (double q : odds) {
            if (validation.apply(List.of(l2, q)) > validation.apply(List.of(l2, best))) {
                best = q;
            }
        }
        return best;
    }

    private static double[] column(double[] g, int n, int k) {
        double[] c = new double[n];
        for (int i = 0; i < n; i++) {
            c[i] = g[i * n + k];
        }
        return c;
    }

    /**
     * The solution b of {@code a b = rhs} with {@code b_skip = 0} and row {@code skip} of the system dropped (none
     * for -1), by Gaussian elimination with partial pivoting on the remaining rows and columns.
     */
    static double[] solve(double[] a, double[] rhs, int n, int skip) {
        int[] idx = java.util.stream.IntStream.range(0, n).filter(i -> i != skip).toArray();
        int m = idx.length;
        double[][] s = new double[m][m + 1];
        for (int r = 0; r < m; r++) {
            for (int c = 0; c < m; c++) {
                s[r][c] = a[idx[r] * n + idx[c]];
            }
            s[r][m] = rhs[idx[r]];
        }
        for (int c = 0; c < m; c++) {
            int pivot = c;
            for (int r = c + 1; r < m; r++) {
                if (Math.abs(s[r][c]) > Math.abs(s[pivot][c])) {
                    pivot = r;
                }
            }
            double[] t = s[c];
            s[c] = s[pivot];
            s[pivot] = t;
            for (int r = c + 1; r < m; r++) {
                double f = s[r][c] / s[c][c];
                for (int j = c; j <= m; j++) {
                    s[r][j] -= f * s[c][j];
                }
            }
        }
        double[] b = new double[n];
        for (int r = m - 1; r >= 0; r--) {
            double v = s[r][m];
            for (int j = r + 1; j < m; j++) {
                v -= s[r][j] * b[idx[j]];
            }
            b[idx[r]] = v / s[r][r];
        }
        return b;
    }
}
