package dev.sparsecf.eval;

/** The ranking metrics of Liang et al. 2018, both over a user's held-out evaluation items. */
public enum Metric {
    /** Hits in the top K divided by {@code min(K, |I_u|)}. */
    RECALL("Recall"),
    /** DCG of the top K (gain {@code 1/log2(rank+1)}) divided by the ideal DCG over {@code min(K, |I_u|)} ranks. */
    NDCG("NDCG");

    private final String label;

    Metric(String label) {
        this.label = label;
    }

    /** The label with a cut-off, e.g. {@code Recall@20}. */
    public String at(int k) {
        return label + "@" + k;
    }
}
