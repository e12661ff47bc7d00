package dev.sparsecf.study.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.commons.statistics.distribution.TDistribution;

/** The beta-study report's statistics: means with SEs, paired tests at the seed and user level, Holm, quintiles. */
public final class BetaStudyStats {

    /** The number of activity groups of test users. */
    static final int QUINTILES = 5;

    private BetaStudyStats() {
    }

    /** A mean with its standard error over {@code n} values (or seeds); NaN mean when n = 0. */
    record Estimate(double mean, double se, int n) {
    }

    /**
     * A paired difference A - B over test users: {@code diff} is the mean over seeds of each seed's mean per-user
     * difference. Primary, seed level: the one-sample t-test of those per-seed means ({@code seedSe} their standard
     * error, df = seeds - 1, two-sided {@code seedP}); NaN for both with one seed. Secondary, user level: the seeds as
     * fixed effects, SE sqrt(sum SE_s^2) / seeds of the per-seed SEs over users, two-sided normal {@code userP}; it
     * leaves the training noise between seeds out.
     */
    record Paired(double diff, double seedSe, double seedP, double userSe, double userP, int seeds, int users) {

        /** Whether there is a seed-level test: it needs two seeds or more. */
        boolean seedTested() {
            return seeds > 1;
        }
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
     * The paired tests of per-user differences, one array per seed; seeds with fewer than two users are left out,
     * and null is returned when none remains.
     */
    static Paired paired(List<double[]> diffsBySeed) {
        List<Double> seedMeans = new ArrayList<>();
        double var = 0;
        int users = 0;
        for (double[] d : diffsBySeed) {
            if (d.length < 2) {
                continue;
            }
            seedMeans.add(mean(d));
            var += sampleVariance(d) / d.length;
            users += d.length;
        }
        int seeds = seedMeans.size();
        if (seeds == 0) {
            return null;
        }
        double[] means = toArray(seedMeans);
        double diff = mean(means);
        double userSe = Math.sqrt(var) / seeds;
        double seedSe = seeds > 1 ? standardError(means) : Double.NaN;
        double seedP = seeds > 1 ? twoSidedTP(diff, seedSe, seeds - 1) : Double.NaN;
        return new Paired(diff, seedSe, seedP, userSe, twoSidedP(diff, userSe), seeds, users);
    }

    /**
     * Holm-adjusted seed-level p of each comparison that has one, adjusted over those; NaN for the others (null, or
     * one seed); input order.
     */
    static double[] holm(List<Paired> comparisons) {
        double[] adjusted = holm(toArray(comparisons.stream().filter(c -> c != null && c.seedTested())
                .map(Paired::seedP).toList()));
        double[] out = new double[comparisons.size()];
        int k = 0;
        for (int i = 0; i < out.length; i++) {
            Paired c = comparisons.get(i);
            out[i] = c == null || !c.seedTested() ? Double.NaN : adjusted[k++];
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

    /**
     * The two-sided p-value of an estimate {@code diff} with standard error {@code se} under Student's t with
     * {@code df} degrees of freedom (1 when both are 0, 0 for a nonzero diff without spread).
     */
    static double twoSidedTP(double diff, double se, int df) {
        if (se == 0) {
            return diff == 0 ? 1 : 0;
        }
        return 2 * TDistribution.of(df).survivalProbability(Math.abs(diff / se));
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
