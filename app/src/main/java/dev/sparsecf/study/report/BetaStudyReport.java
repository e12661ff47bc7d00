package dev.sparsecf.study.report;

import dev.sparsecf.cli.BetaStudyCommand;
import dev.sparsecf.render.Progress;
import dev.sparsecf.render.SvgPlot;
import dev.sparsecf.study.StudyCells;
import dev.sparsecf.study.StudyVariant;

import dev.sparsecf.study.report.BetaStudyData.Dataset;
import dev.sparsecf.study.report.BetaStudyData.Study;
import dev.sparsecf.study.report.BetaStudyData.UserRow;
import dev.sparsecf.study.report.BetaStudyData.Variant;
import dev.sparsecf.study.report.BetaStudyStats.Estimate;
import dev.sparsecf.study.report.BetaStudyStats.Paired;
import dev.sparsecf.study.StudyCells.Cell;
import dev.sparsecf.study.report.StudyComparison.DatasetComparison;
import dev.sparsecf.render.SvgPlot.Axis;
import dev.sparsecf.render.SvgPlot.Point;
import dev.sparsecf.render.SvgPlot.Reference;
import dev.sparsecf.render.SvgPlot.Series;
import dev.sparsecf.render.SvgPlot.Style;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.DoubleSummaryStatistics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * The report of a beta study ({@code sparsecf study report}): from the raw rows alone, per dataset SVG plots in
 * {@code DIR/<dataset>/} and tables and findings in {@code DIR/README.md}. Missing cells are "pending" and
 * comparisons without data say so; the output depends on nothing but the rows (no dates), so the same rows give
 * byte-identical files.
 */
public final class BetaStudyReport {

    static final String README = "README.md";
    /** Hand-written prose appended verbatim under "Discussion" when present. */
    static final String DISCUSSION = "discussion.md";
    static final String NDCG_PLOT = "ndcg_vs_beta.svg";
    static final String QUINTILE_PLOT = "quintiles.svg";
    static final String ACTIVE_UNITS_PLOT = "latent_active_units.svg";
    static final String KL_PLOT = "latent_kl.svg";
    static final String KL_CLICKS_PLOT = "kl_vs_clicks.svg";
    static final List<String> PLOTS = List.of(NDCG_PLOT, QUINTILE_PLOT, ACTIVE_UNITS_PLOT, KL_PLOT, KL_CLICKS_PLOT);
    /** The significance level behind the words "significant" and "no significant difference". */
    static final double ALPHA = 0.05;
    /** At most this many users per beta in the KL scatter (evenly thinned in clicks order) keep the SVG small. */
    static final int MAX_SCATTER_POINTS = 1500;
    /** The betas whose per-user KL the scatter shows (the nearest finished ones on a log scale). */
    static final List<Double> SCATTER_BETAS = List.of(0.01, 0.2, 1.0);
    /** A beta at most this large counts as "low" in the quintile comparison. */
    static final double LOW_BETA = 0.1;
    static final String PENDING = "pending";
    static final String NOT_ENOUGH = "not enough data";
    static final String NOT_APPLICABLE = "n/a";
    static final String NOT_RUN = "not run";

    private static final List<String> SCHEDULES = List.of("anneal", "anneal-paper", "cyclical");
    private static final List<String> DATA_DRIVEN = List.of("peruser-clicks", "peruser-inverse", "kltarget");

    /** A variant's cells summarised over the seeds done; estimates have n = 0 when none is. */
    record Summary(Variant variant, int seeds, Estimate recall20, Estimate recall50, Estimate ndcg,
                   Estimate activeUnits, Estimate kl, double trainSeconds, Estimate validationNdcg) {

        boolean done() {
            return seeds > 0;
        }
    }

    /** What the report computes for one dataset (everything the tables, findings and plots show). */
    record Analysis(Dataset dataset, List<Summary> summaries, Summary bestConstant, List<Summary> withinOneSe,
                    Map<Integer, int[]> quintileBounds) {

        /** The summary of variant {@code id} (pending when no cell of it is finished). */
        Summary summary(String id) {
            return summaries.stream().filter(s -> s.variant().id().equals(id)).findFirst().orElse(null);
        }

        List<Summary> family(String family) {
            return summaries.stream().filter(s -> s.variant().family().equals(family) && s.done()).toList();
        }

        List<Summary> families(List<String> families) {
            return summaries.stream().filter(s -> families.contains(s.variant().family()) && s.done()).toList();
        }

        /** The constant betas done, by beta. */
        List<Summary> constants() {
            return family("constant");
        }

        /** The best constant with 0 < beta <= {@link #LOW_BETA}, or null. */
        Summary bestLow() {
            return selected(constants().stream().filter(s -> s.variant().param() > 0 && s.variant().param() <= LOW_BETA)
                    .toList());
        }

        /** The constant with the largest beta, or null. */
        Summary highest() {
            List<Summary> c = constants();
            return c.isEmpty() ? null : c.getLast();
        }

        /** A over B on NDCG@100, paired over the test users of each seed both finished ({@code quintile} 0: all users). */
        Paired paired(String a, String b, int quintile) {
            List<double[]> diffs = new ArrayList<>();
            for (int seed : quintileBounds.keySet()) { // the seeds with per-user rows
                List<UserRow> ua = dataset.users(a, seed);
                List<UserRow> ub = dataset.users(b, seed);
                if (ua != null && ub != null) {
                    diffs.add(ndcgDifferences(ua, ub, u -> quintile == 0
                            || BetaStudyStats.quintile(u.clicks(), quintileBounds.get(seed)) == quintile));
                }
            }
            return BetaStudyStats.paired(diffs);
        }

        /**
         * Holm-adjusted p of {@code variant} against the chosen constant beta, the family being every non-constant
         * variant compared with it on all users (the paired table); NaN when {@code variant} is not in it.
         */
        double holmP(String variant) {
            if (bestConstant == null) {
                return Double.NaN;
            }
            List<String> ids = new ArrayList<>();
            List<Double> ps = new ArrayList<>();
            for (Summary s : summaries) {
                Paired p = s.done() && !s.variant().family().equals("constant")
                        ? paired(s.variant().id(), bestConstant.variant().id(), 0) : null;
                if (p != null) {
                    ids.add(s.variant().id());
                    ps.add(p.p());
                }
            }
            int i = ids.indexOf(variant);
            return i < 0 ? Double.NaN : BetaStudyStats.holm(toArray(ps))[i];
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
                    ses.add(Math.sqrt(BetaStudyStats.sampleVariance(v) / v.length));
                }
            }
            return BetaStudyStats.overSeeds(toArray(means), toArray(ses));
        }
    }

    private BetaStudyReport() {
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
        return toArray(d);
    }

    /**
     * Renders the report of study directory {@code dir}, with a comparison against study directory {@code baseline}
     * when it is not null; returns every file written (README first).
     */
    public static List<Path> write(Path dir, Path baseline) throws IOException {
        Study study = BetaStudyData.load(dir);
        Study base = baseline == null ? null : BetaStudyData.load(baseline);
        // the README links the baseline relative to itself, so the link survives a move of both
        String baseLink = baseline == null ? null : dir.toAbsolutePath().normalize()
                .relativize(baseline.toAbsolutePath().normalize()).toString().replace('\\', '/');
        List<Path> written = new ArrayList<>();
        List<Analysis> analyses = new ArrayList<>();
        List<DatasetComparison> comparisons = new ArrayList<>();
        Map<String, String> comparisonPlots = new TreeMap<>();
        for (Dataset d : study.datasets()) {
            Analysis a = analyse(d, study);
            analyses.add(a);
            Map<String, String> plots = new LinkedHashMap<>(plots(a));
            Dataset other = base == null ? null : base.datasets().stream()
                    .filter(b -> b.name().equals(d.name()) && !b.cells().isEmpty()).findFirst().orElse(null);
            DatasetComparison c = other == null || d.cells().isEmpty() ? null : StudyComparison.compare(d, other);
            if (c != null) {
                comparisons.add(c);
            }
            String versus = c == null ? null : StudyComparison.plot(c, dir.toAbsolutePath().normalize().getFileName()
                    .toString(), baseLink);
            comparisonPlots.put(d.name(), versus);
            plots.put(StudyComparison.PLOT, versus);
            for (Map.Entry<String, String> plot : plots.entrySet()) {
                Path file = dir.resolve(d.name()).resolve(plot.getKey());
                if (plot.getValue() == null) {
                    Files.deleteIfExists(file); // a stale plot would not match the rows any more
                } else {
                    Files.writeString(file, plot.getValue(), StandardCharsets.UTF_8);
                    written.add(file);
                }
            }
        }
        Path discussion = dir.resolve(DISCUSSION);
        String prose = Files.isRegularFile(discussion) ? Files.readString(discussion, StandardCharsets.UTF_8) : null;
        StringBuilder comparison = new StringBuilder();
        if (base != null) {
            StudyComparison.markdown(comparison, baseLink, comparisons, comparisonPlots);
        }
        Path readme = dir.resolve(README);
        Files.writeString(readme, markdown(study, analyses, comparison.toString(), prose), StandardCharsets.UTF_8);
        written.addFirst(readme);
        return written;
    }

    /** The summaries, best constant, flatness set and quintile bounds of {@code d}. */
    static Analysis analyse(Dataset d, Study study) {
        List<Summary> summaries = study.variants().stream().map(v -> summarise(v, d)).toList();
        Summary best = selected(summaries.stream().filter(s -> s.variant().family().equals("constant") && s.done())
                .toList());
        List<Summary> within = best == null || Double.isNaN(best.ndcg().se()) ? List.of()
                : summaries.stream().filter(s -> s.variant().family().equals("constant") && s.done()
                        && s.ndcg().mean() >= best.ndcg().mean() - best.ndcg().se()).toList();
        return new Analysis(d, summaries, best, within, quintileBounds(d));
    }

    private static Summary summarise(Variant v, Dataset d) {
        List<Cell> cells = d.cells(v.id());
        return new Summary(v, cells.size(),
                estimate(cells, Cell::recall20, Cell::recall20Se), estimate(cells, Cell::recall50, Cell::recall50Se),
                estimate(cells, Cell::ndcg100, Cell::ndcg100Se), estimate(cells, c -> BetaStudyData.nanIfNull(c.activeUnits()), c -> Double.NaN),
                estimate(cells, c -> BetaStudyData.nanIfNull(c.klMean()), c -> Double.NaN),
                cells.stream().mapToDouble(Cell::trainSeconds).average().orElse(Double.NaN),
                estimate(cells, c -> d.validationNdcg(c.variant(), c.seed()), c -> Double.NaN));
    }

    private static Estimate estimate(List<Cell> cells, ToDoubleFunction<Cell> value, ToDoubleFunction<Cell> se) {
        List<Cell> known = cells.stream().filter(c -> !Double.isNaN(value.applyAsDouble(c))).toList();
        return BetaStudyStats.overSeeds(known.stream().mapToDouble(value).toArray(),
                known.stream().mapToDouble(se).toArray());
    }

    /**
     * The summary a practitioner would pick: the highest mean validation NDCG@100 (of the epochs tested), so that
     * the pick is not biased towards the test users; by test NDCG@100 only when none has a validation value. The
     * first of equals; null when none has a value.
     */
    static Summary selected(List<Summary> summaries) {
        List<Summary> validated = summaries.stream().filter(s -> s.validationNdcg().n() > 0).toList();
        return validated.isEmpty() ? best(summaries, Summary::ndcg) : best(validated, Summary::validationNdcg);
    }

    /** Whether {@link #selected} chose {@code s} by validation NDCG@100. */
    private static boolean onValidation(Summary s) {
        return s.validationNdcg().n() > 0;
    }

    private static Summary best(List<Summary> summaries, Function<Summary, Estimate> metric) {
        Summary best = null;
        for (Summary s : summaries) {
            Estimate e = metric.apply(s);
            if (e.n() > 0 && (best == null || e.mean() > metric.apply(best).mean())) {
                best = s;
            }
        }
        return best;
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

    // ---------------------------------------------------------------- Markdown

    /** The README: notes, overview, {@code comparison} (a markdown section, or empty), datasets, discussion. */
    static String markdown(Study study, List<Analysis> analyses, String comparison, String discussion) {
        StringBuilder md = new StringBuilder();
        md.append("# Beta study: how the VAE's KL weight beta changes ranking quality\n\n");
        md.append("Generated by `sparsecf study report` from the raw rows in this directory (`<dataset>/cells.csv` "
                + "and `<dataset>/users/*.csv`); rerun it when cells finish instead of editing this file (prose goes "
                + "in `" + DISCUSSION + "`, which is appended below).\n\n");
        md.append("- Seeds planned (in `study.json`) or finished: ").append(study.seeds().isEmpty() ? "none yet"
                : study.seeds().stream().map(String::valueOf).collect(Collectors.joining(", ")))
                .append(" (a seed fixes the split and the training seed: same seed, same test users). Cell counts "
                        + "below are out of these seeds for every variant planned or finished anywhere.\n");
        md.append("- Metrics are on the test users at the validation-selected epoch. `a ± b`: mean over the seeds "
                + "done ± standard error across seeds; with one seed done (marked *) the standard error is across "
                + "test users.\n");
        md.append("- Paired comparisons A − B use the per-user NDCG@100 differences of the test users both share, "
                + "per seed (mean and its SE), combined as the mean over seeds with SE = sqrt(Σ SE²) / seeds; p is "
                + "two-sided (normal). \"Significant\" means p < " + ALPHA + " after Holm's adjustment for "
                + "comparisons with the chosen constant beta (the family: every other variant compared with it on the "
                + "dataset, the paired table), and uncorrected p < " + ALPHA + " for the rest (EASE vs Mult-DAE, "
                + "activity quintiles).\n");
        md.append("- `pending`: the cell has not finished; `").append(NOT_ENOUGH)
                .append("`: a comparison lacks the cells it needs; `").append(NOT_APPLICABLE)
                .append("`: the variant has no such quantity (no latent posterior in Mult-DAE and EASE); `").append(NOT_RUN)
                .append("`: this study directory plans no such variant.\n");
        md.append("- Time: ").append(time(analyses.stream().map(a -> timing(a, study))
                .reduce(new Timing(0, 0, 0, 0, 0), Timing::plus))).append(" Training times are wall-clock seconds "
                + "on the machine that ran the cells (").append(study.runSettings().isEmpty() ? "not recorded"
                : String.join("; ", study.runSettings())).append(", as `study.json` records them); an estimate "
                + "uses the mean of the same dataset's finished cells of the same cost (Mult-VAE, Mult-DAE or EASE).\n\n");
        if (analyses.isEmpty()) {
            md.append("No dataset folder yet: every result is ").append(PENDING).append(".\n\n");
        } else {
            overview(md, analyses, study);
        }
        md.append(comparison);
        for (Analysis a : analyses) {
            dataset(md, a, study);
        }
        if (discussion != null) {
            md.append("## Discussion\n\n").append(discussion.strip()).append("\n");
        }
        return md.toString().stripTrailing() + "\n";
    }

    /** One row per dataset: the chosen beta, how flat the optimum is, and the references against it. */
    private static void overview(StringBuilder md, List<Analysis> analyses, Study study) {
        md.append("## Overview\n\n");
        md.append("Differences are test NDCG@100 against the constant beta chosen on validation (Holm-adjusted p). "
                + "Budget: the planned epochs, and how many Mult-VAE/DAE cells had their best epoch late in it (still "
                + "improving). The sections below have the details.\n\n");
        md.append("| dataset | cells | budget | chosen beta | NDCG@100 | within 1 SE | best schedule | best per-user / "
                + "KL-target | Mult-DAE | EASE | active units at the largest beta |\n"
                + "|---|---:|---|---:|---:|---|---|---|---|---|---:|\n");
        for (Analysis a : analyses) {
            Summary best = a.bestConstant();
            long done = a.summaries().stream().mapToInt(Summary::seeds).sum();
            Budget budget = budget(a.dataset());
            md.append("| ").append(a.dataset().name()).append(" | ").append(done).append('/')
                    .append((long) a.summaries().size() * study.seeds().size()).append(" | ")
                    .append(budget == null ? PENDING : budget.brief()).append(" | ");
            if (best == null) {
                md.append(String.join(" | ", Collections.nCopies(8, PENDING))).append(" |\n");
                continue;
            }
            List<Double> within = a.withinOneSe().stream().map(s -> s.variant().param()).toList();
            Summary high = a.highest();
            md.append(param(best.variant().param())).append(" | ").append(estimate(best.ndcg(), 4)).append(" | ")
                    .append(within.isEmpty() ? NOT_ENOUGH : param(within.getFirst())
                            + (within.size() > 1 ? "–" + param(within.getLast()) : "")
                            + " (" + within.size() + " of " + a.constants().size() + ")").append(" | ")
                    .append(versusChosen(a, SCHEDULES)).append(" | ")
                    .append(versusChosen(a, DATA_DRIVEN)).append(" | ")
                    .append(versusChosen(a, List.of("multdae"))).append(" | ")
                    .append(versusChosen(a, List.of("ease"))).append(" | ")
                    .append(high.activeUnits().n() == 0 ? PENDING
                            : num(high.activeUnits().mean(), 1) + " at " + param(high.variant().param()))
                    .append(" |\n");
        }
        md.append('\n');
    }

    /** The variant of these families chosen on validation against the chosen beta; "not run" if the study plans none. */
    private static String versusChosen(Analysis a, List<String> families) {
        if (a.summaries().stream().noneMatch(s -> families.contains(s.variant().family()))) {
            return NOT_RUN;
        }
        return versusChosen(a, selected(a.families(families)));
    }

    /** {@code x} − the chosen constant beta in a table cell: "id +0.0033 (0.052)", or why there is none. */
    private static String versusChosen(Analysis a, Summary x) {
        if (x == null || !x.done()) {
            return PENDING;
        }
        Paired p = a.paired(x.variant().id(), a.bestConstant().variant().id(), 0);
        if (p == null) {
            return NOT_ENOUGH;
        }
        return x.variant().id() + " " + String.format(Locale.ROOT, "%+.4f", p.diff()) + " ("
                + pValue(a.holmP(x.variant().id())) + ")";
    }

    private static void dataset(StringBuilder md, Analysis a, Study study) {
        String name = a.dataset().name();
        long done = a.summaries().stream().mapToInt(Summary::seeds).sum();
        long planned = (long) a.summaries().size() * study.seeds().size();
        md.append("## ").append(name).append("\n\n");
        md.append(String.format(Locale.ROOT, "%d of %d cells finished (%d variants x %d seeds)", done, planned,
                a.summaries().size(), study.seeds().size()));
        md.append(done < planned ? "; the rest are " + PENDING + ".\n\n" : ".\n\n");
        md.append(time(timing(a, study))).append("\n\n");
        Budget b = budget(a.dataset());
        if (b != null) {
            md.append(b.sentence()).append("\n\n");
        }
        md.append("### Findings\n\n");
        findings(md, a);
        md.append("\n### All variants\n\n");
        variantTable(md, a, study.seeds().size());
        md.append("\n### Constant beta: optimum, flatness, latent units\n\n");
        constantTable(md, a);
        md.append("\n### Paired comparisons with the best constant beta\n\n");
        pairedTable(md, a);
        md.append("\n### Users by activity quintile\n\n");
        quintileTable(md, a);
        md.append("\n### Plots\n\n");
        List<String> shown = plots(a).entrySet().stream().filter(e -> e.getValue() != null).map(Map.Entry::getKey)
                .toList();
        if (shown.isEmpty()) {
            md.append("No plot yet: every cell is ").append(PENDING).append(".\n\n");
        }
        for (String plot : shown) {
            // "./" keeps a dataset name with a colon (synthetic:0.02) from reading as a URL scheme
            md.append("![").append(plot).append("](./").append(name.replace(" ", "%20")).append('/').append(plot)
                    .append(")\n\n");
        }
    }

    /**
     * How the training budget ({@code protocol}: null when unknown) compares with where the trained (Mult-VAE/DAE)
     * cells found their best epoch: {@code late} of them had it in the budget's last {@code lastEpochs} epochs.
     */
    record Budget(BetaStudyData.Protocol protocol, int cells, double medianBest, int minBest, int maxBest, int late,
                  int lastEpochs) {

        String sentence() {
            String best = String.format(Locale.ROOT, "best epochs: median %s (range %d–%d)", num(medianBest, 1),
                    minBest, maxBest);
            if (protocol == null) {
                return "Budget: unknown (no `" + BetaStudyCommand.PROTOCOL_FILE + "`); " + best + ".";
            }
            return String.format(Locale.ROOT, "Budget: at most %d epochs per Mult-VAE/DAE cell, stopping after %d "
                            + "epochs without a better validation NDCG@100 (`%s`); %s. %d of %d cells had their best "
                            + "epoch in the budget's last %d epochs, so they were probably still improving when it ran "
                            + "out.", protocol.epochs(), protocol.patience(), BetaStudyCommand.PROTOCOL_FILE, best, late,
                    cells, lastEpochs);
        }

        /** The overview's cell: "60: 41 of 62 late". */
        String brief() {
            return protocol == null ? "unknown" : protocol.epochs() + ": " + late + " of " + cells + " late";
        }
    }

    /** The budget of {@code d}'s trained cells, or null when none has finished. */
    static Budget budget(Dataset d) {
        int[] best = d.cells().stream().filter(c -> c.epochs() > 0).mapToInt(Cell::bestEpoch).sorted().toArray();
        if (best.length == 0) {
            return null;
        }
        double median = BetaStudyStats.median(Arrays.stream(best).asDoubleStream().toArray());
        BetaStudyData.Protocol p = d.protocol();
        // "late": the last 5% of the budget, at least its last 2 epochs (58-60 of 60, 191-200 of 200, 14-15 of 15)
        int last = p == null ? 0 : Math.max(2, p.epochs() / 20);
        int late = p == null ? 0 : (int) Arrays.stream(best).filter(e -> e > p.epochs() - last).count();
        return new Budget(p, best.length, median, best[0], best[best.length - 1], late, last);
    }

    /**
     * Training time of a dataset's finished cells and the estimate for its pending ones ({@code untimed}: pending
     * cells of a cost no finished cell of the dataset has measured yet).
     */
    record Timing(int finished, double finishedSeconds, int pending, double pendingSeconds, int untimed) {

        Timing plus(Timing o) {
            return new Timing(finished + o.finished, finishedSeconds + o.finishedSeconds, pending + o.pending,
                    pendingSeconds + o.pendingSeconds, untimed + o.untimed);
        }
    }

    static Timing timing(Analysis a, Study study) {
        List<Cell> cells = a.dataset().cells();
        int pending = 0;
        int untimed = 0;
        double pendingSeconds = 0;
        for (Summary s : a.summaries()) {
            int todo = study.seeds().size() - s.seeds();
            if (todo <= 0) {
                continue;
            }
            double each = StudyCells.expectedSeconds(cells, StudyVariant.Family.byLabel(s.variant().family()));
            pending += todo;
            if (Double.isNaN(each)) {
                untimed += todo;
            } else {
                pendingSeconds += todo * each;
            }
        }
        return new Timing(cells.size(), cells.stream().mapToDouble(Cell::trainSeconds).sum(), pending, pendingSeconds,
                untimed);
    }

    private static String time(Timing t) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%d finished cells took %s of training", t.finished(),
                Progress.duration(t.finishedSeconds())));
        if (t.pending() == 0) {
            return b.append("; none is pending.").toString();
        }
        if (t.untimed() == t.pending()) {
            return b.append(String.format(Locale.ROOT, "; the %d pending cells are of a cost not measured here yet.",
                    t.pending())).toString();
        }
        b.append(String.format(Locale.ROOT, "; the %d pending cells need about %s more", t.pending(),
                Progress.duration(t.pendingSeconds())));
        if (t.untimed() > 0) {
            b.append(String.format(Locale.ROOT, ", plus %d of a cost not measured here yet", t.untimed()));
        }
        return b.append('.').toString();
    }

    private static void findings(StringBuilder md, Analysis a) {
        Summary best = a.bestConstant();
        if (best == null) {
            md.append("- Best constant beta: ").append(NOT_ENOUGH).append(" (no constant-beta cell finished). "
                    + "The comparisons with it are not possible yet.\n");
        } else {
            md.append("- Best constant beta, chosen on ").append(onValidation(best) ? "validation" : "test (no validation "
                    + "history)").append(" NDCG@100: **").append(param(best.variant().param())).append("** (test NDCG@100 ")
                    .append(estimate(best.ndcg(), 4)).append(", ").append(seeds(best.seeds()));
            Summary onTest = best(a.constants(), Summary::ndcg);
            if (onTest != best) {
                md.append("; the best on test is ").append(param(onTest.variant().param())).append(", ")
                        .append(num(onTest.ndcg().mean(), 4));
            }
            md.append(").\n");
            List<Summary> constants = a.constants();
            if (constants.size() < 2 || a.withinOneSe().isEmpty()) {
                md.append("- Flatness of the optimum: ").append(NOT_ENOUGH).append(constants.size() < 2
                        ? " (one constant beta finished).\n" : " (no standard error for the best beta).\n");
            } else {
                md.append(String.format(Locale.ROOT, "- Flatness of the optimum: %d of %d constant betas lie within "
                                + "one standard error (%.4f) of the chosen beta's test NDCG@100, or above it: %s.\n",
                        a.withinOneSe().size(), constants.size(), best.ndcg().se(), a.withinOneSe().stream()
                                .map(s -> param(s.variant().param())).collect(Collectors.joining(", "))));
            }
        }
        Summary schedule = selected(a.families(SCHEDULES));
        md.append("- Annealing vs a constant beta: ").append(schedule == null
                ? NOT_ENOUGH + " (no annealed or cyclical cell finished)"
                : "best schedule on " + (onValidation(schedule) ? "validation" : "test") + " "
                        + comparison(a, schedule, best)).append(".\n");
        List<Summary> dataDriven = a.families(DATA_DRIVEN);
        if (dataDriven.isEmpty()) {
            md.append("- Per-user and KL-target beta vs the best global beta: ").append(NOT_ENOUGH)
                    .append(" (no such cell finished).\n");
        }
        for (Summary s : dataDriven) {
            md.append("- ").append(s.variant().family().startsWith("peruser") ? "Per-user beta: " : "KL-target beta: ")
                    .append(comparison(a, s, best)).append(".\n");
        }
        Summary ease = a.summary("ease");
        if (ease == null || !ease.done()) {
            md.append("- EASE: ").append(NOT_ENOUGH).append(" (no EASE cell finished).\n");
        } else {
            List<Summary> ranked = a.summaries().stream().filter(Summary::done)
                    .sorted(Comparator.comparingDouble((Summary s) -> -s.ndcg().mean())).toList();
            md.append("- EASE: NDCG@100 ").append(estimate(ease.ndcg(), 4)).append(", rank ")
                    .append(ranked.indexOf(ease) + 1).append(" of ").append(ranked.size())
                    .append(" finished variants; ").append(comparison(a, ease, best));
            Summary dae = a.summary("multdae");
            if (dae != null && dae.done()) {
                md.append("; ").append(comparison(a, ease, dae));
            }
            md.append("; ").append(easeLambdas(a.dataset())).append(".\n");
        }
        Summary low = a.bestLow();
        Summary high = a.highest();
        if (low == null || high == null || low == high) {
            md.append("- Which users gain from a lower or higher beta: ").append(NOT_ENOUGH)
                    .append(" (needs a constant beta in (0, ").append(param(LOW_BETA)).append("] and a higher one).\n");
        } else {
            Map<String, List<Integer>> verdicts = new LinkedHashMap<>();
            for (int q = 1; q <= BetaStudyStats.QUINTILES; q++) {
                Paired p = a.paired(low.variant().id(), high.variant().id(), q);
                String v = p == null ? NOT_ENOUGH : p.p() >= ALPHA ? "no significant difference"
                        : p.diff() > 0 ? "beta " + param(low.variant().param()) + " better"
                        : "beta " + param(high.variant().param()) + " better";
                verdicts.computeIfAbsent(v, k -> new ArrayList<>()).add(q);
            }
            md.append("- Which users gain from a lower or higher beta (").append(low.variant().id()).append(" vs ")
                    .append(high.variant().id()).append(" by activity quintile, 1 = least active): ")
                    .append(verdicts.entrySet().stream().map(e -> e.getKey() + " in quintile"
                            + (e.getValue().size() > 1 ? "s " : " ") + e.getValue().stream().map(String::valueOf)
                            .collect(Collectors.joining(", "))).collect(Collectors.joining("; "))).append(".\n");
        }
        List<Summary> units = a.constants().stream().filter(s -> s.activeUnits().n() > 0).toList();
        md.append("- Latent dimensions kept alive (active units, mean over seeds): ").append(units.isEmpty()
                ? NOT_ENOUGH + " (no constant-beta cell finished)"
                : units.stream().map(s -> "beta " + param(s.variant().param()) + ": "
                        + num(s.activeUnits().mean(), 1)).collect(Collectors.joining(", "))).append(".\n");
    }

    /** "A vs B: diff ± se (p, seeds, users): verdict", or why it cannot be said. */
    private static String comparison(Analysis a, Summary x, Summary y) {
        String head = x.variant().id() + " vs " + (y == null ? "the best constant beta" : y.variant().id()) + ": ";
        if (y == null) {
            return head + NOT_ENOUGH + " (no constant-beta cell finished)";
        }
        Paired p = a.paired(x.variant().id(), y.variant().id(), 0);
        if (p == null) {
            return head + NOT_ENOUGH + " (no seed with per-user rows of both)";
        }
        double holm = y == a.bestConstant() ? a.holmP(x.variant().id()) : Double.NaN;
        return head + String.format(Locale.ROOT, "NDCG@100 %s (p %s%s, %s, %,d paired users): %s", diff(p),
                pValue(p.p()), Double.isNaN(holm) ? "" : ", Holm " + pValue(holm), seeds(p.seeds()), p.users(),
                verdict(Double.isNaN(holm) ? p.p() : holm, p.diff(), x.variant().id(), y.variant().id()));
    }

    /** The verdict on a difference {@code diff} (A − B) with p-value {@code p}. */
    static String verdict(double p, double diff, String a, String b) {
        if (p >= ALPHA) {
            return "no significant difference";
        }
        return (diff > 0 ? a : b) + " significantly better";
    }

    private static void variantTable(StringBuilder md, Analysis a, int plannedSeeds) {
        md.append("| variant | family | param | seeds | Recall@20 | Recall@50 | NDCG@100 | active units | KL (nats) "
                + "| train s |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Summary s : a.summaries()) {
            md.append("| ").append(s.variant().id()).append(" | ").append(s.variant().family()).append(" | ")
                    .append(param(s.variant().param())).append(" | ").append(s.seeds()).append('/')
                    .append(Math.max(plannedSeeds, s.seeds())).append(" | ");
            if (!s.done()) {
                md.append(String.join(" | ", Collections.nCopies(6, PENDING))).append(" |\n");
                continue;
            }
            md.append(estimate(s.recall20(), 4)).append(" | ").append(estimate(s.recall50(), 4)).append(" | ")
                    .append(estimate(s.ndcg(), 4)).append(" | ").append(latent(s, s.activeUnits(), 1)).append(" | ")
                    .append(latent(s, s.kl(), 2)).append(" | ").append(num(s.trainSeconds(), 1)).append(" |\n");
        }
    }

    private static void constantTable(StringBuilder md, Analysis a) {
        Summary best = a.bestConstant();
        if (best == null) {
            md.append(NOT_ENOUGH).append(": no constant-beta cell finished.\n");
            return;
        }
        md.append("| beta | seeds | validation NDCG@100 | NDCG@100 | − best | within 1 SE of best | active units "
                + "| KL (nats) |\n|---:|---:|---:|---:|---:|:---:|---:|---:|\n");
        for (Summary s : a.constants()) {
            md.append("| ").append(param(s.variant().param())).append(" | ").append(s.seeds()).append(" | ")
                    .append(estimate(s.validationNdcg(), 4)).append(" | ").append(estimate(s.ndcg(), 4)).append(" | ")
                    .append(String.format(Locale.ROOT, "%+.4f", s.ndcg().mean() - best.ndcg().mean())).append(" | ")
                    .append(s == best ? "best" : a.withinOneSe().contains(s) ? "yes" : "no").append(" | ")
                    .append(estimate(s.activeUnits(), 1)).append(" | ").append(estimate(s.kl(), 2)).append(" |\n");
        }
    }

    private static void pairedTable(StringBuilder md, Analysis a) {
        Summary best = a.bestConstant();
        if (best == null) {
            md.append(NOT_ENOUGH).append(": no constant-beta cell finished.\n");
            return;
        }
        md.append("A − B on NDCG@100 with B = ").append(best.variant().id()).append(" (the best constant beta).\n\n");
        md.append("| A | NDCG@100 A − B | p | Holm p | seeds | paired users | verdict (Holm p) |\n"
                + "|---|---:|---:|---:|---:|---:|---|\n");
        for (Summary s : a.summaries()) {
            if (s.variant().family().equals("constant")) {
                continue; // constants against the best one are the flatness table
            }
            Paired p = s.done() ? a.paired(s.variant().id(), best.variant().id(), 0) : null;
            md.append("| ").append(s.variant().id()).append(" | ");
            if (p == null) {
                String why = s.done() ? NOT_ENOUGH : PENDING;
                md.append(why).append(" | | | | | ").append(why).append(" |\n");
            } else {
                double holm = a.holmP(s.variant().id());
                md.append(diff(p)).append(" | ").append(pValue(p.p())).append(" | ").append(pValue(holm)).append(" | ")
                        .append(p.seeds()).append(" | ").append(String.format(Locale.ROOT, "%,d", p.users())).append(" | ")
                        .append(verdict(holm, p.diff(), "A", "B")).append(" |\n");
            }
        }
    }

    private static void quintileTable(StringBuilder md, Analysis a) {
        if (a.quintileBounds().isEmpty()) {
            md.append(NOT_ENOUGH).append(": no per-user rows yet.\n");
            return;
        }
        md.append("Quintiles of each seed's test users by clicks (1 = least active); upper bounds per seed: ")
                .append(a.quintileBounds().entrySet().stream().map(e -> "seed " + e.getKey() + ": "
                        + Arrays.stream(e.getValue()).mapToObj(b -> "≤ " + b)
                        .collect(Collectors.joining(", ")) + ", more")
                        .collect(Collectors.joining("; "))).append(".\n\n");
        List<Summary> shown = quintileVariants(a);
        Summary low = a.bestLow();
        Summary high = a.highest();
        boolean gain = low != null && high != null && low != high;
        md.append("| quintile | ").append(shown.stream().map(s -> s.variant().id()).collect(Collectors.joining(" | ")));
        if (gain) {
            md.append(" | ").append(low.variant().id()).append(" − ").append(high.variant().id()).append(" | p");
        }
        md.append(" |\n|---|").append("---:|".repeat(shown.size() + (gain ? 2 : 0))).append('\n');
        for (int q = 1; q <= BetaStudyStats.QUINTILES; q++) {
            md.append("| ").append(q).append(" |");
            for (Summary s : shown) {
                Estimate e = a.quintileNdcg(s.variant().id(), q);
                md.append(' ').append(e.n() == 0 ? PENDING : estimate(e, 4)).append(" |");
            }
            if (gain) {
                Paired p = a.paired(low.variant().id(), high.variant().id(), q);
                md.append(' ').append(p == null ? NOT_ENOUGH : diff(p)).append(" | ")
                        .append(p == null ? "" : pValue(p.p())).append(" |");
            }
            md.append('\n');
        }
    }

    /** The variants of the quintile table and plot: beta 0, the best constant, beta 1, anneal to 0.2, Mult-DAE, EASE. */
    static List<Summary> quintileVariants(Analysis a) {
        List<Summary> out = new ArrayList<>();
        for (String id : new String[] {"const-0", a.bestConstant() == null ? null : a.bestConstant().variant().id(),
                "const-1", "anneal-0.2", "multdae", "ease"}) {
            Summary s = id == null ? null : a.summary(id);
            if (s != null && s.done() && !out.contains(s) && a.quintileNdcg(id, 1).n() > 0) {
                out.add(s);
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- plots

    /** Every plot of {@code a} by file name, null where it has no data yet. */
    static Map<String, String> plots(Analysis a) {
        Map<String, String> plots = new LinkedHashMap<>();
        String ds = a.dataset().name();
        List<Summary> constants = a.constants();
        List<Summary> anneals = a.family("anneal");
        TreeSet<Double> grid = new TreeSet<>();
        constants.forEach(s -> grid.add(s.variant().param()));
        anneals.forEach(s -> grid.add(s.variant().param()));
        List<Double> betas = List.copyOf(grid);
        Axis betaAxis = Axis.categories("beta (constant) or cap (anneal); categorical axis, grid values evenly spaced",
                betas.stream().map(BetaStudyReport::param).toList());

        List<Reference> refs = new ArrayList<>();
        for (String id : List.of("multdae", "ease")) {
            Summary s = a.summary(id);
            if (s != null && s.done()) {
                refs.add(new Reference(s.ndcg().mean(), (id.equals("ease") ? "EASE " : "Mult-DAE ")
                        + num(s.ndcg().mean(), 4)));
            }
        }
        plots.put(NDCG_PLOT, betas.isEmpty() ? null : SvgPlot.render(ds + ": test NDCG@100 vs beta (± SE)", betaAxis,
                Axis.linear("NDCG@100 (test users)"), List.of(
                        betaSeries("constant beta", 0, constants, betas, Summary::ndcg),
                        betaSeries("anneal 0 → cap (x = cap)", 1, anneals, betas, Summary::ndcg)), refs));

        List<Summary> shown = quintileVariants(a);
        List<Series> quintileSeries = new ArrayList<>();
        for (int i = 0; i < shown.size(); i++) {
            Summary s = shown.get(i);
            List<Point> pts = new ArrayList<>();
            for (int q = 1; q <= BetaStudyStats.QUINTILES; q++) {
                Estimate e = a.quintileNdcg(s.variant().id(), q);
                // a small offset per series keeps the error bars apart
                pts.add(new Point(q - 1 + (i - (shown.size() - 1) / 2.0) * 0.06, e.mean(), e.se()));
            }
            String label = s == a.bestConstant() ? s.variant().id() + " (best constant)" : s.variant().id();
            quintileSeries.add(new Series(label, i, Style.MARKERS_AND_LINE, pts));
        }
        plots.put(QUINTILE_PLOT, shown.isEmpty() ? null : SvgPlot.render(ds + ": NDCG@100 by user activity quintile",
                Axis.categories("activity quintile of the test users by clicks (categorical)",
                        List.of("1 (least active)", "2", "3", "4", "5 (most active)")),
                Axis.linear("NDCG@100 (test users)"), quintileSeries, List.of()));

        plots.put(ACTIVE_UNITS_PLOT, betas.isEmpty() ? null : SvgPlot.render(ds + ": active latent units vs beta",
                betaAxis, Axis.linear("active units (posterior-mean variance > 0.01)"), List.of(
                        betaSeries("constant beta", 0, constants, betas, Summary::activeUnits),
                        betaSeries("anneal 0 → cap (x = cap)", 1, anneals, betas, Summary::activeUnits)), List.of()));
        plots.put(KL_PLOT, betas.isEmpty() ? null : SvgPlot.render(ds + ": mean KL vs beta", betaAxis,
                Axis.linear("KL(q(z|x) || N(0, I)), nats per test user"), List.of(
                        betaSeries("constant beta", 0, constants, betas, Summary::kl),
                        betaSeries("anneal 0 → cap (x = cap)", 1, anneals, betas, Summary::kl)), List.of()));
        plots.put(KL_CLICKS_PLOT, klVsClicks(a));
        return plots;
    }

    private static Series betaSeries(String name, int colour, List<Summary> summaries, List<Double> betas,
                                     Function<Summary, Estimate> metric) {
        List<Point> pts = new ArrayList<>();
        for (Summary s : summaries) {
            Estimate e = metric.apply(s);
            if (e.n() > 0) {
                pts.add(new Point(betas.indexOf(s.variant().param()), e.mean(), e.se()));
            }
        }
        return new Series(name, colour, Style.MARKERS_AND_LINE, pts);
    }

    /** The constant betas of the KL scatter: the finished ones nearest to {@link #SCATTER_BETAS}, with their seed. */
    static Map<Summary, Integer> scatterCells(Analysis a) {
        Map<Summary, Integer> chosen = new LinkedHashMap<>();
        Map<Summary, Integer> candidates = new LinkedHashMap<>();
        for (Summary s : a.constants()) {
            if (s.variant().param() <= 0) {
                continue; // no place on the log scale of "nearest"
            }
            for (int seed : a.quintileBounds().keySet()) {
                List<UserRow> users = a.dataset().users(s.variant().id(), seed);
                if (users != null && users.stream().anyMatch(u -> Double.isFinite(u.kl()))) {
                    candidates.putIfAbsent(s, seed); // the lowest seed with per-user KL
                }
            }
        }
        for (double target : SCATTER_BETAS) {
            candidates.keySet().stream()
                    .filter(s -> !chosen.containsKey(s))
                    .min(Comparator.comparingDouble((Summary s) -> Math.abs(Math.log(s.variant().param() / target)))
                            .thenComparingDouble(s -> s.variant().param()))
                    .ifPresent(s -> chosen.put(s, candidates.get(s)));
        }
        List<Summary> byBeta = new ArrayList<>(chosen.keySet());
        byBeta.sort(Comparator.comparingDouble(s -> s.variant().param()));
        Map<Summary, Integer> sorted = new LinkedHashMap<>();
        byBeta.forEach(s -> sorted.put(s, chosen.get(s)));
        return sorted;
    }

    private static String klVsClicks(Analysis a) {
        Map<Summary, Integer> cells = scatterCells(a);
        if (cells.isEmpty()) {
            return null;
        }
        List<Series> series = new ArrayList<>();
        List<Series> medians = new ArrayList<>();
        int colour = 0;
        for (Map.Entry<Summary, Integer> e : cells.entrySet()) {
            List<UserRow> users = new ArrayList<>(a.dataset().users(e.getKey().variant().id(), e.getValue()).stream()
                    .filter(u -> Double.isFinite(u.kl()) && u.clicks() > 0).toList());
            users.sort(Comparator.comparingInt(UserRow::clicks).thenComparing(UserRow::user));
            int stride = (users.size() + MAX_SCATTER_POINTS - 1) / MAX_SCATTER_POINTS;
            List<Point> pts = new ArrayList<>();
            for (int i = 0; i < users.size(); i += stride) {
                pts.add(new Point(users.get(i).clicks(), users.get(i).kl()));
            }
            String beta = "beta " + param(e.getKey().variant().param());
            series.add(new Series(String.format(Locale.ROOT, "%s, seed %d%s", beta, e.getValue(),
                    stride > 1 ? " (every " + stride + "th user)" : ""), colour, Style.MARKERS, pts));
            medians.add(new Series("running median, " + beta, colour, Style.LINE, runningMedian(users)));
            colour++;
        }
        series.addAll(medians);
        return SvgPlot.render(a.dataset().name() + ": per-user KL vs clicks", Axis.log("clicks of the user (log scale)"),
                Axis.linear("KL(q(z|x) || N(0, I)), nats"), series, List.of());
    }

    /**
     * The running median of KL over users sorted by clicks: windows of a tenth of the users (at least 5), at most
     * 40 of them evenly spaced, each plotted at its median clicks.
     */
    static List<Point> runningMedian(List<UserRow> sortedByClicks) {
        int n = sortedByClicks.size();
        int w = Math.min(n, Math.max(5, n / 10));
        List<Point> pts = new ArrayList<>();
        if (n == 0) {
            return pts;
        }
        int step = Math.max(1, (n - w) / 40);
        for (int from = 0; from + w <= n; from += step) {
            List<UserRow> win = sortedByClicks.subList(from, from + w);
            pts.add(new Point(BetaStudyStats.median(win.stream().mapToDouble(UserRow::clicks).toArray()),
                    BetaStudyStats.median(win.stream().mapToDouble(UserRow::kl).toArray())));
        }
        return pts;
    }

    // ---------------------------------------------------------------- formatting

    /** A grid value without trailing zeros: 0, 0.01, 0.2, 1; empty for NaN. */
    static String param(double v) {
        return Double.isNaN(v) ? "" : StudyVariant.number(v);
    }

    static String num(double v, int decimals) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%,." + decimals + "f", v);
    }

    /** "mean ± se" (* marks a one-seed estimate whose SE is across users); "pending" for no seed. */
    /** A latent-space estimate of {@code s}; "n/a" for Mult-DAE and EASE, which have no variational posterior. */
    private static String latent(Summary s, Estimate e, int decimals) {
        return StudyVariant.Family.byLabel(s.variant().family()).isVae() ? estimate(e, decimals) : NOT_APPLICABLE;
    }

    static String estimate(Estimate e, int decimals) {
        if (e.n() == 0) {
            return PENDING;
        }
        String m = num(e.mean(), decimals);
        return Double.isNaN(e.se()) ? m : m + " ± " + num(e.se(), decimals) + (e.n() == 1 ? "*" : "");
    }

    static String diff(Paired p) {
        return String.format(Locale.ROOT, "%+.4f ± %.4f", p.diff(), p.se());
    }

    static String pValue(double p) {
        return p < 0.001 ? "< 0.001" : String.format(Locale.ROOT, "%.3f", p);
    }

    /**
     * EASE's chosen lambdas with their seed counts, and a warning for one at the end of what the search in
     * {@code protocol.json} could reach: there the validation optimum may lie beyond, and EASE's numbers are a bound.
     */
    static String easeLambdas(Dataset d) {
        Map<Double, Integer> chosen = new TreeMap<>();
        for (Cell c : d.cells("ease")) {
            if (c.lambda() != null) {
                chosen.merge(c.lambda(), 1, Integer::sum);
            }
        }
        if (chosen.isEmpty()) {
            return "lambda not recorded";
        }
        StringBuilder sb = new StringBuilder("lambda ").append(chosen.entrySet().stream()
                .map(e -> param(e.getKey()) + " (" + seeds(e.getValue()) + ")").collect(Collectors.joining(", ")));
        BetaStudyData.Protocol protocol = d.protocol();
        double[] reach = protocol == null ? null : protocol.easeReach();
        if (reach == null) {
            return sb.toString();
        }
        DoubleSummaryStatistics grid = protocol.easeLambdas().stream().mapToDouble(Double::doubleValue).summaryStatistics();
        for (double lambda : chosen.keySet()) {
            boolean low = Math.abs(lambda - reach[0]) <= 1e-9 * reach[0];
            if (low || Math.abs(lambda - reach[1]) <= 1e-9 * reach[1]) {
                int steps = protocol.easeEdgeSteps();
                sb.append("; ").append(param(lambda)).append(" is the ").append(low ? "smallest" : "largest")
                        .append(" lambda the search could reach (grid ").append(param(grid.getMin())).append('–')
                        .append(param(grid.getMax())).append(steps == 0 ? " and no steps past its edges" : " and " + steps
                                + (steps == 1 ? " step" : " steps") + " past them").append(" in `").append(BetaStudyCommand.PROTOCOL_FILE)
                        .append("`), so EASE may do better with a ").append(low ? "smaller" : "larger").append(" one");
            }
        }
        return sb.toString();
    }

    private static String seeds(int n) {
        return n + (n == 1 ? " seed" : " seeds");
    }

    static double[] toArray(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
