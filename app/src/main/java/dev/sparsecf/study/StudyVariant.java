package dev.sparsecf.study;

import dev.sparsecf.models.BetaPolicy;
import dev.sparsecf.models.BetaSchedule;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One grid point of the beta study: a {@code family} of beta policies (or a reference model) and its numeric
 * {@code param} (the beta, cap, mean beta or KL target; null for the references). {@code id} names the cell's
 * files and rows, so it must never change for a given point.
 */
public record StudyVariant(String id, Family family, Double param) {

    /** Liang et al.'s code anneals over this many updates, whatever the dataset. */
    public static final long PAPER_ANNEAL_STEPS = 200_000;
    /** The cap of the paper's anneal. */
    static final double PAPER_ANNEAL_CAP = 0.2;
    /** The rescaled anneal reaches its cap after this fraction of the planned updates (as {@code train}). */
    public static final double ANNEAL_FRACTION = 0.8;
    /** Cyclical annealing: cycles per run and the rising share of each cycle (Fu et al. 2019 use 4 and 0.5). */
    public static final int CYCLES = 4;
    public static final double CYCLE_RAMP = 0.5;
    /** The KL-target controller keeps beta in [0, this]. */
    public static final double CONTROLLER_MAX_BETA = 1.0;

    /** What a variant trains. */
    public enum Family {
        CONSTANT("constant"), ANNEAL("anneal"), ANNEAL_PAPER("anneal-paper"), CYCLICAL("cyclical"),
        PERUSER_CLICKS("peruser-clicks"), PERUSER_INVERSE("peruser-inverse"), KLTARGET("kltarget"),
        MULTDAE("multdae"), EASE("ease");

        public final String label;

        Family(String label) {
            this.label = label;
        }

        /** The family whose label is {@code label} (as in the {@code family} column of {@code cells.csv}). */
        public static Family byLabel(String label) {
            for (Family f : values()) {
                if (f.label.equals(label)) {
                    return f;
                }
            }
            throw new IllegalArgumentException("unknown variant family '" + label + "'");
        }

        /** A Mult-VAE trained with some beta policy (not a reference model). */
        public boolean isVae() {
            return this != MULTDAE && this != EASE;
        }
    }

    /** The grid: constant betas, the paper's and rescaled anneals, cyclical, per-user, KL targets, references. */
    public static List<StudyVariant> defaultGrid() {
        List<StudyVariant> grid = new ArrayList<>();
        for (double b : new double[] {0, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0}) {
            grid.add(of(Family.CONSTANT, "const", b));
        }
        grid.add(new StudyVariant("anneal-paper", Family.ANNEAL_PAPER, PAPER_ANNEAL_CAP));
        for (double cap : new double[] {0.1, 0.2, 0.5, 1.0}) {
            grid.add(of(Family.ANNEAL, "anneal", cap));
        }
        grid.add(of(Family.CYCLICAL, "cyclical", 0.2));
        grid.add(of(Family.PERUSER_CLICKS, "peruser-clicks", 0.2));
        grid.add(of(Family.PERUSER_INVERSE, "peruser-inverse", 0.2));
        for (double target : new double[] {10, 30, 100}) {
            grid.add(of(Family.KLTARGET, "kltarget", target));
        }
        grid.add(new StudyVariant("multdae", Family.MULTDAE, null));
        grid.add(new StudyVariant("ease", Family.EASE, null));
        return List.copyOf(grid);
    }

    private static StudyVariant of(Family family, String prefix, double param) {
        return new StudyVariant(prefix + "-" + number(param), family, param);
    }

    /** A number as short as it is exact: 0, 0.01, 1, 100. */
    public static String number(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    /**
     * The variants of {@code grid} that {@code selectors} name, in grid order: each selector is a variant id
     * ({@code const-0.2}) or a family ({@code constant}); an unknown one is an error listing the choices.
     */
    public static List<StudyVariant> select(List<StudyVariant> grid, List<String> selectors) {
        Set<StudyVariant> chosen = new LinkedHashSet<>();
        for (String raw : selectors) {
            String s = raw.strip().toLowerCase(Locale.ROOT);
            List<StudyVariant> matched = grid.stream().filter(v -> v.id.equals(s) || v.family.label.equals(s)).toList();
            if (matched.isEmpty()) {
                throw new IllegalArgumentException("unknown variant '" + raw + "'; choose variant ids ("
                        + String.join(", ", grid.stream().map(StudyVariant::id).toList()) + ") or families ("
                        + String.join(", ", Arrays.stream(Family.values()).map(f -> f.label).toList()) + ")");
            }
            chosen.addAll(matched);
        }
        return grid.stream().filter(chosen::contains).toList();
    }

    /** The beta policy of a Mult-VAE variant; {@code trainClicks} are the training users' click counts. */
    public BetaPolicy policy(int[] trainClicks) {
        return switch (family) {
            case CONSTANT -> BetaPolicy.global(BetaSchedule.constant(param));
            case ANNEAL -> BetaPolicy.global(BetaSchedule.linearByFraction(ANNEAL_FRACTION, param));
            case ANNEAL_PAPER -> BetaPolicy.global(BetaSchedule.linearBySteps(PAPER_ANNEAL_STEPS, param));
            case CYCLICAL -> BetaPolicy.global(BetaSchedule.cyclical(CYCLES, CYCLE_RAMP, param));
            case PERUSER_CLICKS -> BetaPolicy.perUser(param, 1, trainClicks);
            case PERUSER_INVERSE -> BetaPolicy.perUser(param, -1, trainClicks);
            case KLTARGET -> BetaPolicy.klTarget(param, BetaPolicy.DEFAULT_KP, BetaPolicy.DEFAULT_KI, CONTROLLER_MAX_BETA);
            case MULTDAE, EASE -> throw new IllegalStateException(id + " is not a Mult-VAE variant");
        };
    }
}
