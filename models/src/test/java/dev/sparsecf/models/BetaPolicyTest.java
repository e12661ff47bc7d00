package dev.sparsecf.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Per-user normalisation and ordering, and the KL-target controller on a toy plant. */
class BetaPolicyTest {

    private static final int[] CLICKS = {1, 2, 3, 5, 8, 13, 40, 200};

    private static float[] betasOf(BetaPolicy policy, int[] clicks) {
        float[] beta = new float[clicks.length];
        policy.rowBetas(0, 1, clicks, clicks.length, beta);
        return beta;
    }

    private static double mean(float[] values) {
        double s = 0;
        for (float v : values) {
            s += v;
        }
        return s / values.length;
    }

    @Test
    void perUserBetasAverageToTheMeanOverTrainingUsers() {
        for (double exponent : new double[] {1, -1, 0.5, 0}) {
            float[] beta = betasOf(BetaPolicy.perUser(0.2, exponent, CLICKS), CLICKS);
            // each beta is a double rounded to float (relative error <= 2^-24); all positive, so the mean is too
            assertEquals(0.2, mean(beta), 0.2 * 0x1p-24 * 2, "exponent " + exponent);
        }
    }

    @Test
    void matchedGridBetasAverageToEachMean() {
        int[] clicks = new java.util.SplittableRandom(3).ints(997, 1, 2000).toArray();
        for (double mean : new double[] {0.005, 0.01, 0.04, 0.3}) {
            for (double exponent : new double[] {-1, -0.5, 0.5, 1}) {
                float[] beta = betasOf(BetaPolicy.perUser(mean, exponent, clicks), clicks);
                // as above: every beta is within a float rounding of its exact value, and all are positive
                assertEquals(mean, mean(beta), mean * 0x1p-24 * 2, "mean " + mean + ", exponent " + exponent);
            }
        }
    }

    @Test
    void exponentZeroIsTheConstantBetaBitForBit() {
        int[] clicks = new java.util.SplittableRandom(5).ints(1001, 1, 5000).toArray();
        for (double mean : new double[] {0, 0.005, 0.01, 0.02, 0.04, 0.1, 0.2, 0.3, 0.75, 1}) {
            float[] perUser = betasOf(BetaPolicy.perUser(mean, 0, clicks), clicks);
            float[] global = betasOf(BetaPolicy.global(BetaSchedule.constant(mean)), clicks);
            for (int u = 0; u < clicks.length; u++) {
                assertEquals(Float.floatToRawIntBits(global[u]), Float.floatToRawIntBits(perUser[u]),
                        "mean " + mean + ", user " + u + ": " + perUser[u] + " vs the constant " + global[u]);
            }
        }
    }

    @Test
    void proportionalBetaGrowsWithClicksAndInverseShrinks() {
        float[] proportional = betasOf(BetaPolicy.perUser(0.2, 1, CLICKS), CLICKS);
        float[] inverse = betasOf(BetaPolicy.perUser(0.2, -1, CLICKS), CLICKS);
        double meanClicks = 272 / 8.0;
        for (int u = 0; u < CLICKS.length; u++) {
            assertEquals(0.2 * CLICKS[u] / meanClicks, proportional[u], Math.ulp(proportional[u]), "proportional, user " + u);
            if (u > 0) {
                assertTrue(proportional[u] > proportional[u - 1], "proportional beta rises with clicks at user " + u);
                assertTrue(inverse[u] < inverse[u - 1], "inverse beta falls with clicks at user " + u);
            }
        }
        assertArrayEquals(new float[] {0.2f, 0.2f}, betasOf(BetaPolicy.perUser(0.2, 0, CLICKS), new int[] {1, 300}));
    }

    @Test
    void perUserRejectsUsersWithoutClicks() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BetaPolicy.perUser(0.2, 1, new int[] {3, 0, 2}));
        assertTrue(e.getMessage().contains("training user 1 has 0"), e.getMessage());
        BetaPolicy policy = BetaPolicy.perUser(0.2, -1, CLICKS);
        e = assertThrows(IllegalArgumentException.class, () -> betasOf(policy, new int[] {4, 0}));
        assertTrue(e.getMessage().contains("batch row 1 has 0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BetaPolicy.perUser(-0.1, 1, CLICKS));
        assertThrows(IllegalArgumentException.class, () -> BetaPolicy.perUser(0.2, 1, new int[0]));
        assertThrows(IllegalArgumentException.class, () -> BetaPolicy.perUser(0.2, Double.NaN, CLICKS));
    }

    @Test
    void globalFollowsTheSchedule() {
        BetaPolicy policy = BetaPolicy.global(BetaSchedule.linearBySteps(10, 1.0));
        float[] beta = new float[3];
        policy.rowBetas(4, 100, new int[] {1, 2, 3}, 2, beta);
        assertArrayEquals(new float[] {0.4f, 0.4f, 0f}, beta, "rows beyond m untouched");
    }

    /** A stand-in for the VAE: the batch KL falls exponentially as beta rises. */
    private static double plant(double beta) {
        return 200 * Math.exp(-5 * beta);
    }

    @Test
    void klTargetSteersTheToyPlantToTheTarget() {
        double target = 50;
        BetaPolicy policy = BetaPolicy.klTarget(target, BetaPolicy.DEFAULT_KP, BetaPolicy.DEFAULT_KI, BetaPolicy.DEFAULT_BETA_MAX);
        float[] beta = new float[2];
        double kl = Double.NaN;
        for (int step = 0; step < 600; step++) {
            policy.rowBetas(step, 600, new int[] {1, 1}, 2, beta);
            if (step == 0) {
                assertEquals(0f, beta[0], "beta starts at 0 before any observation");
            }
            assertTrue(beta[0] >= 0 && beta[0] <= BetaPolicy.DEFAULT_BETA_MAX, "step " + step + ": beta " + beta[0]);
            kl = plant(beta[0]);
            policy.observe(kl);
        }
        // the fixed point is beta = ln(4) / 5 = 0.277; the P term's offset is absorbed by the integral
        assertEquals(target, kl, 0.02 * target, "KL after 600 updates");
        assertEquals(Math.log(4) / 5, beta[0], 0.01, "beta after 600 updates");
    }

    @Test
    void klTargetRisesToHalfInAFewHundredUpdatesAtTwiceTheTarget() {
        // KL stuck at twice the target (e = -1): the integral climbs ki per update and P adds at most kp
        BetaPolicy policy = BetaPolicy.klTarget(10, BetaPolicy.DEFAULT_KP, BetaPolicy.DEFAULT_KI, BetaPolicy.DEFAULT_BETA_MAX);
        float[] beta = new float[1];
        int reachedHalf = -1;
        for (int step = 0; step < 1000 && reachedHalf < 0; step++) {
            policy.rowBetas(step, 1000, new int[] {1}, 1, beta);
            if (beta[0] >= 0.5f) {
                reachedHalf = step;
            }
            policy.observe(20);
        }
        double expected = (0.5 - BetaPolicy.DEFAULT_KP / (1 + Math.exp(-1))) / BetaPolicy.DEFAULT_KI;
        assertEquals(expected, reachedHalf, 2, "updates until beta reached 0.5");
        assertTrue(reachedHalf < 300, "a few hundred updates: " + reachedHalf);
    }

    @Test
    void klTargetSaturatesAtBetaMaxWithoutWindUp() {
        // an unreachable target (the plant's KL never drops below 200 e^-2.5 = 16.4 for beta <= 0.5) pins beta at betaMax
        BetaPolicy policy = BetaPolicy.klTarget(5, BetaPolicy.DEFAULT_KP, BetaPolicy.DEFAULT_KI, 0.5);
        float[] beta = new float[1];
        for (int step = 0; step < 1000; step++) {
            policy.rowBetas(step, 1000, new int[] {1}, 1, beta);
            assertTrue(beta[0] >= 0 && beta[0] <= 0.5f, "step " + step + ": beta " + beta[0]);
            policy.observe(plant(beta[0]));
        }
        assertEquals(0.5f, beta[0], "saturated at betaMax");
        // with the integral clamped, one KL below the target already lowers beta (a wound-up integral would not move)
        policy.observe(2.5);
        policy.rowBetas(1000, 1000, new int[] {1}, 1, beta);
        assertTrue(beta[0] < 0.5f, "beta after KL fell under the target: " + beta[0]);
    }

    @Test
    void klTargetIsDeterministicAndValidates() {
        BetaPolicy a = BetaPolicy.klTarget(20, 0.01, 0.002, 1);
        BetaPolicy b = BetaPolicy.klTarget(20, 0.01, 0.002, 1);
        float[] ba = new float[1];
        float[] bb = new float[1];
        for (int step = 0; step < 50; step++) {
            a.rowBetas(step, 50, new int[] {1}, 1, ba);
            b.rowBetas(step, 50, new int[] {1}, 1, bb);
            assertEquals(ba[0], bb[0], "step " + step);
            a.observe(plant(ba[0]));
            b.observe(plant(bb[0]));
        }
        assertThrows(IllegalArgumentException.class, () -> BetaPolicy.klTarget(0, 0.01, 0.002, 1));
        assertThrows(IllegalArgumentException.class, () -> BetaPolicy.klTarget(20, -1, 0.002, 1));
        assertThrows(IllegalArgumentException.class, () -> BetaPolicy.klTarget(20, 0.01, 0.002, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.observe(Double.NaN));
        assertTrue(e.getMessage().contains("non-finite"), e.getMessage());
    }
}
