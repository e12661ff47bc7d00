package dev.sparsecf.study.report;

import static dev.sparsecf.study.report.ReportText.NOT_ENOUGH;
import static dev.sparsecf.study.report.ReportText.PENDING;
import static dev.sparsecf.study.report.ReportText.diff;
import static dev.sparsecf.study.report.ReportText.estimate;
import static dev.sparsecf.study.report.ReportText.latent;
import static dev.sparsecf.study.report.ReportText.num;
import static dev.sparsecf.study.report.ReportText.pValue;
import static dev.sparsecf.study.report.ReportText.param;
import static dev.sparsecf.study.report.ReportText.seedP;
import static dev.sparsecf.study.report.ReportText.verdict;

import dev.sparsecf.render.MarkdownTable;
import dev.sparsecf.study.report.BetaStudyData.Study;
import dev.sparsecf.study.report.BetaStudyStats.Estimate;
import dev.sparsecf.study.report.BetaStudyStats.Paired;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The four tables of a dataset section: all variants, the constant betas, paired comparisons, activity quintiles. */
final class DatasetTables {

    private DatasetTables() {
    }

    /** Every variant's metrics, "pending" for those with no finished cell; seeds done out of those planned. */
    static void variants(StringBuilder md, Analysis a, Study study) {
        MarkdownTable.header(md, "llrrrrrrrr", "variant", "family", "param", "seeds", "Recall@20", "Recall@50",
                "NDCG@100", "active units", "KL (nats)", "train s");
        for (Summary s : a.summaries()) {
            List<String> row = new ArrayList<>(List.of(s.variant().id(), s.variant().family(),
                    param(s.variant().param()), s.seeds() + "/" + Math.max(a.plannedSeeds(s, study), s.seeds())));
            if (!s.done()) {
                row.addAll(Collections.nCopies(6, PENDING));
            } else {
                row.addAll(List.of(estimate(s.recall20(), 4), estimate(s.recall50(), 4), estimate(s.ndcg(), 4),
                        latent(s, s.activeUnits(), 1), latent(s, s.kl(), 2), num(s.trainSeconds(), 1)));
            }
            MarkdownTable.row(md, row);
        }
    }

    /** The constant betas against the best one: the optimum's flatness and the latent units kept. */
    static void constants(StringBuilder md, Analysis a) {
        Summary best = a.bestConstant();
        if (best == null) {
            md.append(NOT_ENOUGH).append(": no constant-beta cell finished.\n");
            return;
        }
        MarkdownTable.header(md, "rrrrrcrr", "beta", "seeds", "validation NDCG@100", "NDCG@100", "− best",
                "within 1 SE of best", "active units", "KL (nats)");
        for (Summary s : a.constants()) {
            MarkdownTable.row(md, param(s.variant().param()), String.valueOf(s.seeds()),
                    estimate(s.validationNdcg(), 4), estimate(s.ndcg(), 4),
                    String.format(Locale.ROOT, "%+.4f", s.ndcg().mean() - best.ndcg().mean()),
                    s == best ? "best" : a.withinOneSe().contains(s) ? "yes" : "no",
                    estimate(s.activeUnits(), 1), estimate(s.kl(), 2));
        }
    }

    /**
     * Every other variant A against the best constant beta B: the seed-level test, Holm-adjusted over the table, and
     * beside it the per-user paired test (secondary).
     */
    static void paired(StringBuilder md, Analysis a) {
        Summary best = a.bestConstant();
        if (best == null) {
            md.append(NOT_ENOUGH).append(": no constant-beta cell finished.\n");
            return;
        }
        md.append("A − B on NDCG@100 with B = ").append(best.variant().id()).append(" (the best constant beta). "
                + "Primary: the t-test of the per-seed mean differences (± SE across seeds, df = seeds − 1), "
                + "Holm-adjusted over this table; secondary: the per-user paired test (seeds as fixed effects).\n\n");
        MarkdownTable.header(md, "lrrrlrrrr", "A", "NDCG@100 A − B", "p (seed level)", "Holm p",
                "verdict (seed-level Holm p)", "± SE over users", "p per user (secondary)", "seeds", "paired users");
        for (Summary s : a.summaries()) {
            if (s.variant().family().equals("constant")) {
                continue; // constants against the best one are the flatness table
            }
            Paired p = s.done() ? a.paired(s.variant().id(), best.variant().id(), 0) : null;
            if (p == null) {
                String why = s.done() ? NOT_ENOUGH : PENDING;
                MarkdownTable.row(md, s.variant().id(), why, null, null, why, null, null, null, null);
            } else {
                double holm = a.holmP(s.variant().id());
                MarkdownTable.row(md, s.variant().id(), diff(p), seedP(p), p.seedTested() ? pValue(holm) : null,
                        verdict(p, holm, "A", "B"), num(p.userSe(), 4), pValue(p.userP()),
                        String.valueOf(p.seeds()), String.format(Locale.ROOT, "%,d", p.users()));
            }
        }
    }

    /** NDCG@100 by activity quintile of the quintile variants, and the best low beta against the highest. */
    static void quintiles(StringBuilder md, Analysis a) {
        if (a.quintileBounds().isEmpty()) {
            md.append(NOT_ENOUGH).append(": no per-user rows yet.\n");
            return;
        }
        md.append("Quintiles of each seed's test users by clicks (1 = least active); upper bounds per seed: ")
                .append(a.quintileBounds().entrySet().stream().map(e -> "seed " + e.getKey() + ": "
                        + Arrays.stream(e.getValue()).mapToObj(b -> "≤ " + b)
                        .collect(Collectors.joining(", ")) + ", more")
                        .collect(Collectors.joining("; "))).append(".\n\n");
        List<Summary> shown = a.quintileVariants();
        Summary low = a.bestLow();
        Summary high = a.highest();
        boolean gain = low != null && high != null && low != high;
        List<String> header = new ArrayList<>(List.of("quintile"));
        shown.forEach(s -> header.add(s.variant().id()));
        if (gain) {
            header.addAll(List.of(low.variant().id() + " − " + high.variant().id(), "p (seed level)",
                    "Holm p (5 quintiles)", "p per user (secondary)"));
        }
        List<Paired> byQuintile = gain ? a.pairedByQuintile(low.variant().id(), high.variant().id()) : List.of();
        double[] holm = BetaStudyStats.holm(byQuintile);
        MarkdownTable.header(md, "l" + "r".repeat(header.size() - 1), header);
        for (int q = 1; q <= BetaStudyStats.QUINTILES; q++) {
            List<String> row = new ArrayList<>(List.of(String.valueOf(q)));
            for (Summary s : shown) {
                Estimate e = a.quintileNdcg(s.variant().id(), q);
                row.add(e.n() == 0 ? PENDING : estimate(e, 4));
            }
            if (gain) {
                Paired p = byQuintile.get(q - 1);
                row.add(p == null ? NOT_ENOUGH : diff(p));
                row.add(p == null ? "" : seedP(p));
                row.add(p == null || !p.seedTested() ? "" : pValue(holm[q - 1]));
                row.add(p == null ? "" : pValue(p.userP()));
            }
            MarkdownTable.row(md, row);
        }
    }
}
