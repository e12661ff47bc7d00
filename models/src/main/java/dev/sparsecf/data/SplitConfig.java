package dev.sparsecf.data;

/**
 * Parameters of the held-out-user protocol of Liang et al. 2018 ({@link DataSplit#create}).
 *
 * @param seed            seeds the user shuffle and the per-user fold-in/evaluation split
 * @param validationUsers held-out validation users, or {@link #AUTO} for {@link #defaultHeldOutUsers(int)}
 * @param testUsers       held-out test users, or {@link #AUTO}
 * @param minUserItems    users with fewer positives are dropped; held-out users with fewer (after dropping
 *                        non-training items) get no evaluation items (Liang: 5 for both)
 * @param evalFraction    share of a held-out user's items used for evaluation, the rest is fold-in (Liang: 0.2)
 */
public record SplitConfig(long seed, int validationUsers, int testUsers, int minUserItems, double evalFraction) {

    /** Marks a held-out user count to be sized from the data. */
    public static final int AUTO = -1;

    /** Liang et al. held out 10,000 users each for validation and test on ML-20M; never hold out more. */
    public static final int MAX_HELD_OUT_USERS = 10_000;

    public SplitConfig {
        if (validationUsers < AUTO || testUsers < AUTO) {
            throw new IllegalArgumentException("held-out user counts must be >= 0 (or AUTO), got " + validationUsers + " and " + testUsers);
        }
        if (minUserItems < 1) {
            throw new IllegalArgumentException("minUserItems must be >= 1, got " + minUserItems);
        }
        if (!(evalFraction > 0 && evalFraction < 1)) {
            throw new IllegalArgumentException("evalFraction must be in (0, 1), got " + evalFraction);
        }
    }

    /** Liang et al.'s settings (users with >= 5 items, 20% evaluation items) and held-out counts sized to the data. */
    public static SplitConfig defaults(long seed) {
        return new SplitConfig(seed, AUTO, AUTO, 5, 0.2);
    }

    /** This configuration with explicit held-out user counts. */
    public SplitConfig withHeldOutUsers(int validation, int test) {
        return new SplitConfig(seed, validation, test, minUserItems, evalFraction);
    }

    /**
     * Held-out users per set for {@code users} eligible users: 10% rounded down to two significant digits,
     * capped at {@value #MAX_HELD_OUT_USERS} and at least 1 when there are 3 or more users. This gives
     * 10,000 for ML-20M (136,677 users), 600 for ML-1M (6,034) and 94 for ML-100K (943).
     */
    public static int defaultHeldOutUsers(int users) {
        int tenth = Math.min(MAX_HELD_OUT_USERS, users / 10);
        int unit = 1;
        while (tenth / unit >= 100) {
            unit *= 10;
        }
        int rounded = tenth / unit * unit;
        return users >= 3 ? Math.max(1, rounded) : 0;
    }
}
