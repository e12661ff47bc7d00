package dev.sparsecf.study.report;

import static dev.sparsecf.study.report.ReportText.NOT_ENOUGH;
import static dev.sparsecf.study.report.ReportText.NOT_RUN;
import static dev.sparsecf.study.report.ReportText.PENDING;
import static dev.sparsecf.study.report.ReportText.diff;
import static dev.sparsecf.study.report.ReportText.num;
import static dev.sparsecf.study.report.ReportText.pValue;
import static dev.sparsecf.study.report.ReportText.param;
import static dev.sparsecf.study.report.ReportText.seedP;
import static dev.sparsecf.study.report.ReportText.verdict;

import dev.sparsecf.render.MarkdownTable;
import dev.sparsecf.study.MatchedCentre;
import dev.sparsecf.study.StudyCells.Cell;
import dev.sparsecf.study.StudyVariant;
import dev.sparsecf.study.report.BetaStudyStats.Paired;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * The matched per-user grid of a dataset: each per-user variant ({@code beta_u ~ clicks^gamma} at mean m) against
 * the global beta at the same mean, {@code const-m} (its gamma-0 twin). Holm's family is this grid's comparisons.
 */
final class MatchedGrid {

    /** One per-user point, its twin, their paired comparison (null when not both finished) and its Holm p. */
    record Point(double mean, double exponent, String id, String twin, Paired paired, double holm) {
    }

    private MatchedGrid() {
    }

    /** The per-user points of {@code a}'s dataset, by mean then gamma. */
    static List<Point> points(Analysis a) {
        TreeSet<String> seen = new TreeSet<>();
        List<Cell> cells = new ArrayList<>();
        for (Cell c : a.dataset().cells()) {
            if (c.family().equals(StudyVariant.Family.PERUSER.label) && c.exponent() != null && seen.add(c.variant())) {
                cells.add(c);
            }
        }
        cells.sort((x, y) -> x.param().equals(y.param()) ? Double.compare(x.exponent(), y.exponent())
                : Double.compare(x.param(), y.param()));
        List<Paired> family = new ArrayList<>();
        List<String[]> ids = new ArrayList<>();
        for (Cell c : cells) {
            String twin = "const-" + StudyVariant.number(c.param());
            ids.add(new String[] {c.variant(), twin});
            family.add(a.dataset().cells(twin).isEmpty() ? null : a.paired(c.variant(), twin, 0));
        }
        double[] holm = BetaStudyStats.holm(family);
        List<Point> points = new ArrayList<>();
        for (int i = 0; i < cells.size(); i++) {
            points.add(new Point(cells.get(i).param(), cells.get(i).exponent(), ids.get(i)[0], ids.get(i)[1], family.get(i),
                    holm[i]));
        }
        return points;
    }

    /** The table, or a line saying that no per-user point finished. */
    static void append(StringBuilder md, Analysis a) {
        List<Point> points = points(a);
        if (points.isEmpty()) {
            boolean first = a.dataset().protocol() != null && a.dataset().protocol().version() < 2;
            md.append(first ? NOT_RUN + ": protocol 1 has no matched grid (its per-user variants, at mean 0.2, are in the"
                    + " tables above)" : PENDING + ": no cell of the matched grid finished (it runs once the constant sweep"
                    + " is done on every seed)").append(".\n");
            return;
        }
        md.append("Per-user beta_u = m · clicks_u^γ / mean over training users of clicks^γ, against the global beta m"
                + " (`const-m`, γ = 0), paired over the test users. Primary: seed-level t-test of the per-seed mean "
                + "differences, Holm-adjusted over this grid.");
        MatchedCentre c = a.dataset().matched();
        if (c != null) {
            md.append(" The grid's centre, mean beta ").append(param(c.centre())).append(", is what validation chose (")
                    .append(c.chosen()).append(", mean validation NDCG@100 ").append(num(c.validationNdcg(), 4))
                    .append(" over ").append(ReportText.seeds(c.seeds())).append(") when the grid was planned (`")
                    .append(MatchedCentre.FILE).append("`).");
        }
        md.append("\n\n");
        MarkdownTable.header(md, "rrlrrlrr", "mean m", "γ", "NDCG@100 per-user − global", "p (seed level)", "Holm p",
                "verdict", "seeds", "paired users");
        for (Point p : points) {
            Paired d = p.paired();
            if (d == null) {
                MarkdownTable.row(md, param(p.mean()), param(p.exponent()), a.dataset().cells(p.twin()).isEmpty()
                        ? PENDING + " (" + p.twin() + ")" : NOT_ENOUGH, null, null, null, null, null);
            } else {
                MarkdownTable.row(md, param(p.mean()), param(p.exponent()), diff(d), seedP(d),
                        d.seedTested() ? pValue(p.holm()) : null, verdict(d, p.holm(), "per-user", "global"),
                        String.valueOf(d.seeds()), String.format(Locale.ROOT, "%,d", d.users()));
            }
        }
    }
}
