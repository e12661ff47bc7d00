package dev.sparsecf.study.report;

import dev.sparsecf.study.StudyCells.Cell;
import dev.sparsecf.study.StudyVariant;
import dev.sparsecf.study.report.BetaStudyData.Dataset;
import dev.sparsecf.study.report.BetaStudyData.Study;
import dev.sparsecf.study.report.BetaStudyData.UserRow;
import dev.sparsecf.study.report.BetaStudyStats.Estimate;
import dev.sparsecf.study.report.BetaStudyStats.Paired;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** What the report computes for one dataset (everything the tables, findings and plots show). */
record Analysis(Dataset dataset, List<Summary> summaries, Summary bestConstant, List<Summary> withinOneSe,
                Map<Integer, int[]> quintileBounds) {

    /** The annealed and cyclical schedules. */
    static final List<String> SCHEDULES = List.of("anneal", "anneal-paper", "cyclical");
    /** The betas set from the data: per user, or by a KL target. */
    static final List<String> DATA_DRIVEN = List.of("peruser-clicks", "peruser-inverse", "kltarget");
    /** A beta at most this large counts as "low" in the quintile comparison. */
    static final double LOW_BETA = 0.1;

    /** The summaries, best constant, flatness set and quintile bounds of {@code d}. */
    static Analysis of(Dataset d, Study study) {
        List<Summary> summaries = study.variants(d).stream().map(v -> Summary.of(v, d)).toList();
        List<Summary> constants = summaries.stream().filter(s -> s.variant().family().equals("constant") && s.done())
                .toList();
        Summary best = Selection.selected(constants.stream().filter(s -> Selection.choosable(d, s.variant())).toList());
        return new Analysis(d, summaries, best, Selection.withinOneSe(constants, best), quintileBounds(d));
    }

    /** Per seed with per-user rows, the quintile bounds of that seed's test users (all users files of the seed). */
    static Map<Integer, int[]> quintileBounds(Dataset d) {
        Map<Integer, Map<String, Integer>> clicks = new TreeMap<>();
        for (Cell c : d.cells()) {
            List<UserRow> users = d.users(c.variant(), c.seed());
            if (users != null && !users.isEmpty()) {
                Map<String, Integer> m = clicks.computeIfAbsent(Math.toIntExact(c.seed()), s -> new TreeMap<>());
                users.forEach(u -> m.put(u.user(), u.clicks()));
            }
        }
        Map<Integer, int[]> bounds = new TreeMap<>();
        clicks.forEach((seed, m) -> bounds.put(seed,
                BetaStudyStats.quintileBounds(m.values().stream().mapToInt(Integer::intValue).toArray())));
        return bounds;
    }

    /** NDCG@100 of A − B for each user in both {@code a} and {@code b} whom {@code keep} accepts (by A's row). */
    static double[] ndcgDifferences(List<UserRow> a, List<UserRow> b, Predicate<UserRow> keep) {
        Map<String, UserRow> byUser = b.stream().collect(Collectors.toMap(UserRow::user, u -> u, (x, y) -> y));
        List<Double> d = new ArrayList<>();
        for (UserRow ra : a) {
            UserRow rb = byUser.get(ra.user());
            if (rb != null && keep.test(ra)) {
                d.add(ra.ndcg100() - rb.ndcg100());
            }
        }
        return BetaStudyStats.toArray(d);
    }

    /** The summary of variant {@code id} (pending when no cell of it is finished). */
    Summary summary(String id) {
        return summaries.stream().filter(s -> s.variant().id().equals(id)).findFirst().orElse(null);
    }

    /** The finished variants of {@code family}. */
    List<Summary> family(String family) {
        return summaries.stream().filter(s -> s.variant().family().equals(family) && s.done()).toList();
    }

    /** The finished variants of any of {@code families}. */
    List<Summary> families(List<String> families) {
        return summaries.stream().filter(s -> families.contains(s.variant().family()) && s.done()).toList();
    }

    /** The constants validation chooses among ({@link Selection#choosable}), planned or finished, by beta. */
    List<Summary> sweep() {
        return summaries.stream().filter(s -> Selection.choosable(dataset, s.variant())).toList();
    }

    /** The constant betas done, by beta. */
    List<Summary> constants() {
        return family("constant");
    }

    /** The best constant with 0 < beta <= {@link #LOW_BETA}, or null. */
    Summary bestLow() {
        return Selection.selected(constants().stream()
                .filter(s -> s.variant().param() > 0 && s.variant().param() <= LOW_BETA).toList());
    }

    /** The constant with the largest beta, or null. */
    Summary highest() {
        List<Summary> c = constants();
        return c.isEmpty() ? null : c.getLast();
    }

    /** Finished cells over all variants. */
    long cellsDone() {
        return summaries.stream().mapToInt(Summary::seeds).sum();
    }

    /** Cells planned: every variant on every seed of {@code study}, a closed form on one under protocol 2. */
    long cellsPlanned(Study study) {
        return summaries.stream().mapToLong(s -> plannedSeeds(s, study)).sum();
    }

    /**
     * The seeds {@code s} is planned on: all of {@code study}'s, but one for a closed form under protocol 2, where
     * every seed has the same split and the fit is deterministic.
     */
    int plannedSeeds(Summary s, Study study) {
        return fittedOnce(s.variant().id()) ? 1 : study.seeds().size();
    }

    /**
     * Whether {@code id} is fitted once per dataset: a closed form under protocol 2, deterministic on the one split
     * every seed shares, so its one fit is what it would give on any seed.
     */
    boolean fittedOnce(String id) {
        Summary s = summary(id);
        return s != null && StudyVariant.Family.byLabel(s.variant().family()).isClosedForm()
                && dataset.protocol() != null && dataset.protocol().version() >= 2;
    }

    /**
     * A over B on NDCG@100, paired over the test users of each seed both finished ({@code quintile} 0: all users). A
     * variant {@link #fittedOnce fitted once} stands on every seed of the other, so its comparison with a trained
     * variant has a seed-level test whose error is that variant's training noise; two such variants pair once.
     */
    Paired paired(String a, String b, int quintile) {
        boolean reuse = !(fittedOnce(a) && fittedOnce(b));
        List<double[]> diffs = new ArrayList<>();
        for (int seed : quintileBounds.keySet()) { // the seeds with per-user rows
            List<UserRow> ua = users(a, seed, reuse);
            List<UserRow> ub = users(b, seed, reuse);
            if (ua != null && ub != null) {
                diffs.add(ndcgDifferences(ua, ub, u -> quintile == 0
                        || BetaStudyStats.quintile(u.clicks(), quintileBounds.get(seed)) == quintile));
            }
        }
        return BetaStudyStats.paired(diffs);
    }

    /** The per-user rows of {@code id} on {@code seed}; with {@code reuse}, a variant fitted once gives its one fit's. */
    private List<UserRow> users(String id, int seed, boolean reuse) {
        List<UserRow> rows = dataset.users(id, seed);
        if (rows != null || !reuse || !fittedOnce(id)) {
            return rows;
        }
        return dataset.cells(id).stream().map(c -> dataset.users(id, c.seed())).filter(r -> r != null).findFirst()
                .orElse(null);
    }

    /** A over B by activity quintile, quintiles 1..5 in order (null where not enough data): one Holm family. */
    List<Paired> pairedByQuintile(String a, String b) {
        List<Paired> out = new ArrayList<>();
        for (int q = 1; q <= BetaStudyStats.QUINTILES; q++) {
            out.add(paired(a, b, q));
        }
        return out;
    }

    /**
     * Holm-adjusted seed-level p of {@code variant} against the chosen constant beta, the family being every non-constant
     * variant compared with it on all users (the paired table); NaN when {@code variant} is not in it or has no
     * seed-level test.
     */
    double holmP(String variant) {
        if (bestConstant == null) {
            return Double.NaN;
        }
        List<Paired> family = new ArrayList<>();
        int index = -1;
        for (Summary s : summaries) {
            if (s.variant().id().equals(variant)) {
                index = family.size();
            }
            family.add(s.done() && !s.variant().family().equals("constant")
                    ? paired(s.variant().id(), bestConstant.variant().id(), 0) : null);
        }
        return index < 0 ? Double.NaN : BetaStudyStats.holm(family)[index];
    }

    /** Mean NDCG@100 of {@code variant}'s users in {@code quintile}: over seeds, or over users with one seed. */
    Estimate quintileNdcg(String variant, int quintile) {
        List<Double> means = new ArrayList<>();
        List<Double> ses = new ArrayList<>();
        for (int seed : quintileBounds.keySet()) {
            List<UserRow> users = dataset.users(variant, seed);
            if (users == null) {
                continue;
            }
            double[] v = users.stream()
                    .filter(u -> BetaStudyStats.quintile(u.clicks(), quintileBounds.get(seed)) == quintile)
                    .mapToDouble(UserRow::ndcg100).toArray();
            if (v.length > 0) {
                means.add(BetaStudyStats.mean(v));
                ses.add(BetaStudyStats.standardError(v));
            }
        }
        return BetaStudyStats.overSeeds(BetaStudyStats.toArray(means), BetaStudyStats.toArray(ses));
    }

    /** The variants of the quintile table and plot: beta 0, the best constant, beta 1, anneal to 0.2, Mult-DAE, EASE. */
    List<Summary> quintileVariants() {
        List<Summary> out = new ArrayList<>();
        for (String id : new String[] {"const-0", bestConstant == null ? null : bestConstant.variant().id(),
                "const-1", "anneal-0.2", "multdae", "ease"}) {
            Summary s = id == null ? null : summary(id);
            if (s != null && s.done() && !out.contains(s) && quintileNdcg(id, 1).n() > 0) {
                out.add(s);
            }
        }
        return out;
    }
}
