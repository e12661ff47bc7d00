package dev.sparsecf.study.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsecf.study.report.BetaStudyStats.Estimate;
import dev.sparsecf.study.report.BetaStudyStats.Paired;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class BetaStudyStatsTest {

    /** A few roundings of values near 0.1: a handful of ulps. */
    private static final double EXACT = 1e-15;
    /** The erfc fit's fractional error bound (Numerical Recipes). */
    private static final double ERFC_RELATIVE = 1.2e-7;

    @Test
    void holmAdjustsStepDownAndKeepsTheInputOrder() {
        // sorted 0.005, 0.01, 0.03, 0.04 -> 4 x 0.005, 3 x 0.01, 2 x 0.03, 1 x 0.04 = 0.02, 0.03, 0.06, 0.04, then
        // made monotone: 0.02, 0.03, 0.06, 0.06
        assertArrayEquals(new double[] {0.03, 0.06, 0.06, 0.02}, BetaStudyStats.holm(new double[] {0.01, 0.04, 0.03, 0.005}),
                1e-15);
        assertArrayEquals(new double[] {1, 1}, BetaStudyStats.holm(new double[] {0.6, 0.7}), 0);
        assertArrayEquals(new double[] {0.2}, BetaStudyStats.holm(new double[] {0.2}), 0);
        assertArrayEquals(new double[0], BetaStudyStats.holm(new double[0]), 0);
    }

    @Test
    void perUserTestCombinesPerSeedMeansAndStandardErrorsAsFixedEffects() {
        // seed 1: diffs 0.1 0.2 0.0 0.1 -> mean 0.1, sample variance 0.02/3, SE^2 = 0.02/3/4 = 1/600
        // seed 2: diffs 0.3 -0.1      -> mean 0.1, sample variance 0.08,   SE^2 = 0.08/2   = 0.04
        // combined: diff 0.1, SE = sqrt(1/600 + 0.04) / 2 = 0.10206..., z = 0.9798, p = 2 (1 - Phi(z)) = 0.3272
        Paired p = BetaStudyStats.paired(List.of(new double[] {0.1, 0.2, 0.0, 0.1}, new double[] {0.3, -0.1}));
        assertEquals(0.1, p.diff(), EXACT);
        assertEquals(Math.sqrt(1.0 / 600 + 0.04) / 2, p.userSe(), EXACT);
        assertEquals(0.327, p.userP(), 0.0005);
        assertEquals(2, p.seeds());
        assertEquals(6, p.users());
        // both seeds' means are 0.1 (to rounding): no spread across seeds, so the seed-level t is huge
        assertEquals(0, p.seedSe(), 1e-15);
        assertEquals(0, p.seedP(), 1e-12);
    }

    /**
     * The Amazon-Book example: per-seed mean differences +0.0004, -0.0053, -0.0044 (each from two users
     * 0.01 either side). By hand: mean -0.0031, sample sd sqrt(((0.0035)^2 + (0.0022)^2 + (0.0013)^2) / 2)
     * = 0.0030643, SE = sd / sqrt(3) = 0.00176918, t = -1.752224 with df 2; for df 2 the two-sided p has the closed
     * form 1 - |t| / sqrt(2 + t^2) = 0.2218322 (python3, math only).
     */
    @Test
    void seedLevelTestIsAOneSampleTTestOfThePerSeedMeans() {
        Paired p = BetaStudyStats.paired(List.of(new double[] {0.0104, -0.0096}, new double[] {0.0047, -0.0153},
                new double[] {0.0056, -0.0144}));
        assertEquals(-0.0031, p.diff(), 1e-15);
        assertEquals(0.0017691806012954134, p.seedSe(), 1e-15);
        assertEquals(0.22183224587485217, p.seedP(), 1e-9);
        assertTrue(p.seedTested());
        assertEquals(3, p.seeds());
        // per user: each seed's SE^2 = 0.0002 / 2, SE = sqrt(3 x 0.0001) / 3 = 0.0057735, z = 0.5369, p = 0.5913
        assertEquals(Math.sqrt(3 * 0.0002 / 2) / 3, p.userSe(), 1e-15);
        assertEquals(0.5913, p.userP(), 0.0005);
    }

    @Test
    void oneSeedHasNoSeedLevelTestAndStaysOutOfHolm() {
        Paired one = BetaStudyStats.paired(List.of(new double[] {0.1, 0.3}));
        assertFalse(one.seedTested());
        assertTrue(Double.isNaN(one.seedP()) && Double.isNaN(one.seedSe()), one.toString());
        assertEquals(0.1, one.userSe(), EXACT); // the per-user test is still there: sd sqrt(0.02) over sqrt(2)
        // a family of three seed-level p 0.01, 0.04, 0.03 with a one-seed comparison and a missing one between:
        // Holm over the three only, sorted 0.01, 0.03, 0.04 -> 3 x 0.01, 2 x 0.03, 1 x 0.04 = 0.03, 0.06, 0.04,
        // then made monotone: 0.03, 0.06, 0.06
        double[] holm = BetaStudyStats.holm(Arrays.asList(seedP(0.01), one, seedP(0.04), null, seedP(0.03)));
        assertArrayEquals(new double[] {0.03, Double.NaN, 0.06, Double.NaN, 0.06}, holm, 1e-15);
    }

    /** A two-seed comparison whose seed-level p is {@code p}. */
    private static Paired seedP(double p) {
        return new Paired(0.01, 0.001, p, 0.001, p, 2, 100);
    }

    @Test
    void twoSidedTPValueMatchesStudentsT() {
        // df 1 (Cauchy): p = 1 - 2 atan(|t|) / pi, so t = 1 gives 0.5; df 2: t = 4.302653 is the 97.5% quantile
        assertEquals(0.5, BetaStudyStats.twoSidedTP(0.3, 0.3, 1), 1e-12);
        assertEquals(0.05, BetaStudyStats.twoSidedTP(-4.302652729911275, 1, 2), 1e-9);
        assertEquals(1, BetaStudyStats.twoSidedTP(0, 0, 2), 0);
        assertEquals(0, BetaStudyStats.twoSidedTP(0.2, 0, 2), 0);
    }

    @Test
    void seedsWithFewerThanTwoUsersAreLeftOut() {
        Paired p = BetaStudyStats.paired(List.of(new double[] {0.5}, new double[] {0.1, 0.3}));
        assertEquals(1, p.seeds());
        assertEquals(0.2, p.diff(), EXACT);
        assertEquals(0.1, p.userSe(), EXACT); // sd sqrt(0.02) over sqrt(2)
        assertNull(BetaStudyStats.paired(List.of(new double[] {0.5}, new double[0])));
    }

    @Test
    void twoSidedPValueMatchesTheNormalQuantiles() {
        assertEquals(0.05, BetaStudyStats.twoSidedP(1.959963984540054, 1), 0.05 * ERFC_RELATIVE + 1e-12);
        assertEquals(0.01, BetaStudyStats.twoSidedP(-2.5758293035489, 1), 0.01 * ERFC_RELATIVE + 1e-12);
        assertEquals(1, BetaStudyStats.twoSidedP(0, 0.3), ERFC_RELATIVE);
        assertEquals(2 - BetaStudyStats.erfc(0.5), BetaStudyStats.erfc(-0.5), EXACT);
    }

    @Test
    void overSeedsUsesTheSpreadAcrossSeedsOrTheOneSeedsOwnStandardError() {
        Estimate two = BetaStudyStats.overSeeds(new double[] {0.3, 0.4}, new double[] {0.01, 0.02});
        assertEquals(0.35, two.mean(), EXACT);
        assertEquals(0.05, two.se(), EXACT); // sd 0.0707 / sqrt(2)
        Estimate one = BetaStudyStats.overSeeds(new double[] {0.3}, new double[] {0.01});
        assertEquals(new Estimate(0.3, 0.01, 1), one);
        assertEquals(0, BetaStudyStats.overSeeds(new double[0], new double[0]).n());
    }

    @Test
    void quintileBoundsAreTheOrderStatisticsAtEachFifth() {
        // n = 10: bounds at ranks ceil(2), ceil(4), ceil(6), ceil(8)
        assertArrayEquals(new int[] {2, 4, 6, 8}, BetaStudyStats.quintileBounds(new int[] {10, 9, 8, 7, 6, 5, 4, 3, 2, 1}));
        // ties at a bound go to the lower quintile, so quintiles 2 and 3 can be empty
        int[] ties = BetaStudyStats.quintileBounds(new int[] {5, 5, 5, 5, 5, 5, 7, 9, 20, 50});
        assertArrayEquals(new int[] {5, 5, 5, 9}, ties);
        assertEquals(1, BetaStudyStats.quintile(5, ties));
        assertEquals(4, BetaStudyStats.quintile(7, ties));
        assertEquals(4, BetaStudyStats.quintile(9, ties));
        assertEquals(5, BetaStudyStats.quintile(20, ties));
        // n = 7: ranks ceil(1.4) = 2, ceil(2.8) = 3, ceil(4.2) = 5, ceil(5.6) = 6
        assertArrayEquals(new int[] {2, 3, 5, 6}, BetaStudyStats.quintileBounds(new int[] {1, 2, 3, 4, 5, 6, 7}));
        assertThrows(IllegalArgumentException.class, () -> BetaStudyStats.quintileBounds(new int[0]));
    }

    @Test
    void medianOfOddAndEvenCounts() {
        assertEquals(2, BetaStudyStats.median(new double[] {3, 1, 2}));
        assertEquals(2.5, BetaStudyStats.median(new double[] {4, 1, 3, 2}));
    }
}
