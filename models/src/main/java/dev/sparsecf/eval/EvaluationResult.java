package dev.sparsecf.eval;

import dev.sparsecf.data.DataSplit;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Per-user values of every {@link Metric} for each cut-off, with means and standard errors over the evaluated users
 * (held-out users with at least one relevant item), in user row order.
 */
public final class EvaluationResult {

    private final int[] ks;
    private final int[] userRows;
    private final double[][][] values; // [metric][k index][evaluated user]

    EvaluationResult(int[] ks, int[] userRows, double[][][] values) {
        this.ks = ks;
        this.userRows = userRows;
        this.values = values;
    }

    /** The cut-offs, ascending. */
    public int[] ks() {
        return ks.clone();
    }

    /** Number of evaluated users. */
    public int users() {
        return userRows.length;
    }

    /** The rows (in the held-out user map) of the evaluated users, ascending. */
    public int[] userRows() {
        return userRows.clone();
    }

    /** The metric at cut-off {@code k} for each evaluated user, in {@link #userRows()} order (a copy). */
    public double[] perUser(Metric metric, int k) {
        return values[metric.ordinal()][kIndex(k)].clone();
    }

    /** Mean over evaluated users (NaN when there are none). */
    public double mean(Metric metric, int k) {
        double[] v = values[metric.ordinal()][kIndex(k)];
        double sum = 0;
        for (double x : v) {
            sum += x;
        }
        return v.length == 0 ? Double.NaN : sum / v.length;
    }

    /** Standard error of the mean: sample standard deviation (n - 1) over sqrt(n); NaN for fewer than 2 users. */
    public double standardError(Metric metric, int k) {
        double[] v = values[metric.ordinal()][kIndex(k)];
        if (v.length < 2) {
            return Double.NaN;
        }
        double mean = mean(metric, k);
        double ss = 0;
        for (double x : v) {
            ss += (x - mean) * (x - mean);
        }
        return Math.sqrt(ss / (v.length - 1)) / Math.sqrt(v.length);
    }

    private int kIndex(int k) {
        int i = Arrays.binarySearch(ks, k);
        if (i < 0) {
            throw new IllegalArgumentException("no results at K = " + k + "; evaluated at " + Arrays.toString(ks));
        }
        return i;
    }

    /** {@link #format(List)} of the held-out-user protocol's metrics (Liang et al.'s Recall and NDCG). */
    public String format() {
        return format(Metric.reported(DataSplit.Protocol.HELDOUT_USERS));
    }

    /** One line per metric of {@code metrics} and cut-off: {@code Recall@20 = 0.3951 ± 0.0034 (n = 600)}. */
    public String format(List<Metric> metrics) {
        int width = 10;
        for (Metric m : metrics) {
            width = Math.max(width, m.at(ks[ks.length - 1]).length());
        }
        StringBuilder sb = new StringBuilder();
        for (Metric m : metrics) {
            for (int k : ks) {
                sb.append(String.format(Locale.ROOT, "%-" + width + "s = %.4f ± %.4f (n = %d)%n", m.at(k), mean(m, k),
                        standardError(m, k), users()));
            }
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return format();
    }
}
