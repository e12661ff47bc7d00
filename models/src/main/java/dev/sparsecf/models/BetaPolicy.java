package dev.sparsecf.models;

import java.util.Arrays;
import java.util.Locale;

/**
 * How the KL weight beta is chosen for each update and each user of a batch. Instances may keep state
 * (feedback policies adapt to the KL they observe), so one instance serves exactly one training run.
 */
public interface BetaPolicy {

    /**
     * Fills {@code rowBeta[0..m)} for the update with 0-based index {@code step} of {@code totalSteps};
     * {@code rowClicks[r]} is the r-th batch user's number of training clicks.
     */
    void rowBetas(long step, long totalSteps, int[] rowClicks, int m, float[] rowBeta);

    /** Called after each update with that batch's mean KL (nats per user); feedback policies adapt to it. */
    default void observe(double meanKl) {
    }

    /** A short label for logs and result rows. */
    String describe();

    /** The state {@link #observe} changes (none for most policies), as a {@link TrainingCheckpoint} keeps it. */
    default double[] state() {
        return new double[0];
    }

    /** Sets the state {@link #state()} returned, so that a resumed run goes on as an uninterrupted one. */
    default void restore(double[] state) {
        if (state.length != 0) {
            throw new IllegalArgumentException("beta policy " + describe() + " keeps no state, the checkpoint holds "
                    + state.length + " values");
        }
    }

    /** Every user of an update gets {@code schedule.beta(step, totalSteps)}. */
    static BetaPolicy global(BetaSchedule schedule) {
        if (schedule == null) {
            throw new IllegalArgumentException("beta schedule is required");
        }
        return new BetaPolicy() {
            @Override
            public void rowBetas(long step, long totalSteps, int[] rowClicks, int m, float[] rowBeta) {
                Arrays.fill(rowBeta, 0, m, (float) schedule.beta(step, totalSteps));
            }

            @Override
            public String describe() {
                return schedule.describe();
            }
        };
    }

    /**
     * {@code beta_u = meanBeta * c_u^exponent / mean_train(c^exponent)} for a user with {@code c_u} training clicks,
     * so the mean beta over the training users ({@code trainClicks}, every count >= 1) is {@code meanBeta}.
     * Exponent 1 is RecVAE's beta proportional to clicks (Shenbin et al. 2020), -1 inversely proportional, 0 constant.
     */
    static BetaPolicy perUser(double meanBeta, double exponent, int[] trainClicks) {
        BetaSchedule.requireNonNegative("mean beta", meanBeta);
        if (!Double.isFinite(exponent)) {
            throw new IllegalArgumentException("per-user beta exponent must be finite, got " + exponent);
        }
        if (trainClicks == null || trainClicks.length == 0) {
            throw new IllegalArgumentException("per-user beta needs the click counts of at least one training user");
        }
        double sum = 0;
        for (int u = 0; u < trainClicks.length; u++) {
            requireClicks("training user " + u, trainClicks[u]);
            sum += Math.pow(trainClicks[u], exponent);
        }
        double scale = meanBeta / (sum / trainClicks.length);
        if (!Double.isFinite(scale)) {
            throw new IllegalArgumentException("per-user beta: mean of clicks^" + exponent + " over " + trainClicks.length
                    + " training users is " + sum / trainClicks.length + ", too extreme to normalise");
        }
        return new BetaPolicy() {
            @Override
            public void rowBetas(long step, long totalSteps, int[] rowClicks, int m, float[] rowBeta) {
                for (int r = 0; r < m; r++) {
                    requireClicks("batch row " + r, rowClicks[r]);
                    rowBeta[r] = (float) (scale * Math.pow(rowClicks[r], exponent));
                }
            }

            @Override
            public String describe() {
                return String.format(Locale.ROOT, "per-user(mean=%s, exponent=%s)", meanBeta, exponent);
            }
        };
    }

    /** ControlVAE proportional gain: the P term lies in (kp / (1 + e), kp], a small push that never dominates I. */
    double DEFAULT_KP = 0.01;
    /**
     * ControlVAE integral gain per update on the relative error: at KL twice the target (e = -1) the integral
     * climbs 0.002 per update, so beta reaches 0.5 in 250 updates (about one ML-20M epoch at batch 500), while the
     * loop gain on the toy plant {@code 200 exp(-5 beta)} stays far below the oscillation limit.
     */
    double DEFAULT_KI = 0.002;
    /** The largest beta a KL-target controller may set: the full ELBO weight. */
    double DEFAULT_BETA_MAX = 1.0;

    /**
     * A PI controller in the style of ControlVAE (Shao et al. 2020) that steers the batch mean KL to {@code targetKl}
     * nats per user. With relative error {@code e = (targetKl - kl) / targetKl}: {@code P = kp / (1 + exp(e))},
     * {@code I -= ki * e} (clamped so that {@code P + I} stays in [0, betaMax]: no wind-up while saturated), and
     * {@code beta = clamp(P + I, 0, betaMax)} for every user of the next update. Beta is 0 until the first observation.
     */
    static BetaPolicy klTarget(double targetKl, double kp, double ki, double betaMax) {
        if (!(targetKl > 0) || Double.isInfinite(targetKl)) {
            throw new IllegalArgumentException("KL target must be a finite number > 0 (nats per user), got " + targetKl);
        }
        BetaSchedule.requireNonNegative("controller gain kp", kp);
        BetaSchedule.requireNonNegative("controller gain ki", ki);
        if (!(betaMax > 0) || Double.isInfinite(betaMax)) {
            throw new IllegalArgumentException("beta max must be a finite number > 0, got " + betaMax);
        }
        return new BetaPolicy() {
            private double integral;
            private double beta;

            @Override
            public void rowBetas(long step, long totalSteps, int[] rowClicks, int m, float[] rowBeta) {
                Arrays.fill(rowBeta, 0, m, (float) beta);
            }

            @Override
            public void observe(double meanKl) {
                if (!Double.isFinite(meanKl)) {
                    throw new IllegalArgumentException("KL-target controller observed a non-finite mean KL: " + meanKl);
                }
                double e = (targetKl - meanKl) / targetKl;
                // e <= 1 for any KL >= 0, so exp(e) cannot overflow; a large KL drives exp(e) to 0 and P to kp
                double p = kp / (1 + Math.exp(e));
                integral = Math.clamp(integral - ki * e, -p, betaMax - p);
                beta = Math.clamp(p + integral, 0, betaMax);
            }

            @Override
            public String describe() {
                return String.format(Locale.ROOT, "kl-target(%s nats, kp=%s, ki=%s, max=%s)", targetKl, kp, ki, betaMax);
            }

            @Override
            public double[] state() {
                return new double[] {integral, beta};
            }

            @Override
            public void restore(double[] state) {
                if (state.length != 2) {
                    throw new IllegalArgumentException("beta policy " + describe() + " keeps 2 values (integral, beta),"
                            + " the checkpoint holds " + state.length);
                }
                integral = state[0];
                beta = state[1];
            }
        };
    }

    private static void requireClicks(String who, int clicks) {
        if (clicks < 1) {
            throw new IllegalArgumentException("per-user beta needs >= 1 training click per user; " + who + " has " + clicks);
        }
    }
}
