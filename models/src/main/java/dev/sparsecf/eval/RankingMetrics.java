package dev.sparsecf.eval;

import java.util.Arrays;

/**
 * Recall@K and NDCG@K of one user's ranking against a set of relevant (held-out) items, as in Liang et al.
 * 2018: Recall@K = hits / min(K, |I_u|); NDCG@K = sum over hit ranks r of 1/log2(r + 1), divided by the same
 * sum over ranks 1..min(K, |I_u|); and LightGCN's recall, hits / |I_u|. A ranking is item indices, best first;
 * -1 marks an empty slot. {@code |I_u|} may exceed the relevant items passed: the others cannot be ranked (they
 * are outside the catalogue) and count as misses.
 */
public final class RankingMetrics {

    private RankingMetrics() {
    }

    /** Recall@K of {@code ranked[0..k)} against {@code relevant} (sorted ascending, non-empty). */
    public static double recall(int[] ranked, int k, int[] relevant) {
        return recall(ranked, 0, k, relevant, 0, relevant.length);
    }

    /** NDCG@K of {@code ranked[0..k)} against {@code relevant} (sorted ascending, non-empty). */
    public static double ndcg(int[] ranked, int k, int[] relevant) {
        return ndcg(ranked, 0, k, relevant, 0, relevant.length);
    }

    /** Recall@K of {@code ranked[offset..offset+k)} against {@code relevant[relFrom..relTo)} (sorted, non-empty). */
    static double recall(int[] ranked, int offset, int k, int[] relevant, int relFrom, int relTo) {
        int n = requireRelevant(relFrom, relTo);
        return (double) hits(ranked, offset, k, relevant, relFrom, relTo) / Math.min(k, n);
    }

    /** Hits among {@code ranked[offset..offset+k)} of {@code relevant[relFrom..relTo)} (sorted). */
    static int hits(int[] ranked, int offset, int k, int[] relevant, int relFrom, int relTo) {
        int hits = 0;
        for (int r = 0; r < k; r++) {
            if (isHit(ranked[offset + r], relevant, relFrom, relTo)) {
                hits++;
            }
        }
        return hits;
    }

    /** NDCG@K of {@code ranked[offset..offset+k)} against {@code relevant[relFrom..relTo)} (sorted, non-empty). */
    static double ndcg(int[] ranked, int offset, int k, int[] relevant, int relFrom, int relTo) {
        return ndcg(ranked, offset, k, relevant, relFrom, relTo, requireRelevant(relFrom, relTo));
    }

    /** NDCG@K as above, with {@code n >= relTo - relFrom} relevant items in all (the others unrankable). */
    static double ndcg(int[] ranked, int offset, int k, int[] relevant, int relFrom, int relTo, int n) {
        if (n < Math.max(1, relTo - relFrom)) {
            throw new IllegalArgumentException("a ranking metric needs at least one relevant item, and at least the "
                    + (relTo - relFrom) + " passed; got " + n);
        }
        double dcg = 0;
        for (int r = 0; r < k; r++) {
            if (isHit(ranked[offset + r], relevant, relFrom, relTo)) {
                dcg += discount(r);
            }
        }
        double ideal = 0;
        for (int r = 0; r < Math.min(k, n); r++) {
            ideal += discount(r);
        }
        return dcg / ideal;
    }

    /** Gain of a hit at 0-based position {@code r} (rank r + 1): 1 / log2(r + 2). */
    static double discount(int r) {
        return 1.0 / (Math.log(r + 2) / Math.log(2));
    }

    private static boolean isHit(int item, int[] relevant, int from, int to) {
        return item >= 0 && Arrays.binarySearch(relevant, from, to, item) >= 0;
    }

    private static int requireRelevant(int from, int to) {
        if (to <= from) {
            throw new IllegalArgumentException("a ranking metric needs at least one relevant item");
        }
        return to - from;
    }
}
