package dev.sparsecf.models;

import java.util.Locale;

/**
 * The KL weight beta as a function of training progress. {@code step} counts parameter updates (0-based,
 * the value used for that update) and {@code totalSteps} is the number planned for the whole run.
 */
public interface BetaSchedule {

    /** Beta for the update with index {@code step} of {@code totalSteps}. */
    double beta(long step, long totalSteps);

    /** A short label for logs and result rows. */
    String describe();

    /** The same beta for every update. */
    static BetaSchedule constant(double beta) {
        requireNonNegative("beta", beta);
        return new BetaSchedule() {
            @Override
            public double beta(long step, long totalSteps) {
                return beta;
            }

            @Override
            public String describe() {
                return String.format(Locale.ROOT, "constant(%s)", beta);
            }
        };
    }

    /**
     * Liang et al.'s anneal: {@code min(cap, step / annealSteps)}, with a fixed step count (their code uses
     * 200,000 steps and cap 0.2, which a small dataset never reaches).
     */
    static BetaSchedule linearBySteps(long annealSteps, double cap) {
        requirePositive("anneal steps", annealSteps);
        requireNonNegative("anneal cap", cap);
        return new BetaSchedule() {
            @Override
            public double beta(long step, long totalSteps) {
                return Math.min(cap, (double) step / annealSteps);
            }

            @Override
            public String describe() {
                return String.format(Locale.ROOT, "linear(steps=%d, cap=%s)", annealSteps, cap);
            }
        };
    }

    /** The same linear anneal, reaching {@code cap} after {@code fraction} of the planned updates. */
    static BetaSchedule linearByFraction(double fraction, double cap) {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("anneal fraction must be in (0, 1], got " + fraction);
        }
        requireNonNegative("anneal cap", cap);
        return new BetaSchedule() {
            @Override
            public double beta(long step, long totalSteps) {
                double annealSteps = Math.max(1, fraction * totalSteps);
                return Math.min(cap, cap * step / annealSteps);
            }

            @Override
            public String describe() {
                return String.format(Locale.ROOT, "linear(fraction=%s, cap=%s)", fraction, cap);
            }
        };
    }

    /**
     * Cyclical annealing (Fu et al. 2019): the run is split into {@code cycles} equal cycles; within each,
     * beta rises linearly from 0 to {@code cap} over the first {@code rampFraction} of the cycle, then holds.
     */
    static BetaSchedule cyclical(int cycles, double rampFraction, double cap) {
        requirePositive("cycles", cycles);
        if (!(rampFraction > 0 && rampFraction <= 1)) {
            throw new IllegalArgumentException("cyclical ramp fraction must be in (0, 1], got " + rampFraction);
        }
        requireNonNegative("anneal cap", cap);
        return new BetaSchedule() {
            @Override
            public double beta(long step, long totalSteps) {
                double cycleLength = Math.max(1.0, (double) totalSteps / cycles);
                double position = (step % (long) Math.ceil(cycleLength)) / cycleLength;
                return cap * Math.min(1.0, position / rampFraction);
            }

            @Override
            public String describe() {
                return String.format(Locale.ROOT, "cyclical(cycles=%d, ramp=%s, cap=%s)", cycles, rampFraction, cap);
            }
        };
    }

    /** Throws unless {@code value} is a finite number >= 0; the message names {@code what}. */
    static void requireNonNegative(String what, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(what + " must be a finite number >= 0, got " + value);
        }
    }

    private static void requirePositive(String what, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(what + " must be > 0, got " + value);
        }
    }
}
