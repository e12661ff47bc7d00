package dev.sparsecf.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsecf.data.DataSplit;
import dev.sparsecf.data.IdMap;
import dev.sparsecf.data.Interactions;
import dev.sparsecf.data.SplitConfig;
import dev.sparsecf.kernels.CsrMatrix;
import dev.sparsecf.kernels.DenseMatrix;
import dev.sparsecf.kernels.Kernels;
import dev.sparsecf.kernels.synthetic.SyntheticClicks;
import org.junit.jupiter.api.Test;

class RankingEvaluatorTest {

    private static final double TOL = RankingMetricsTest.TOL;

    /**
     * Users a, b, c over items 0..9. a: fold-in {0, 2}, evaluation {1, 4, 8}. b: no fold-in, evaluation
     * {0..5}. c: fold-in {1}, no evaluation items (not evaluated).
     */
    private static DataSplit.HeldOut handMade() {
        IdMap users = IdMap.of("a", "b", "c");
        IdMap items = IdMap.range(10);
        Interactions foldIn = Interactions.of("fold-in", users, items, new int[] {0, 2, 2, 3}, new int[] {0, 2, 1}, null);
        Interactions eval = Interactions.of("eval", users, items, new int[] {0, 3, 9, 9},
                new int[] {1, 4, 8, 0, 1, 2, 3, 4, 5}, null);
        return new DataSplit.HeldOut(foldIn, eval);
    }

    /** Top-5 lists: a as in RankingMetricsTest.fewerRelevantItemsThanK, b ranks item 5 first; c anything. */
    private static final int[] RANKING = {
        3, 7, 1, 9, 4,
        5, 9, 6, 7, 8,
        0, 2, 3, 4, 5,
    };

    private static void assertHandMadeResult(EvaluationResult r) {
        assertEquals(2, r.users());
        assertArrayEquals(new int[] {0, 1}, r.userRows());
        // a: @2 no hit -> 0, 0; @5 -> Recall 2/3, NDCG 0.41618115554873086 (see RankingMetricsTest)
        // b: @2 hit at rank 1 of 6 relevant -> Recall 1/2, NDCG 1/(1 + 0.6309297535714575) = 0.6131471927654584
        //    @5 -> Recall 1/min(5, 6) = 0.2, NDCG 1 / (1 + 0.6309297535714575 + 0.5 + 0.43067655807339306
        //    + 0.38685280723454163) = 1 / 2.9484591188793923 = 0.3391602052736161
        assertArrayEquals(new double[] {0, 0.5}, r.perUser(Metric.RECALL, 2), TOL);
        assertArrayEquals(new double[] {0, 0.6131471927654584}, r.perUser(Metric.NDCG, 2), TOL);
        assertArrayEquals(new double[] {2.0 / 3, 0.2}, r.perUser(Metric.RECALL, 5), TOL);
        assertArrayEquals(new double[] {0.41618115554873086, 0.3391602052736161}, r.perUser(Metric.NDCG, 5), TOL);
        // Recall@2: mean (0 + 0.5)/2 = 0.25; sample sd sqrt(2 * 0.25^2 / 1) = 0.35355, SE = 0.35355/sqrt(2) = 0.25
        assertEquals(0.25, r.mean(Metric.RECALL, 2), TOL);
        assertEquals(0.25, r.standardError(Metric.RECALL, 2), TOL);
        // Recall@5: mean (2/3 + 0.2)/2 = 0.43333333333333335; SE = |2/3 - 0.2| / 2 = 0.23333333333333334
        assertEquals(0.43333333333333335, r.mean(Metric.RECALL, 5), TOL);
        assertEquals(0.23333333333333334, r.standardError(Metric.RECALL, 5), TOL);
        assertTrue(r.format().contains("Recall@5   = 0.4333 ± 0.2333 (n = 2)"), r.format());
    }

    @Test
    void metricsOfHandMadeRankings() {
        RankingEvaluator e = new RankingEvaluator(handMade(), 5, 2);
        assertEquals(5, e.maxK());
        e.add(0, 2, RANKING); // rows in two batches
        e.add(2, 1, new int[] {0, 2, 3, 4, 5});
        assertHandMadeResult(e.result());
        assertThrows(IllegalArgumentException.class, () -> e.result().mean(Metric.NDCG, 20));
    }

    @Test
    void addScoresRanksWithTheKernelsExcludingFoldIn() {
        // scores chosen so that, without items 0 and 2 (a's fold-in, scored highest), a's top 5 is 3, 7, 1, 9, 4
        // and b's is 5, 9, 6, 7, 8: the same rankings as RANKING
        float[] s = {
            100, 8, 99, 10, 6, 2, 1, 9, 0, 7,
            1, 2, 3, 4, 5, 10, 8, 7, 6, 9,
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        };
        DataSplit.HeldOut h = handMade();
        RankingEvaluator e = new RankingEvaluator(h, 2, 5);
        try (DenseMatrix scores = DenseMatrix.of(3, 10, s); CsrMatrix foldIn = h.foldIn().toCsr()) {
            e.addScores(Kernels.get(), scores.rows(0, 2), foldIn.rows(0, 2), 0);
            e.addScores(Kernels.get(), scores.rows(2, 3), foldIn.rows(2, 3), 2);
        }
        assertHandMadeResult(e.result());
    }

    @Test
    void rankingAFoldInItemIsAnError() {
        RankingEvaluator e = new RankingEvaluator(handMade(), 2, 5);
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class,
                () -> e.add(0, 1, new int[] {3, 2, 1, 9, 4}));
        assertTrue(x.getMessage().contains("'2' at rank 2 is one of the user's fold-in items"), x.getMessage());
    }

    @Test
    void malformedRankingsAreErrors() {
        RankingEvaluator e = new RankingEvaluator(handMade(), 2, 5);
        assertThrows(IllegalArgumentException.class, () -> e.add(0, 1, new int[] {3, 3, 1, 9, 4}), "repeat");
        assertThrows(IllegalArgumentException.class, () -> e.add(0, 1, new int[] {3, 10, 1, 9, 4}), "range");
        assertThrows(IllegalArgumentException.class, () -> e.add(0, 1, new int[] {3, 7, 1}), "short");
        e.add(0, 1, new int[] {3, 7, 1, 9, 4});
        assertThrows(IllegalArgumentException.class, () -> e.add(0, 1, new int[] {3, 7, 1, 9, 4}), "added twice");
        IllegalStateException missing = assertThrows(IllegalStateException.class, e::result);
        assertTrue(missing.getMessage().startsWith("1 of 2 users"), missing.getMessage());
    }

    @Test
    void oracleScoresGiveRecallAndNdcgOfOneOnARealSplit() {
        // scores 1 on each user's evaluation items and 0 elsewhere: every cut-off sees min(K, |I_u|) hits first
        Interactions data;
        try (CsrMatrix m = SyntheticClicks.generate(300, 400, 60, 5)) {
            data = Interactions.fromCsr("synthetic", m);
        }
        DataSplit split = DataSplit.create(data, SplitConfig.defaults(2).withHeldOutUsers(30, 30));
        DataSplit.HeldOut test = split.test();
        int items = split.items().size();
        float[] s = new float[test.users().size() * items];
        for (int u = 0; u < test.users().size(); u++) {
            for (int p = test.eval().rowStart(u); p < test.eval().rowEnd(u); p++) {
                s[u * items + test.eval().item(p)] = 1;
            }
        }
        RankingEvaluator e = new RankingEvaluator(test);
        try (DenseMatrix scores = DenseMatrix.of(test.users().size(), items, s); CsrMatrix foldIn = test.foldIn().toCsr()) {
            e.addScores(Kernels.get(), scores, foldIn, 0);
        }
        EvaluationResult r = e.result();
        assertEquals(30, r.users());
        for (Metric m : Metric.reported(DataSplit.Protocol.HELDOUT_USERS)) {
            for (int k : RankingEvaluator.DEFAULT_KS) {
                assertEquals(1.0, r.mean(m, k), TOL, m.at(k));
            }
        }
        // LightGCN's recall divides the same min(K, |I_u|) hits by |I_u|
        for (int k : RankingEvaluator.DEFAULT_KS) {
            double[] full = r.perUser(Metric.FULL_RECALL, k);
            int[] rows = r.userRows();
            for (int t = 0; t < rows.length; t++) {
                int n = test.eval().count(rows[t]);
                assertEquals((double) Math.min(k, n) / n, full[t], TOL, "user row " + rows[t] + " at " + k);
            }
        }
    }
}
