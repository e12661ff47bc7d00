package dev.sparsecf.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RankingMetricsTest {

    /**
     * Each discount 1/log2(r+1) is two correctly rounded logs and a division (about 2 ulps); a metric sums at
     * most 5 of them, each below 1, and divides once, so 16 ulps of 1.0 bound the difference from the exact value.
     */
    static final double TOL = 16 * Math.ulp(1.0);

    // Discounts used below: 1/log2(2) = 1, 1/log2(3) = 0.6309297535714575, 1/log2(4) = 0.5,
    // 1/log2(5) = 0.43067655807339306, 1/log2(6) = 0.38685280723454163.

    @Test
    void fewerRelevantItemsThanK() {
        int[] ranked = {3, 7, 1, 9, 4};
        int[] relevant = {1, 4, 8};
        // hits at ranks 3 (item 1) and 5 (item 4); |I_u| = 3
        // Recall@5 = 2 / min(5, 3) = 2/3
        assertEquals(2.0 / 3, RankingMetrics.recall(ranked, 5, relevant), TOL);
        // DCG@5 = 1/log2(4) + 1/log2(6) = 0.5 + 0.38685280723454163 = 0.8868528072345416
        // IDCG over min(5, 3) = 3 ranks = 1 + 0.6309297535714575 + 0.5 = 2.1309297535714578
        // NDCG@5 = 0.8868528072345416 / 2.1309297535714578 = 0.41618115554873086
        assertEquals(0.41618115554873086, RankingMetrics.ndcg(ranked, 5, relevant), TOL);
        // @3: one hit at rank 3; Recall = 1/3; NDCG = 0.5 / 2.1309297535714578 = 0.23463936301137822
        assertEquals(1.0 / 3, RankingMetrics.recall(ranked, 3, relevant), TOL);
        assertEquals(0.23463936301137822, RankingMetrics.ndcg(ranked, 3, relevant), TOL);
        // @2: no hit
        assertEquals(0.0, RankingMetrics.recall(ranked, 2, relevant));
        assertEquals(0.0, RankingMetrics.ndcg(ranked, 2, relevant));
    }

    @Test
    void moreRelevantItemsThanK() {
        int[] ranked = {5, 9};
        int[] relevant = {0, 1, 2, 3, 4, 5};
        // one hit at rank 1; Recall@2 = 1 / min(2, 6) = 1/2 (not 1/6: the denominator is capped at K)
        assertEquals(0.5, RankingMetrics.recall(ranked, 2, relevant), TOL);
        // NDCG@2 = 1 / (1 + 0.6309297535714575) = 0.6131471927654584 (the ideal has only K = 2 ranks)
        assertEquals(0.6131471927654584, RankingMetrics.ndcg(ranked, 2, relevant), TOL);
    }

    @Test
    void perfectRankingScoresOne() {
        int[] ranked = {4, 2, 8, 0};
        int[] relevant = {2, 4};
        assertEquals(1.0, RankingMetrics.recall(ranked, 4, relevant), TOL);
        assertEquals(1.0, RankingMetrics.ndcg(ranked, 4, relevant), TOL);
        // the same two hits in the other order give the same DCG: the metric ignores the order among hits
        assertEquals(1.0, RankingMetrics.ndcg(new int[] {2, 4}, 2, relevant), TOL);
    }

    @Test
    void emptySlotsAreMisses() {
        // ranking with only one candidate: [1, -1, -1]; Recall@3 = 1/min(3, 2) = 1/2; NDCG = 1/(1 + 0.6309297535714575)
        int[] ranked = {1, -1, -1};
        int[] relevant = {1, 2};
        assertEquals(0.5, RankingMetrics.recall(ranked, 3, relevant), TOL);
        assertEquals(0.6131471927654584, RankingMetrics.ndcg(ranked, 3, relevant), TOL);
    }

    @Test
    void noRelevantItemsIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> RankingMetrics.recall(new int[] {1}, 1, new int[0]));
        assertThrows(IllegalArgumentException.class, () -> RankingMetrics.ndcg(new int[] {1}, 1, new int[0]));
    }
}
