package dev.sparsecf.eval;

import dev.sparsecf.data.DataSplit;
import dev.sparsecf.data.Interactions;
import dev.sparsecf.kernels.CsrMatrix;
import dev.sparsecf.kernels.DenseMatrix;
import dev.sparsecf.kernels.Kernels;
import java.util.Arrays;
import java.util.Objects;

/**
 * Accumulates every {@link Metric} at each cut-off over the users of a held-out set, batch by batch. Each batch
 * supplies the top-{@link #maxK()} items of some users (rows of the held-out set), ranked with their excluded items
 * ({@link DataSplit.HeldOut#exclude()}: the fold-in items, and more under the per-user protocol) left out; the
 * evaluator checks that exclusion, then scores the ranking against the users' evaluation items, counting the
 * unrankable ones ({@link DataSplit.HeldOut#unseen()}) as misses.
 */
public final class RankingEvaluator {

    /** The cut-offs Liang et al. report. */
    public static final int[] DEFAULT_KS = {20, 50, 100};

    private final DataSplit.HeldOut heldOut;
    private final Interactions exclude;
    private final Interactions eval;
    private final int[] ks;
    private final double[][][] perRow; // [metric][k index][row], NaN until the row is added
    private final boolean[] added;
    private final int[] seenStamp; // per item: the check that last saw it, to catch repeats without clearing
    private int stamp;

    /** An evaluator for {@code heldOut} at the given cut-offs ({@link #DEFAULT_KS} when none are given). */
    public RankingEvaluator(DataSplit.HeldOut heldOut, int... ks) {
        this.heldOut = heldOut;
        this.exclude = heldOut.exclude();
        this.eval = heldOut.eval();
        this.ks = ks.length == 0 ? DEFAULT_KS.clone() : ks.clone();
        Arrays.sort(this.ks);
        for (int t = 0; t < this.ks.length; t++) {
            if (this.ks[t] < 1 || (t > 0 && this.ks[t] == this.ks[t - 1])) {
                throw new IllegalArgumentException("cut-offs must be distinct and >= 1, got " + Arrays.toString(ks));
            }
        }
        this.perRow = new double[Metric.values().length][this.ks.length][eval.numUsers()];
        for (double[][] m : perRow) {
            for (double[] v : m) {
                Arrays.fill(v, Double.NaN);
            }
        }
        this.added = new boolean[eval.numUsers()];
        this.seenStamp = new int[eval.numItems()];
    }

    /** The largest cut-off: the length of each user's ranking. */
    public int maxK() {
        return ks[ks.length - 1];
    }

    /** Number of held-out users (rows). */
    public int rows() {
        return eval.numUsers();
    }

    /**
     * Scores rows {@code [rowFrom, rowFrom + rows)}: {@code ranking[r * maxK() .. (r+1) * maxK())} are the
     * items of row {@code rowFrom + r}, best first (-1 for an empty slot). Rows without relevant items are
     * skipped.
     *
     * @throws IllegalArgumentException if an item is out of range, ranked twice, or an excluded item of that
     *                                  user, or a row was already added
     */
    public void add(int rowFrom, int rows, int[] ranking) {
        Objects.checkFromIndexSize(rowFrom, rows, eval.numUsers());
        int maxK = maxK();
        if (ranking.length < (long) rows * maxK) {
            throw new IllegalArgumentException("ranking has " + ranking.length + " entries, " + rows + " rows need "
                    + (long) rows * maxK);
        }
        for (int r = 0; r < rows; r++) {
            int u = rowFrom + r;
            if (added[u]) {
                throw new IllegalArgumentException("held-out user row " + u + " ('" + eval.users().id(u) + "') was already added");
            }
            checkRanking(u, ranking, r * maxK);
            added[u] = true;
            int n = heldOut.relevant(u);
            if (n == 0) {
                continue;
            }
            int[] relevant = eval.itemsOf(u);
            for (int t = 0; t < ks.length; t++) {
                int hits = RankingMetrics.hits(ranking, r * maxK, ks[t], relevant, 0, relevant.length);
                perRow[Metric.RECALL.ordinal()][t][u] = (double) hits / Math.min(ks[t], n);
                perRow[Metric.FULL_RECALL.ordinal()][t][u] = (double) hits / n;
                perRow[Metric.NDCG.ordinal()][t][u] = RankingMetrics.ndcg(ranking, r * maxK, ks[t], relevant, 0, relevant.length, n);
            }
        }
    }

    private void checkRanking(int u, int[] ranking, int offset) {
        stamp++; // a fresh stamp per check, so a rejected ranking leaves no marks behind
        for (int r = 0; r < maxK(); r++) {
            int item = ranking[offset + r];
            if (item == -1) {
                continue;
            }
            if (item < 0 || item >= eval.numItems()) {
                throw new IllegalArgumentException("user row " + u + ": ranked item " + item + " at rank " + (r + 1)
                        + " is out of range [0, " + eval.numItems() + ")");
            }
            if (seenStamp[item] == stamp) {
                throw new IllegalArgumentException("user row " + u + ": item " + item + " is ranked twice");
            }
            seenStamp[item] = stamp;
            if (exclude.contains(u, item)) {
                throw new IllegalArgumentException("user row " + u + " ('" + eval.users().id(u) + "'): ranked item '"
                        + eval.items().id(item) + "' at rank " + (r + 1) + " is one of the user's " + (exclude == heldOut.foldIn()
                        ? "fold-in items; exclude fold-in items" : "excluded items; exclude them") + " when ranking"
                        + " (Kernels.topK with the rows of HeldOut.exclude() as exclude)");
            }
        }
    }

    /**
     * Ranks {@code scores} (one row per held-out user from {@code rowFrom}, one column per item) with
     * {@code kernels}, excluding {@code excludeBatch} (the same rows of {@link DataSplit.HeldOut#exclude()}), and adds
     * the result.
     */
    public void addScores(Kernels kernels, DenseMatrix scores, CsrMatrix excludeBatch, int rowFrom) {
        int[] ranking = new int[Math.multiplyExact(scores.rows(), maxK())];
        kernels.topK(scores, excludeBatch, maxK(), ranking);
        add(rowFrom, scores.rows(), ranking);
    }

    /**
     * The per-user metrics of every user with relevant items.
     *
     * @throws IllegalStateException if some such user has not been added
     */
    public EvaluationResult result() {
        int n = 0;
        int missing = 0;
        for (int u = 0; u < eval.numUsers(); u++) {
            if (heldOut.relevant(u) > 0) {
                n++;
                if (!added[u]) {
                    missing++;
                }
            }
        }
        if (missing > 0) {
            throw new IllegalStateException(missing + " of " + n + " users with relevant items have no ranking yet");
        }
        int[] rows = new int[n];
        double[][][] values = new double[perRow.length][ks.length][n];
        int t = 0;
        for (int u = 0; u < eval.numUsers(); u++) {
            if (heldOut.relevant(u) > 0) {
                rows[t] = u;
                for (int m = 0; m < perRow.length; m++) {
                    for (int k = 0; k < ks.length; k++) {
                        values[m][k][t] = perRow[m][k][u];
                    }
                }
                t++;
            }
        }
        return new EvaluationResult(ks.clone(), rows, values);
    }
}
