package dev.sparsecf.study.report;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/** The statistics of the beta-study report: means with standard errors, paired per-user tests, activity quintiles. */
public final class BetaStudyStats {

    /** The number of activity groups of test users. */
    static final int QUINTILES = 5;

    private BetaStudyStats() {
    }

    /** A mean with its standard error over {@code n} values (or seeds); NaN mean when n = 0. */
    record Estimate(double mean, double se, int n) {
    }

    /**
     * A paired difference A - B over test users: per seed the mean of the per-user differences and its standard
     * error; seeds combined as the mean of the per-seed means with SE sqrt(sum SE_s^2) / seeds; {@code p} is the
     * two-sided normal p-value of diff / se.
     */
    record Paired(double diff, double se, double p, int seeds, int users) {
    }

    /**
     * The mean of per-seed values with the standard error across seeds (sample sd / sqrt(n)); with one seed the
     * standard error is that seed's own {@code withinSe} (over test users), since one value has no spread.
     */
    static Estimate overSeeds(double[] values, double[] withinSe) {
        int n = values.length;
        if (n == 0) {
            return new Estimate(Double.NaN, Double.NaN, 0);
        }
        if (n == 1) {
            return new Estimate(values[0], withinSe[0], 1);
        }
        return new Estimate(mean(values), standardError(values), n);
    }

    /**
     * The paired test of per-user differences, one array per seed; seeds with fewer than two users are left out,
     * and null is returned when none remains.
     */
    static Paired paired(List<double[]> diffsBySeed) {
        double sum = 0;
        double var = 0;
        int seeds = 0;
        int users = 0;
        for (double[] d : diffsBySeed) {
            if (d.length < 2) {
                continue;
            }
            sum += mean(d);
            var += sampleVariance(d) / d.length;
            seeds++;
            users += d.length;
        }
        if (seeds == 0) {
            return null;
        }
        double diff = sum / seeds;
        double se = Math.sqrt(var) / seeds;
        return new Paired(diff, se, twoSidedP(diff, se), seeds, users);
    }

    /** Holm-adjusted p of each comparison that is not null, adjusted over those; NaN for the nulls; input order. */
    static double[] holm(List<Paired> comparisons) {
        double[] adjusted = holm(toArray(comparisons.stream().filter(c -> c != null).map(Paired::p).toList()));
        double[] out = new double[comparisons.size()];
        int k = 0;
        for (int i = 0; i < out.length; i++) {
            out[i] = comparisons.get(i) == null ? Double.NaN : adjusted[k++];
        }
        return out;
    }

    /**
     * Holm's step-down adjustment of {@code p} for testing them all at once (family-wise error): the i-th smallest
     * becomes {@code max over j <= i of min(1, (m - j) p_(j))}, 0-based; returned in the input order.
     */
    static double[] holm(double[] p) {
        int m = p.length;
        Integer[] order = new Integer[m];
        for (int i = 0; i < m; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> p[i]));
        double[] adjusted = new double[m];
        double running = 0;
        for (int j = 0; j < m; j++) {
            running = Math.max(running, Math.min(1, (m - j) * p[order[j]]));
            adjusted[order[j]] = running;
        }
        return adjusted;
    }

    /** The two-sided p-value of a normal estimate {@code diff} with standard error {@code se} (1 when both are 0). */
    static double twoSidedP(double diff, double se) {
        if (se == 0) {
            return diff == 0 ? 1 : 0;
        }
        return erfc(Math.abs(diff / se) / Math.sqrt(2));
    }

    /**
     * The complementary error function, Chebyshev fit of Numerical Recipes ({@code erfcc}, fractional error below
     * 1.2e-7 everywhere): far more accurate than a p-value needs.
     */
    static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1 / (1 + 0.5 * z);
        double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }

    /**
     * The upper clicks bound of quintiles 1-4 of {@code clicks} (quintile 5 is open): bound k is the
     * ceil(k n / 5)-th smallest value, so a user with clicks <= bound k lies in quintile k or lower and ties at a
     * bound fall into the lower quintile.
     */
    static int[] quintileBounds(int[] clicks) {
        if (clicks.length == 0) {
            throw new IllegalArgumentException("quintiles of no users");
        }
        int[] sorted = clicks.clone();
        Arrays.sort(sorted);
        int[] bounds = new int[QUINTILES - 1];
        for (int k = 1; k < QUINTILES; k++) {
            bounds[k - 1] = sorted[(int) Math.ceil((double) k * sorted.length / QUINTILES) - 1];
        }
        return bounds;
    }

    /** The quintile (1 = least active .. 5) of a user with {@code clicks}, given {@link #quintileBounds}. */
    static int quintile(int clicks, int[] bounds) {
        for (int k = 0; k < bounds.length; k++) {
            if (clicks <= bounds[k]) {
                return k + 1;
            }
        }
        return QUINTILES;
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    /** The unbiased sample variance (n - 1 in the denominator); 0 for one value. */
    static double sampleVariance(double[] v) {
        if (v.length < 2) {
            return 0;
        }
        double m = mean(v);
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return s / (v.length - 1);
    }

    /** The standard error of the mean of {@code v}: sample standard deviation / sqrt(n). */
    static double standardError(double[] v) {
        return Math.sqrt(sampleVariance(v) / v.length);
    }

    /** The values of {@code v} as an array. */
    static double[] toArray(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** The median of {@code v} (mean of the middle two for an even count); {@code v} is left unchanged. */
    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
