package dev.sparsecf.study.report;

import static dev.sparsecf.study.report.ReportText.num;
import static dev.sparsecf.study.report.ReportText.param;

import dev.sparsecf.render.SvgPlot;
import dev.sparsecf.render.SvgPlot.Axis;
import dev.sparsecf.render.SvgPlot.Point;
import dev.sparsecf.render.SvgPlot.Reference;
import dev.sparsecf.render.SvgPlot.Series;
import dev.sparsecf.render.SvgPlot.Style;
import dev.sparsecf.study.StudyVariant;
import dev.sparsecf.study.report.BetaStudyData.UserRow;
import dev.sparsecf.study.report.BetaStudyStats.Estimate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Function;

/** The SVG plots of one dataset of a beta study, by file name. */
final class StudyPlots {

    /** At most this many users per beta in the KL scatter (evenly thinned in clicks order) keep the SVG small. */
    static final int MAX_SCATTER_POINTS = 1500;
    /** The betas whose per-user KL the scatter shows (the nearest finished ones on a log scale). */
    static final List<Double> SCATTER_BETAS = List.of(0.01, 0.2, 1.0);

    /** The matched grid's exponents gamma, the categories of its plot's x axis. */
    static final List<Double> MATCHED_GAMMAS = Arrays.stream(StudyVariant.MATCHED_EXPONENTS).boxed().toList();

    private StudyPlots() {
    }

    /** Every plot of {@code a} by file name, null where it has no data yet. */
    static Map<String, String> of(Analysis a) {
        Map<String, String> plots = new LinkedHashMap<>();
        String ds = a.dataset().name();
        List<Summary> constants = a.constants();
        List<Summary> anneals = a.family("anneal");
        TreeSet<Double> grid = new TreeSet<>();
        constants.forEach(s -> grid.add(s.variant().param()));
        anneals.forEach(s -> grid.add(s.variant().param()));
        List<Double> betas = List.copyOf(grid);
        Axis betaAxis = Axis.categories("beta (constant) or cap (anneal); categorical axis, grid values evenly spaced",
                betas.stream().map(ReportText::param).toList());

        List<Reference> refs = new ArrayList<>();
        for (String id : List.of("multdae", "ease")) {
            Summary s = a.summary(id);
            if (s != null && s.done()) {
                refs.add(new Reference(s.ndcg().mean(), (id.equals("ease") ? "EASE " : "Mult-DAE ")
                        + num(s.ndcg().mean(), 4)));
            }
        }
        plots.put(BetaStudyReport.NDCG_PLOT, betas.isEmpty() ? null : SvgPlot.render(ds
                + ": test NDCG@100 vs beta (± SE)", betaAxis, Axis.linear("NDCG@100 (test users)"), List.of(
                        betaSeries("constant beta", 0, constants, betas, Summary::ndcg),
                        betaSeries("anneal 0 → cap (x = cap)", 1, anneals, betas, Summary::ndcg)), refs));
        plots.put(BetaStudyReport.QUINTILE_PLOT, quintiles(a));
        plots.put(BetaStudyReport.ACTIVE_UNITS_PLOT, betas.isEmpty() ? null : SvgPlot.render(ds
                + ": active latent units vs beta", betaAxis, Axis.linear("active units (posterior-mean variance > 0.01)"),
                List.of(betaSeries("constant beta", 0, constants, betas, Summary::activeUnits),
                        betaSeries("anneal 0 → cap (x = cap)", 1, anneals, betas, Summary::activeUnits)), List.of()));
        plots.put(BetaStudyReport.KL_PLOT, betas.isEmpty() ? null : SvgPlot.render(ds + ": mean KL vs beta", betaAxis,
                Axis.linear("KL(q(z|x) || N(0, I)), nats per test user"), List.of(
                        betaSeries("constant beta", 0, constants, betas, Summary::kl),
                        betaSeries("anneal 0 → cap (x = cap)", 1, anneals, betas, Summary::kl)), List.of()));
        plots.put(BetaStudyReport.KL_CLICKS_PLOT, klVsClicks(a));
        plots.put(BetaStudyReport.CURVES_PLOT, validationCurves(a));
        plots.put(BetaStudyReport.MATCHED_PLOT, matchedGrid(a));
        return plots;
    }

    /**
     * The matched grid's differences, per-user minus global test NDCG@100, by gamma (a position of
     * {@link #MATCHED_GAMMAS}): one line per mean beta m, each point ± its seed-level SE (the per-user SE with one
     * seed), and gamma 0, the global beta itself, at 0.
     */
    static List<Series> matchedSeries(Analysis a) {
        List<MatchedGrid.Point> done = MatchedGrid.points(a).stream()
                .filter(p -> p.paired() != null && MATCHED_GAMMAS.contains(p.exponent())).toList();
        TreeSet<Double> means = new TreeSet<>();
        done.forEach(p -> means.add(p.mean()));
        Summary chosen = a.bestConstant();
        List<Series> series = new ArrayList<>();
        for (double m : means) {
            // a small shift per line keeps the error bars of one gamma apart
            double shift = (series.size() - (means.size() - 1) / 2.0) * 0.08;
            List<Point> pts = new ArrayList<>(List.of(new Point(MATCHED_GAMMAS.indexOf(0.0) + shift, 0)));
            for (MatchedGrid.Point p : done) {
                if (p.mean() == m) {
                    BetaStudyStats.Paired d = p.paired();
                    pts.add(new Point(MATCHED_GAMMAS.indexOf(p.exponent()) + shift, d.diff(),
                            d.seedTested() ? d.seedSe() : d.userSe()));
                }
            }
            pts.sort(Comparator.comparingDouble(Point::x));
            boolean centre = chosen != null && chosen.variant().param() == m;
            series.add(new Series("m " + param(m) + (centre ? " (the chosen constant)" : ""), series.size(),
                    Style.MARKERS_AND_LINE, pts));
        }
        return series;
    }

    private static String matchedGrid(Analysis a) {
        List<Series> series = matchedSeries(a);
        return series.isEmpty() ? null : SvgPlot.render(a.dataset().name() + ": per-user beta (∝ clicks^γ) against"
                        + " the global beta at the same mean m", Axis.categories("γ (beta_u = m · clicks_u^γ / mean of "
                        + "clicks^γ; γ = 0 is the global beta m)", MATCHED_GAMMAS.stream().map(ReportText::param).toList()),
                Axis.linear("test NDCG@100, per-user − global (± SE)"), series,
                List.of(new Reference(0, "global beta at the same mean")));
    }

    /**
     * The constants whose validation curves {@link #validationCurves} draws, by beta: the chosen one, its neighbours
     * in the sweep, and the sweep's ends (at most five, so that each keeps a colour of its own).
     */
    static List<Summary> curveConstants(Analysis a) {
        List<Summary> sweep = a.sweep().stream().filter(Summary::done).toList();
        int chosen = sweep.indexOf(a.bestConstant());
        if (chosen < 0) {
            return List.of();
        }
        TreeSet<Integer> shown = new TreeSet<>(List.of(0, Math.max(0, chosen - 1), chosen,
                Math.min(sweep.size() - 1, chosen + 1), sweep.size() - 1));
        return shown.stream().map(sweep::get).toList();
    }

    /**
     * Validation NDCG@100 by epoch of {@link #curveConstants}, each the mean over its seeds with a history, up to the
     * shortest of them (so every point averages the same seeds): whether the budget let the runs level off.
     */
    static List<Series> curveSeries(Analysis a) {
        List<Series> series = new ArrayList<>();
        for (Summary s : curveConstants(a)) {
            List<double[]> histories = a.dataset().cells(s.variant().id()).stream()
                    .map(c -> a.dataset().history(c.variant(), c.seed())).filter(Objects::nonNull).toList();
            if (histories.isEmpty()) {
                continue;
            }
            int epochs = histories.stream().mapToInt(h -> h.length).min().orElseThrow();
            List<Point> pts = new ArrayList<>();
            for (int e = 0; e < epochs; e++) {
                double sum = 0;
                for (double[] h : histories) {
                    sum += h[e];
                }
                pts.add(new Point(e + 1, sum / histories.size()));
            }
            series.add(new Series("beta " + param(s.variant().param()) + (s == a.bestConstant() ? " (chosen)" : "")
                    + ", " + ReportText.seeds(histories.size()), series.size(), Style.LINE, pts));
        }
        return series;
    }

    private static String validationCurves(Analysis a) {
        List<Series> series = curveSeries(a);
        if (series.isEmpty()) {
            return null;
        }
        // the whole budget on the x axis, so a curve that stops early shows where it stopped
        double last = series.stream().flatMap(s -> s.points().stream()).mapToDouble(Point::x).max().orElse(0);
        double budget = Math.max(last, a.dataset().protocol() == null ? 0 : a.dataset().protocol().epochs());
        return SvgPlot.render(a.dataset().name() + ": validation NDCG@100 by epoch, constant beta (mean over seeds)",
                Axis.linear("epoch", 0, budget), Axis.linear("NDCG@100 (validation users)"), series, List.of());
    }

    private static String quintiles(Analysis a) {
        List<Summary> shown = a.quintileVariants();
        if (shown.isEmpty()) {
            return null;
        }
        List<Series> series = new ArrayList<>();
        for (int i = 0; i < shown.size(); i++) {
            Summary s = shown.get(i);
            List<Point> pts = new ArrayList<>();
            for (int q = 1; q <= BetaStudyStats.QUINTILES; q++) {
                Estimate e = a.quintileNdcg(s.variant().id(), q);
                // a small offset per series keeps the error bars apart
                pts.add(new Point(q - 1 + (i - (shown.size() - 1) / 2.0) * 0.06, e.mean(), e.se()));
            }
            String label = s == a.bestConstant() ? s.variant().id() + " (best constant)" : s.variant().id();
            series.add(new Series(label, i, Style.MARKERS_AND_LINE, pts));
        }
        return SvgPlot.render(a.dataset().name() + ": NDCG@100 by user activity quintile",
                Axis.categories("activity quintile of the test users by clicks (categorical)",
                        List.of("1 (least active)", "2", "3", "4", "5 (most active)")),
                Axis.linear("NDCG@100 (test users)"), series, List.of());
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
}
