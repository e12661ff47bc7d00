package dev.sparsecf.data;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The seeded choices of {@link DataSplit#create}, apart from the data: which of the eligible users are held out
 * (one seeded shuffle) and which of each held-out user's items are evaluated (one shared stream, drawn for the
 * validation users and then the test users, each set in canonical user order). A distributed reader that keeps
 * the eligible users' count and the held-out users' rows makes the same split with it.
 */
public final class SplitDraws {

    private final SplitConfig config;
    private final int[] train;
    private final int[] validation;
    private final int[] test;
    private final SplittableRandom holdOutRng;

    private SplitDraws(SplitConfig config, int[] train, int[] validation, int[] test, SplittableRandom holdOutRng) {
        this.config = config;
        this.train = train;
        this.validation = validation;
        this.test = test;
        this.holdOutRng = holdOutRng;
    }

    /**
     * Shuffles {@code eligibleUsers} users (those with {@code >= minUserItems} items, in canonical id order) and
     * assigns the last ones to test, the ones before them to validation, the rest to training.
     *
     * @throws IllegalArgumentException when the held-out users would leave no training user ({@code source} names the data)
     */
    public static SplitDraws of(int eligibleUsers, SplitConfig config, String source) {
        int n = eligibleUsers;
        int nValidation = config.validationUsers() == SplitConfig.AUTO ? SplitConfig.defaultHeldOutUsers(n) : config.validationUsers();
        int nTest = config.testUsers() == SplitConfig.AUTO ? SplitConfig.defaultHeldOutUsers(n) : config.testUsers();
        if ((long) nValidation + nTest >= n) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: %d validation + %d test users leave no training users among the %d users with >= %d items",
                    source, nValidation, nTest, n, config.minUserItems()));
        }
        SplittableRandom root = new SplittableRandom(config.seed());
        SplittableRandom shuffleRng = root.split();
        SplittableRandom holdOutRng = root.split();
        int[] perm = new int[n];
        Arrays.setAll(perm, u -> u);
        for (int i = n - 1; i > 0; i--) { // Fisher-Yates
            int j = shuffleRng.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        // within a set, users keep canonical id order: membership is what the seed decides
        return new SplitDraws(config, sorted(Arrays.copyOfRange(perm, 0, n - nValidation - nTest)),
                sorted(Arrays.copyOfRange(perm, n - nValidation - nTest, n - nTest)), sorted(Arrays.copyOfRange(perm, n - nTest, n)),
                holdOutRng);
    }

    private static int[] sorted(int[] a) {
        Arrays.sort(a);
        return a;
    }

    /** Training users: ranks among the eligible users, ascending. */
    public int[] trainUsers() {
        return train.clone();
    }

    /** Validation users: ranks among the eligible users, ascending. */
    public int[] validationUsers() {
        return validation.clone();
    }

    /** Test users: ranks among the eligible users, ascending. */
    public int[] testUsers() {
        return test.clone();
    }

    /**
     * The evaluation items of the next held-out user, who has {@code m} training items (in item order): a mask
     * over {@code 0..m-1} of {@code max(1, floor(evalFraction * m))} uniformly drawn positions, or all false
     * (drawing nothing) when {@code m < minUserItems}. Call it for every validation user, then every test user.
     */
    public boolean[] nextEvalMask(int m) {
        boolean[] mask = new boolean[m];
        if (m < config.minUserItems()) {
            return mask; // too few items to hold any out (Liang: n_items_u >= 5)
        }
        int[] kept = new int[m];
        Arrays.setAll(kept, t -> t);
        int evalCount = Math.max(1, (int) (config.evalFraction() * m));
        for (int t = 0; t < evalCount; t++) { // partial Fisher-Yates: a uniform evalCount-subset
            int j = t + holdOutRng.nextInt(m - t);
            int s = kept[t];
            kept[t] = kept[j];
            kept[j] = s;
            mask[kept[t]] = true;
        }
        return mask;
    }
}
