package dev.sparsecf.models;

import static dev.sparsecf.models.EaseTest.kernels;
import static dev.sparsecf.testing.ErrorBounds.U_DOUBLE;
import static dev.sparsecf.testing.ErrorBounds.U_FLOAT;
import static dev.sparsecf.testing.ErrorBounds.gamma;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sparsecf.data.DataSplit;
import dev.sparsecf.data.Dataset;
import dev.sparsecf.data.Datasets;
import dev.sparsecf.data.Interactions;
import dev.sparsecf.data.SharedData;
import dev.sparsecf.data.SplitConfig;
import dev.sparsecf.eval.EvaluationResult;
import dev.sparsecf.eval.Metric;
import dev.sparsecf.eval.RankingEvaluator;
import dev.sparsecf.kernels.CsrMatrix;
import dev.sparsecf.models.ease.EaseFitter;
import dev.sparsecf.models.ease.EaseModel;
import java.io.IOException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** EASE on MovieLens 100K (Liang et al.'s split, seed 0); skipped when the shared data directory is absent. */
class EaseMl100kTest {

    /** Steck's EASE is not sensitive to lambda within a factor of a few around its optimum; 300 is in that range here. */
    private static final double LAMBDA = 300;

    private static DataSplit split;

    private static synchronized DataSplit split() throws IOException {
        if (split == null) {
            Interactions positives = Datasets.load("ml-100k", SharedData.dirWithOrSkip(Dataset.ML_100K));
            split = DataSplit.create(positives, SplitConfig.defaults(0));
        }
        return split;
    }

    /**
     * Both backends invert in double, so B differs between them by at most the two inverses' errors. Each computed
     * inverse is within {@code delta = 4 n u kappa ||P||} of P in every element (normwise, Higham 14.1-14.3), which
     * moves {@code B_ij = -P_ij / P_jj} by at most {@code delta (1 + |B_ij|) / P_jj}; P is not at hand, so the
     * bounds below use {@code ||P|| <= sqrt(n) / lambda} (G's smallest eigenvalue is at least lambda) and
     * {@code P_jj >= 1 / G_jj}. A score sums a user's r fold-in rows of B with the same kernel on both sides, so it
     * differs by at most the sum of the B differences plus twice the float sum's {@code gamma(r) sum |B_ij|}.
     * Rankings may differ only among near-ties: every item one backend ranks in the top K must score, under the
     * other backend's B, within the two items' tolerances of that backend's K-th score.
     */
    @Test
    void openBlasAndJavaGiveTheSameScores() throws IOException {
        DataSplit s = split();
        Interactions train = s.train();
        int n = train.numItems();
        int k = RankingEvaluator.DEFAULT_KS[RankingEvaluator.DEFAULT_KS.length - 1];
        double[] gramDiagonal = new double[n]; // G_jj = clicks of j + lambda
        double[] gramRowSum = new double[n]; // sum_j G_ij = sum over i's users of their click counts, + lambda
        for (int u = 0; u < train.numUsers(); u++) {
            for (int p = train.rowStart(u); p < train.rowEnd(u); p++) {
                gramDiagonal[train.item(p)] += 1;
                gramRowSum[train.item(p)] += train.count(u);
            }
        }
        double normG = Arrays.stream(gramRowSum).max().orElseThrow() + LAMBDA;
        double normP = Math.sqrt(n) / LAMBDA;
        double delta = 4 * n * U_DOUBLE * (normG * normP) * normP;

        try (CsrMatrix x = train.toCsr(); CsrMatrix foldIn = s.test().foldIn().toCsr();
             EaseModel blas = EaseFitter.fit(x, LAMBDA, kernels("openblas"), msg -> { });
             EaseModel java = EaseFitter.fit(x, LAMBDA, kernels("java"), msg -> { })) {
            float[] bBlas = blas.weights().toArray();
            float[] bJava = java.weights().toArray();
            float[] sBlas = blas.score(foldIn).toArray();
            float[] sJava = java.score(foldIn).toArray();
            double[] tol = new double[sBlas.length];
            for (int u = 0; u < foldIn.rows(); u++) {
                for (int j = 0; j < n; j++) {
                    double bDiff = 0;
                    double mag = 0;
                    for (int p = foldIn.rowStart(u); p < foldIn.rowEnd(u); p++) {
                        int at = foldIn.col(p) * n + j;
                        double b = Math.max(Math.abs(bBlas[at]), Math.abs(bJava[at]));
                        double pjj = 1 / (gramDiagonal[j] + LAMBDA);
                        bDiff += 2 * ((U_FLOAT + 2 * U_DOUBLE) * b + delta * (1 + b) / pjj);
                        mag += b;
                    }
                    tol[u * n + j] = bDiff + 2 * gamma(foldIn.rowNnz(u), U_FLOAT) * mag;
                    double diff = Math.abs(sBlas[u * n + j] - sJava[u * n + j]);
                    if (!(diff <= tol[u * n + j])) {
                        fail("test user row " + u + ", item " + j + ": OpenBLAS scores " + sBlas[u * n + j] + ", Java "
                                + sJava[u * n + j] + " (tolerance " + tol[u * n + j] + ")");
                    }
                }
            }
            int[] topBlas = blas.topK(foldIn, k);
            int[] topJava = java.topK(foldIn, k);
            assertNearTiesOnly("OpenBLAS top-K under Java scores", topBlas, topJava, sJava, tol, n, k);
            assertNearTiesOnly("Java top-K under OpenBLAS scores", topJava, topBlas, sBlas, tol, n, k);
        }
    }

    /** Every item of {@code top} must score under {@code scores} at least the K-th of {@code ownTop}, within tolerance. */
    private static void assertNearTiesOnly(String what, int[] top, int[] ownTop, float[] scores, double[] tol, int n,
                                           int k) {
        for (int u = 0; u < top.length / k; u++) {
            int last = ownTop[u * k + k - 1];
            double floor = scores[u * n + last] - tol[u * n + last];
            for (int r = 0; r < k; r++) {
                int item = top[u * k + r];
                if (!(scores[u * n + item] + tol[u * n + item] >= floor)) {
                    fail(what + ": user row " + u + " rank " + (r + 1) + " item " + item + " scores " + scores[u * n + item]
                            + ", below the K-th score " + scores[u * n + last] + " beyond the tolerances");
                }
            }
        }
    }

    /** EASE on the backend -Dsparsecf.blas selects must beat ranking by popularity by a wide margin. */
    @Test
    void beatsPopularityOnTheTestUsers() throws IOException {
        DataSplit s = split();
        EvaluationResult ease;
        try (CsrMatrix x = s.train().toCsr(); EaseModel model = EaseFitter.fit(x, LAMBDA, kernels(null), msg -> { })) {
            ease = model.evaluate(s.test());
        }
        int[] counts = s.train().itemCounts();
        Integer[] byPopularity = IntStream.range(0, counts.length).boxed().toArray(Integer[]::new);
        Arrays.sort(byPopularity, Comparator.comparingInt((Integer i) -> -counts[i]).thenComparingInt(i -> i));
        RankingEvaluator popularity = new RankingEvaluator(s.test());
        int k = popularity.maxK();
        for (int u = 0; u < popularity.rows(); u++) {
            int[] ranking = new int[k];
            int r = 0;
            for (int t = 0; t < byPopularity.length && r < k; t++) {
                if (!s.test().foldIn().contains(u, byPopularity[t])) {
                    ranking[r++] = byPopularity[t];
                }
            }
            Arrays.fill(ranking, r, k, -1);
            popularity.add(u, 1, ranking);
        }
        double easeNdcg = ease.mean(Metric.NDCG, 100);
        double popNdcg = popularity.result().mean(Metric.NDCG, 100);
        // two standard errors above popularity: not a chance win on 94 users
        double margin = 2 * ease.standardError(Metric.NDCG, 100);
        assertTrue(easeNdcg > popNdcg + margin,
                "EASE NDCG@100 " + easeNdcg + " vs popularity " + popNdcg + " (+ " + margin + ")");
    }
}
