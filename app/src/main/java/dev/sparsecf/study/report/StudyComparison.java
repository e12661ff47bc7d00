package dev.sparsecf.study.report;

import static dev.sparsecf.study.report.ReportText.ALPHA;
import static dev.sparsecf.study.report.ReportText.NOT_APPLICABLE;
import static dev.sparsecf.study.report.ReportText.NOT_ENOUGH;
import static dev.sparsecf.study.report.ReportText.NO_SEED_TEST;
import static dev.sparsecf.study.report.ReportText.diff;
import static dev.sparsecf.study.report.ReportText.num;
import static dev.sparsecf.study.report.ReportText.pValue;
import static dev.sparsecf.study.report.ReportText.param;
import static dev.sparsecf.study.report.ReportText.seedP;

import dev.sparsecf.render.MarkdownTable;
import dev.sparsecf.render.SvgPlot;

import dev.sparsecf.study.report.BetaStudyData.Dataset;
import dev.sparsecf.study.report.BetaStudyData.UserRow;
import dev.sparsecf.study.report.BetaStudyData.Variant;
import dev.sparsecf.study.report.BetaStudyStats.Paired;
import dev.sparsecf.study.StudyCells.Cell;
import dev.sparsecf.render.SvgPlot.Axis;
import dev.sparsecf.render.SvgPlot.Point;
import dev.sparsecf.render.SvgPlot.Reference;
import dev.sparsecf.render.SvgPlot.Series;
import dev.sparsecf.render.SvgPlot.Style;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * The part of a beta-study report that compares the study with a baseline study directory run on the same seeds and
 * splits (e.g. the same grid with a longer training budget): per dataset, each variant both finished on a seed with
 * the same split, its NDCG@100 change paired over those seeds' test users, and the constant-beta curves of both.
 */
public final class StudyComparison {

    public static final String PLOT = "versus_baseline.svg";

    /** One variant over the seeds both studies finished with the same split; the means are over those seeds. */
    record Row(Variant variant, List<Long> seeds, double baselineNdcg, double ndcg, double baselineNdcgSe,
               double ndcgSe, double baselineBestEpoch, double bestEpoch, double baselineActiveUnits,
               double activeUnits, Paired paired) {
    }

    /** One dataset of both studies: its rows in report order, and the seeds left out because their splits differ. */
    record DatasetComparison(String dataset, List<Row> rows, List<Long> differentSplits) {

        /** Holm-adjusted seed-level p of each row, over the rows that have one (NaN for the others). */
        double[] holm() {
            return BetaStudyStats.holm(rows.stream().map(Row::paired).toList());
        }
    }

    private StudyComparison() {
    }

    /** The variants of {@code current} that {@code baseline} also finished on a seed with the same split. */
    static DatasetComparison compare(Dataset current, Dataset baseline) {
        List<Row> rows = new ArrayList<>();
        List<Long> differentSplits = new ArrayList<>();
        for (Variant v : current.variants()) {
            Map<Long, Cell> base = new TreeMap<>();
            baseline.cells(v.id()).forEach(c -> base.put(c.seed(), c));
            List<Cell> mine = new ArrayList<>();
            List<Cell> theirs = new ArrayList<>();
            List<double[]> diffs = new ArrayList<>();
            for (Cell c : current.cells(v.id())) {
                Cell b = base.get(c.seed());
                if (b == null) {
                    continue;
                }
                if (!b.splitFingerprint().equals(c.splitFingerprint())) {
                    if (!differentSplits.contains(c.seed())) {
                        differentSplits.add(c.seed());
                    }
                    continue;
                }
                mine.add(c);
                theirs.add(b);
                List<UserRow> ua = current.users(v.id(), c.seed());
                List<UserRow> ub = baseline.users(v.id(), c.seed());
                if (ua != null && ub != null) {
                    diffs.add(Analysis.ndcgDifferences(ua, ub, u -> true));
                }
            }
            if (!mine.isEmpty()) {
                rows.add(new Row(v, mine.stream().map(Cell::seed).sorted().toList(), mean(theirs, Cell::ndcg100),
                        mean(mine, Cell::ndcg100), se(theirs), se(mine), bestEpoch(theirs), bestEpoch(mine),
                        activeUnits(theirs), activeUnits(mine), BetaStudyStats.paired(diffs)));
            }
        }
        differentSplits.sort(null);
        return new DatasetComparison(current.name(), rows, differentSplits);
    }

    /**
     * The markdown section for every dataset both studies have; {@code baseline} names and links the baseline, and
     * {@code plots} holds each dataset's rendered plot (null: none).
     */
    static void markdown(StringBuilder md, String baseline, List<DatasetComparison> comparisons,
                         Map<String, String> plots) {
        md.append("## Against the baseline study\n\n");
        md.append("Baseline: [").append(baseline).append("](").append(baseline).append("/README.md). Per dataset, "
                + "every variant that both studies finished on a seed with the same split (equal split fingerprints, "
                + "so the same test users): means over those seeds, and this study − baseline paired over the test "
                + "users of each shared seed (as above): the seed-level p, Holm-adjusted over the dataset's variants, "
                + "and beside it the per-user p (secondary). Best epoch: the validation-selected epoch (EASE has "
                + "none).\n\n");
        if (comparisons.isEmpty()) {
            md.append(NOT_ENOUGH).append(": no dataset has finished cells in both studies.\n\n");
        }
        for (DatasetComparison d : comparisons) {
            md.append("### ").append(d.dataset()).append(" against the baseline\n\n");
            double[] holm = d.holm();
            findings(md, d, holm);
            md.append('\n');
            MarkdownTable.header(md, "llrrrrrrrr", "variant", "seeds", "best epoch: baseline → this",
                    "NDCG@100 baseline", "NDCG@100 this", "this − baseline", "p (seed level)", "Holm p",
                    "p per user (secondary)", "active units: baseline → this");
            for (int i = 0; i < d.rows().size(); i++) {
                Row r = d.rows().get(i);
                Paired p = r.paired();
                MarkdownTable.row(md, r.variant().id(),
                        r.seeds().stream().map(String::valueOf).collect(Collectors.joining(", ")),
                        arrow(r.baselineBestEpoch(), r.bestEpoch(), 1), num(r.baselineNdcg(), 4), num(r.ndcg(), 4),
                        p == null ? NOT_ENOUGH : diff(p), p == null ? null : seedP(p),
                        p == null || !p.seedTested() ? null : pValue(holm[i]), p == null ? null : pValue(p.userP()),
                        arrow(r.baselineActiveUnits(), r.activeUnits(), 1));
            }
            if (plots.get(d.dataset()) != null) {
                md.append('\n').append(ReportText.imageLink(PLOT, d.dataset())).append('\n');
            }
            md.append('\n');
        }
    }

    private static void findings(StringBuilder md, DatasetComparison d, double[] holm) {
        if (!d.differentSplits().isEmpty()) {
            md.append("- Left out: seed").append(d.differentSplits().size() > 1 ? "s " : " ")
                    .append(d.differentSplits().stream().map(String::valueOf).collect(Collectors.joining(", ")))
                    .append(" (the two studies split the data differently).\n");
        }
        List<String> better = new ArrayList<>();
        List<String> worse = new ArrayList<>();
        Row gain = null;
        Row loss = null;
        int paired = 0;
        int tested = 0;
        for (int i = 0; i < d.rows().size(); i++) {
            Paired p = d.rows().get(i).paired();
            if (p == null) {
                continue;
            }
            paired++;
            if (p.seedTested()) {
                tested++;
                if (holm[i] < ALPHA) {
                    (p.diff() > 0 ? better : worse).add(d.rows().get(i).variant().id());
                }
            }
            gain = gain == null || p.diff() > gain.paired().diff() ? d.rows().get(i) : gain;
            loss = loss == null || p.diff() < loss.paired().diff() ? d.rows().get(i) : loss;
        }
        if (paired == 0) {
            md.append("- Paired differences: ").append(NOT_ENOUGH)
                    .append(" (no shared seed with per-user rows in both).\n");
            return;
        }
        md.append(String.format(Locale.ROOT, "- Significantly better here (seed-level Holm p < %s): %d of %d variants "
                        + "tested at the seed level%s; significantly worse: %d%s%s.\n", ALPHA, better.size(), tested,
                better.isEmpty() ? "" : " (" + String.join(", ", better) + ")", worse.size(),
                worse.isEmpty() ? "" : " (" + String.join(", ", worse) + ")", paired == tested ? ""
                        : "; " + (paired - tested) + " with one shared seed (" + NO_SEED_TEST + ")"));
        md.append(String.format(Locale.ROOT, "- Largest change up: %s %s; largest change down or smallest up: %s %s.\n",
                gain.variant().id(), diff(gain.paired()), loss.variant().id(),
                diff(loss.paired())));
    }

    /**
     * NDCG@100 of the constant betas in both studies over the shared seeds, with Mult-DAE and EASE as lines;
     * {@code study} and {@code baseline} name the two directories in the legend.
     */
    static String plot(DatasetComparison d, String study, String baseline) {
        List<Row> constants = d.rows().stream().filter(r -> r.variant().family().equals("constant")).toList();
        if (constants.isEmpty()) {
            return null;
        }
        List<String> betas = constants.stream().map(r -> param(r.variant().param())).toList();
        List<Point> base = new ArrayList<>();
        List<Point> mine = new ArrayList<>();
        for (int i = 0; i < constants.size(); i++) {
            Row r = constants.get(i);
            base.add(new Point(i - 0.04, r.baselineNdcg(), r.baselineNdcgSe()));
            mine.add(new Point(i + 0.04, r.ndcg(), r.ndcgSe()));
        }
        List<Reference> refs = new ArrayList<>();
        for (Row r : d.rows()) {
            String name = r.variant().family().equals("ease") ? "EASE" : r.variant().family().equals("multdae")
                    ? "Mult-DAE" : null;
            if (name != null) {
                refs.add(new Reference(r.ndcg(), name + " this " + num(r.ndcg(), 4)));
                refs.add(new Reference(r.baselineNdcg(), name + " baseline " + num(r.baselineNdcg(), 4)));
            }
        }
        return SvgPlot.render(d.dataset() + ": test NDCG@100 vs beta, this study and the baseline (± SE over seeds)",
                Axis.categories("constant beta (categorical axis)", betas), Axis.linear("NDCG@100 (test users)"),
                List.of(new Series("baseline (" + baseline + ")", 2, Style.MARKERS_AND_LINE, base),
                        new Series("this study (" + study + ")", 0, Style.MARKERS_AND_LINE, mine)), refs);
    }

    private static String arrow(double from, double to, int decimals) {
        return Double.isNaN(from) && Double.isNaN(to) ? NOT_APPLICABLE
                : num(from, decimals) + " → " + num(to, decimals);
    }

    private static double mean(List<Cell> cells, ToDoubleFunction<Cell> value) {
        return cells.stream().mapToDouble(value).average().orElse(Double.NaN);
    }

    /** Mean active units; NaN for Mult-DAE and EASE, which have no latent posterior. */
    private static double activeUnits(List<Cell> cells) {
        return mean(cells, c -> c.activeUnits() == null ? Double.NaN : c.activeUnits());
    }

    /** Mean best epoch; NaN for EASE, which has no epochs. */
    private static double bestEpoch(List<Cell> cells) {
        return cells.stream().allMatch(c -> c.epochs() == 0) ? Double.NaN : mean(cells, Cell::bestEpoch);
    }

    /** Standard error of the cells' NDCG@100 across seeds (NaN with one seed). */
    private static double se(List<Cell> cells) {
        double[] v = cells.stream().mapToDouble(Cell::ndcg100).toArray();
        return v.length < 2 ? Double.NaN : BetaStudyStats.standardError(v);
    }
}
