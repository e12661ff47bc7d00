package dev.sparsecf.data;

import java.util.Arrays;
import java.util.Locale;

/**
 * Size and shape of an interaction set: users, items, pairs, density, the distributions of user activity
 * (items per user) and item popularity (users per item), and the repeated input pairs merged on loading.
 */
public record DatasetStats(String source, int users, int items, long interactions, double density,
                           Distribution userActivity, Distribution itemPopularity, int duplicatesMerged) {

    /**
     * Summary of a list of counts. Quartiles interpolate linearly between order statistics (numpy's default,
     * R type 7); {@code gini} is 0 when all counts are equal and approaches 1 when one holds everything.
     */
    public record Distribution(int min, double q1, double median, double q3, double mean, int max, double gini) {

        /** The summary of {@code counts} (not modified); all zeros for an empty array. */
        public static Distribution of(int[] counts) {
            int n = counts.length;
            if (n == 0) {
                return new Distribution(0, 0, 0, 0, 0, 0, 0);
            }
            int[] s = counts.clone();
            Arrays.sort(s);
            long total = 0;
            double weighted = 0; // sum of (2i - n - 1) * x_(i), i = 1..n ascending
            for (int i = 0; i < n; i++) {
                total += s[i];
                weighted += (2.0 * (i + 1) - n - 1) * s[i];
            }
            double gini = total == 0 ? 0 : weighted / ((double) n * total);
            return new Distribution(s[0], quantile(s, 0.25), quantile(s, 0.5), quantile(s, 0.75),
                    (double) total / n, s[n - 1], gini);
        }

        private static double quantile(int[] sorted, double q) {
            double h = (sorted.length - 1) * q;
            int lo = (int) Math.floor(h);
            int hi = Math.min(lo + 1, sorted.length - 1);
            return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "min %d, q1 %.1f, median %.1f, q3 %.1f, mean %.2f, max %d, Gini %.3f",
                    min, q1, median, q3, mean, max, gini);
        }
    }

    /** The statistics of {@code x}; density is pairs / (users * items), 0 for an empty matrix. */
    public static DatasetStats of(Interactions x) {
        int[] activity = new int[x.numUsers()];
        for (int u = 0; u < activity.length; u++) {
            activity[u] = x.count(u);
        }
        long cells = (long) x.numUsers() * x.numItems();
        return new DatasetStats(x.source(), x.numUsers(), x.numItems(), x.size(), cells == 0 ? 0 : (double) x.size() / cells,
                Distribution.of(activity), Distribution.of(x.itemCounts()), x.duplicatesMerged());
    }

    /** A few lines for logs and reports; the merged repeats only when there were some. */
    public String format() {
        return String.format(Locale.ROOT, "%s: %,d users, %,d items, %,d interactions, density %.4f%%%n"
                        + "  items per user: %s%n  users per item: %s%n",
                source, users, items, interactions, 100 * density, userActivity, itemPopularity)
                + (duplicatesMerged == 0 ? "" : String.format(Locale.ROOT, "  repeated pairs merged: %,d (%s)%n",
                        duplicatesMerged, Interactions.MERGE_RULE));
    }
}
