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
 * One grid point of the beta study: a {@code family} of beta policies (or a reference model), its numeric
 * {@code param} (the beta, cap, mean beta or KL target; null for the references) and, for the matched per-user
 * grid, the click {@code exponent} gamma (null otherwise). {@code id} names the cell's files and rows, so it must
 * never change for a given point.
 */
public record StudyVariant(String id, Family family, Double param, Double exponent) {

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

    /** Gamma of the matched per-user grid, {@code beta_u ~ clicks_u^gamma}; gamma 0 is the global beta (a constant cell). */
    public static final double[] MATCHED_EXPONENTS = {-1, -0.5, 0, 0.5, 1};
    /**
     * EDLAE and DLAE: the dropout odds {@code p / (1 - p)} chosen from on validation (p = 1/9, 1/5, 1/3, 1/2, 2/3),
     * searched past the edge as EASE's lambda is.
     */
    public static final double[] DROPOUT_ODDS = {0.125, 0.25, 0.5, 1, 2};
    /**
     * EDLAE and DLAE: the L2 weights tried beside the dropout odds, in ascending order until one does worse than the
     * one before (EASE chose 25 to 500 on the five datasets, so the grid starts below that, at no L2 at all).
     */
    public static final double[] DLAE_L2 = {0, 10, 25, 50, 100, 200, 500, 1000, 2000, 5000};
    /** Means m of the matched grid, as multiples of the constant beta chosen on validation. */
    public static final double[] MATCHED_MEAN_MULTIPLES = {0.5, 1, 2};

    /** A variant without a click exponent. */
    public StudyVariant(String id, Family family, Double param) {
        this(id, family, param, null);
    }

    /** What a variant trains. */
    public enum Family {
        CONSTANT("constant"), ANNEAL("anneal"), ANNEAL_PAPER("anneal-paper"), CYCLICAL("cyclical"),
        PERUSER_CLICKS("peruser-clicks"), PERUSER_INVERSE("peruser-inverse"), KLTARGET("kltarget"),
        PERUSER("peruser"), MULTDAE("multdae"), EASE("ease"), EDLAE("edlae"), DLAE("dlae");

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
            return this != MULTDAE && !isClosedForm();
        }

        /** EASE, EDLAE or DLAE: an item-item closed form with its L2 weight chosen on validation. */
        public boolean isClosedForm() {
            return this == EASE || this == EDLAE || this == DLAE;
        }
    }

    /** The constant betas of the sweep. */
    static final double[] CONSTANT_BETAS = {0, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0};

    /**
     * The first protocol's grid: constant betas, the paper's and rescaled anneals, cyclical, per-user at mean 0.2,
     * fixed KL targets, references. Kept so that its rows can still be selected and reported.
     */
    public static List<StudyVariant> defaultGrid() {
        List<StudyVariant> grid = constantsAndSchedules();
        grid.add(of(Family.PERUSER_CLICKS, "peruser-clicks", 0.2));
        grid.add(of(Family.PERUSER_INVERSE, "peruser-inverse", 0.2));
        for (double target : new double[] {10, 30, 100}) {
            grid.add(of(Family.KLTARGET, "kltarget", target));
        }
        grid.add(new StudyVariant("multdae", Family.MULTDAE, null));
        grid.add(new StudyVariant("ease", Family.EASE, null));
        return List.copyOf(grid);
    }

    /**
     * The second protocol's fixed grid, in the order it runs: the constant sweep first (the matched grid of
     * {@link #matchedGrid} follows it once its beta is chosen), then the anneals, cyclical and the references
     * (Mult-DAE, EASE, EDLAE, DLAE). The first protocol's per-user and fixed-KL-target points are replaced by the
     * matched grid.
     */
    public static List<StudyVariant> grid() {
        List<StudyVariant> grid = constantsAndSchedules();
        grid.add(new StudyVariant("multdae", Family.MULTDAE, null));
        for (Family f : new Family[] {Family.EASE, Family.EDLAE, Family.DLAE}) {
            grid.add(new StudyVariant(f.label, f, null));
        }
        return List.copyOf(grid);
    }

    /** Whether {@code v} is a constant beta of the sweep (not one the matched grid adds). */
    static boolean isSweepConstant(StudyVariant v) {
        return v.family == Family.CONSTANT && Arrays.stream(CONSTANT_BETAS).anyMatch(b -> b == v.param);
    }

    /** The constant sweep, the paper's and the rescaled anneals and cyclical: what both protocols start with. */
    private static List<StudyVariant> constantsAndSchedules() {
        List<StudyVariant> grid = new ArrayList<>(constants());
        grid.add(new StudyVariant("anneal-paper", Family.ANNEAL_PAPER, PAPER_ANNEAL_CAP));
        for (double cap : new double[] {0.1, 0.2, 0.5, 1.0}) {
            grid.add(of(Family.ANNEAL, "anneal", cap));
        }
        grid.add(of(Family.CYCLICAL, "cyclical", 0.2));
        return grid;
    }

    private static List<StudyVariant> constants() {
        return Arrays.stream(CONSTANT_BETAS).mapToObj(b -> of(Family.CONSTANT, "const", b)).toList();
    }

    /**
     * The matched per-user grid around {@code chosenBeta} (the constant chosen on validation): for each mean
     * {@code m} in {@link #MATCHED_MEAN_MULTIPLES} x chosenBeta and each gamma of {@link #MATCHED_EXPONENTS},
     * {@code beta_u ~ clicks_u^gamma} with mean m over the training users; gamma 0 is the constant cell
     * {@code const-m} (the same policy bit for bit), so each per-user point has its global twin at the same mean.
     * Then the KL-target controller aimed at {@code chosenKl}, the KL the chosen constant reaches.
     */
    public static List<StudyVariant> matchedGrid(double chosenBeta, double chosenKl) {
        List<StudyVariant> grid = new ArrayList<>();
        for (double multiple : MATCHED_MEAN_MULTIPLES) {
            double m = roundBeta(multiple * chosenBeta);
            for (double gamma : MATCHED_EXPONENTS) {
                grid.add(gamma == 0 ? of(Family.CONSTANT, "const", m)
                        : new StudyVariant("peruser-m" + number(m) + "-g" + number(gamma), Family.PERUSER, m, gamma));
            }
        }
        grid.add(of(Family.KLTARGET, "kltarget", roundKl(chosenKl)));
        return List.copyOf(grid);
    }

    /** {@code beta} to 6 significant digits, so that 0.5 x 0.01 is the id 0.005 and not 0.0050000000000000001. */
    static double roundBeta(double beta) {
        return new BigDecimal(beta).round(new java.math.MathContext(6)).doubleValue();
    }

    /** A KL target to 3 significant digits: a stable id for the same chosen constant. */
    static double roundKl(double kl) {
        return new BigDecimal(kl).round(new java.math.MathContext(3)).doubleValue();
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
            case PERUSER -> BetaPolicy.perUser(param, exponent, trainClicks);
            case KLTARGET -> BetaPolicy.klTarget(param, BetaPolicy.DEFAULT_KP, BetaPolicy.DEFAULT_KI, CONTROLLER_MAX_BETA);
            case MULTDAE, EASE, EDLAE, DLAE -> throw new IllegalStateException(id + " is not a Mult-VAE variant");
        };
    }
}
