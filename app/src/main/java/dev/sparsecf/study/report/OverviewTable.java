package dev.sparsecf.study.report;

import static dev.sparsecf.study.report.ReportText.EXPLORATORY;
import static dev.sparsecf.study.report.ReportText.NOT_ENOUGH;
import static dev.sparsecf.study.report.ReportText.NO_SEED_TEST;
import static dev.sparsecf.study.report.ReportText.NOT_RUN;
import static dev.sparsecf.study.report.ReportText.PENDING;
import static dev.sparsecf.study.report.ReportText.estimate;
import static dev.sparsecf.study.report.ReportText.num;
import static dev.sparsecf.study.report.ReportText.pValue;
import static dev.sparsecf.study.report.ReportText.param;

import dev.sparsecf.render.MarkdownTable;
import dev.sparsecf.study.report.BetaStudyData.Study;
import dev.sparsecf.study.report.BetaStudyStats.Paired;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** The README's "Overview": one row per dataset with the chosen beta, its flatness and the references against it. */
final class OverviewTable {

    private OverviewTable() {
    }

    /** Appends the overview section of {@code analyses}. */
    static void append(StringBuilder md, List<Analysis> analyses, Study study) {
        md.append("## Overview\n\n");
        md.append("Differences are test NDCG@100 against the constant beta chosen on validation (seed-level p, "
                + "Holm-adjusted within each dataset; any comparison across datasets is " + EXPLORATORY + "). "
                + "Budget: the planned epochs, and how many Mult-VAE/DAE cells had their best epoch late in it (still "
                + "improving). The sections below have the details.\n\n");
        MarkdownTable.header(md, "lrlrrlllllr", "dataset", "cells", "budget", "chosen beta", "NDCG@100",
                "within 1 SE", "best schedule", "best per-user / KL-target", "Mult-DAE", "EASE",
                "active units at the largest beta");
        for (Analysis a : analyses) {
            Summary best = a.bestConstant();
            Budget budget = Budget.of(a.dataset());
            List<String> row = new ArrayList<>(List.of(a.dataset().name(), a.cellsDone() + "/" + a.cellsPlanned(study),
                    budget == null ? PENDING : budget.brief()));
            if (best == null) {
                row.addAll(Collections.nCopies(8, PENDING));
                MarkdownTable.row(md, row);
                continue;
            }
            List<Double> within = a.withinOneSe().stream().map(s -> s.variant().param()).toList();
            Summary high = a.highest();
            row.addAll(List.of(param(best.variant().param()), estimate(best.ndcg(), 4),
                    within.isEmpty() ? NOT_ENOUGH : param(within.getFirst())
                            + (within.size() > 1 ? "–" + param(within.getLast()) : "")
                            + " (" + within.size() + " of " + a.constants().size() + ")",
                    versusChosen(a, Analysis.SCHEDULES), versusChosen(a, Analysis.DATA_DRIVEN),
                    versusChosen(a, List.of("multdae")), versusChosen(a, List.of("ease")),
                    high.activeUnits().n() == 0 ? PENDING
                            : num(high.activeUnits().mean(), 1) + " at " + param(high.variant().param())));
            MarkdownTable.row(md, row);
        }
        md.append('\n');
    }

    /** The variant of these families chosen on validation against the chosen beta; "not run" if the study plans none. */
    private static String versusChosen(Analysis a, List<String> families) {
        if (a.summaries().stream().noneMatch(s -> families.contains(s.variant().family()))) {
            return NOT_RUN;
        }
        return versusChosen(a, Selection.selected(a.families(families)));
    }

    /** {@code x} − the chosen constant beta in a table cell: "id +0.0033 (0.052)" (seed-level Holm p), or why not. */
    private static String versusChosen(Analysis a, Summary x) {
        if (x == null || !x.done()) {
            return PENDING;
        }
        Paired p = a.paired(x.variant().id(), a.bestConstant().variant().id(), 0);
        if (p == null) {
            return NOT_ENOUGH;
        }
        return x.variant().id() + " " + String.format(Locale.ROOT, "%+.4f", p.diff()) + " ("
                + (p.seedTested() ? pValue(a.holmP(x.variant().id())) : NO_SEED_TEST) + ")";
    }
}
