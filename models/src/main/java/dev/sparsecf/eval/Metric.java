package dev.sparsecf.eval;

import dev.sparsecf.data.DataSplit;
import java.util.List;

/** Ranking metrics over a user's relevant (held-out) items {@code I_u}, items outside the catalogue counted as misses. */
public enum Metric {
    /** Liang et al. 2018: hits in the top K divided by {@code min(K, |I_u|)}. */
    RECALL("Recall"),
    /**
     * DCG of the top K (gain {@code 1/log2(rank+1)}) divided by the ideal DCG over {@code min(K, |I_u|)} ranks: the
     * definition of both Liang et al.'s and LightGCN's code.
     */
    NDCG("NDCG"),
    /** Hits in the top K divided by {@code |I_u|}: the recall@K of LightGCN's, NGCF's and KGAT's code. */
    FULL_RECALL("FullRecall");

    private final String label;

    Metric(String label) {
        this.label = label;
    }

    /** The label with a cut-off, e.g. {@code Recall@20}. */
    public String at(int k) {
        return label + "@" + k;
    }

    /** The metrics reported under {@code protocol}: its papers' definitions (every metric is computed either way). */
    public static List<Metric> reported(DataSplit.Protocol protocol) {
        return switch (protocol) {
            case HELDOUT_USERS -> List.of(RECALL, NDCG);
            case PER_USER -> List.of(FULL_RECALL, NDCG, RECALL);
        };
    }
}
