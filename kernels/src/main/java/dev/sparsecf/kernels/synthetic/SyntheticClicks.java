package dev.sparsecf.kernels.synthetic;

import dev.sparsecf.kernels.CsrMatrix;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Seeded synthetic implicit feedback with the shape of real click data: user activity is log-normal
 * (heavy-tailed, with a floor) and item popularity follows a Zipf law, so a few items are clicked by many
 * users and most by few. The same (shape, seed) always gives the same matrix.
 */
public final class SyntheticClicks {

    /** Users of MovieLens-20M after Liang et al.'s preprocessing. */
    public static final int ML20M_USERS = 136_677;
    /** Items of MovieLens-20M after Liang et al.'s preprocessing. */
    public static final int ML20M_ITEMS = 20_108;
    /** Mean clicks per user of ML-20M (about 10M interactions). */
    public static final double ML20M_MEAN_ACTIVITY = 73.0;
    /** Fewest clicks a kept user has (Liang et al. keep users with at least 5). */
    public static final int MIN_ACTIVITY = 5;

    /** Log-normal spread of user activity; 1.0 gives a median near 45 and a long tail for mean 73. */
    private static final double ACTIVITY_SIGMA = 1.0;
    /** Zipf exponent of item popularity. */
    private static final double POPULARITY_EXPONENT = 0.9;

    private SyntheticClicks() {
    }

    /** The ML-20M-shaped matrix (136,677 x 20,108, ~10M clicks) scaled by {@code scale} in users. */
    public static CsrMatrix ml20mShape(double scale, long seed) {
        int users = Math.max(1, (int) Math.round(ML20M_USERS * scale));
        return generate(users, ML20M_ITEMS, ML20M_MEAN_ACTIVITY, seed);
    }

    /**
     * A binary {@code users x items} matrix; each user has at least {@code min(MIN_ACTIVITY, items)} and on
     * average about {@code meanActivity} clicks (capped at {@code items}).
     */
    public static CsrMatrix generate(int users, int items, double meanActivity, long seed) {
        if (users < 0 || items < 1) {
            throw new IllegalArgumentException("need users >= 0 and items >= 1, got " + users + " x " + items);
        }
        if (!(meanActivity >= MIN_ACTIVITY)) {
            throw new IllegalArgumentException("mean activity must be >= " + MIN_ACTIVITY + ", got " + meanActivity);
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] popularityCdf = zipfCdf(items);
        // exp(mu + sigma^2/2) = mean - floor, so that floor + lognormal has the requested mean
        double mu = Math.log(meanActivity - MIN_ACTIVITY) - ACTIVITY_SIGMA * ACTIVITY_SIGMA / 2;
        int[] rowPtr = new int[users + 1];
        int[] cols = new int[Math.toIntExact(Math.min((long) users * items, (long) (users * meanActivity * 1.2) + 16))];
        boolean[] taken = new boolean[items];
        int[] row = new int[items];
        int nnz = 0;
        for (int u = 0; u < users; u++) {
            double g = rnd.nextGaussian();
            long activity = MIN_ACTIVITY + Math.round(Math.exp(mu + ACTIVITY_SIGMA * g));
            int count = (int) Math.min(items, activity);
            int got = 0;
            if (count * 2 > items) {
                // dense user: take a uniform subset, popularity sampling would reject too often
                for (int i = 0; i < items && got < count; i++) {
                    if (rnd.nextInt(items - i) < count - got) {
                        row[got++] = i;
                    }
                }
            } else {
                while (got < count) {
                    int item = sample(popularityCdf, rnd.nextDouble());
                    if (!taken[item]) {
                        taken[item] = true;
                        row[got++] = item;
                    }
                }
                for (int t = 0; t < got; t++) {
                    taken[row[t]] = false;
                }
            }
            Arrays.sort(row, 0, got);
            if (nnz + got > cols.length) {
                cols = Arrays.copyOf(cols, Math.max(nnz + got, cols.length + cols.length / 2));
            }
            System.arraycopy(row, 0, cols, nnz, got);
            nnz += got;
            rowPtr[u + 1] = nnz;
        }
        return CsrMatrix.binary(users, items, rowPtr, cols);
    }

    /** Cumulative Zipf weights over items, item 0 the most popular (a random permutation would only relabel). */
    private static double[] zipfCdf(int items) {
        double[] cdf = new double[items];
        double total = 0;
        for (int i = 0; i < items; i++) {
            total += 1.0 / Math.pow(i + 1, POPULARITY_EXPONENT);
            cdf[i] = total;
        }
        for (int i = 0; i < items; i++) {
            cdf[i] /= total;
        }
        return cdf;
    }

    private static int sample(double[] cdf, double u) {
        int i = Arrays.binarySearch(cdf, u);
        return Math.min(cdf.length - 1, i >= 0 ? i : -i - 1);
    }
}
