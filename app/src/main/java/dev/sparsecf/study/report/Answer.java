package dev.sparsecf.study.report;

import static dev.sparsecf.study.report.ReportText.ALPHA;
import static dev.sparsecf.study.report.ReportText.EXPLORATORY;
import static dev.sparsecf.study.report.ReportText.diff;
import static dev.sparsecf.study.report.ReportText.pValue;
import static dev.sparsecf.study.report.ReportText.param;
import static dev.sparsecf.study.report.ReportText.seeds;

import dev.sparsecf.study.report.BetaStudyStats.Paired;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The short answer at the top of the README: at most ten sentences, each computed from the rows by the same
 * comparisons the tables show (so none can contradict a table) and ending with its evidence level in brackets.
 */
final class Answer {

    private Answer() {
    }

    /** The section "Answer", one bullet per sentence. */
    static void append(StringBuilder md, List<Analysis> analyses) {
        List<String> s = new ArrayList<>();
        s.add(chosen(analyses));
        s.add(sweepEnds(analyses));
        s.add(matched(analyses));
        s.add(against(analyses, "The KL-target controller against the chosen constant",
                a -> a.family("kltarget").stream().map(x -> x.variant().id()).toList()));
        s.add(against(analyses, "Annealed and cyclical beta against the chosen constant",
                a -> a.families(Analysis.SCHEDULES).stream().map(x -> x.variant().id()).toList()));
        s.add(against(analyses, "Mult-DAE (no KL term, no sampling) against the chosen constant",
                a -> a.family("multdae").stream().map(x -> x.variant().id()).toList()));
        s.add(against(analyses, "The closed forms (EASE, EDLAE, DLAE) against the chosen constant",
                a -> a.families(List.of("ease", "edlae", "dlae")).stream().map(x -> x.variant().id()).toList()));
        s.add(structural(analyses));
        s.add(convergence(analyses));
        md.append("## Answer\n\n");
        for (String sentence : s) {
            md.append("- ").append(sentence).append("\n");
        }
        md.append("\n");
    }

    /** The constant beta validation chooses per dataset. */
    private static String chosen(List<Analysis> analyses) {
        List<String> parts = new ArrayList<>();
        for (Analysis a : analyses) {
            Summary b = a.bestConstant();
            if (b != null) {
                List<Summary> sweep = a.sweep();
                long finished = sweep.stream().filter(Summary::done).count();
                parts.add(String.format(Locale.ROOT, "%s %s (test NDCG@100 %s, %s%s)", a.dataset().name(),
                        param(b.variant().param()), ReportText.estimate(b.ndcg(), 4), seeds(b.seeds()),
                        finished == sweep.size() ? "" : "; " + finished + " of " + sweep.size() + " constants finished"));
            }
        }
        if (parts.isEmpty()) {
            return "No constant-beta cell has finished in this directory, so no beta is chosen [no evidence].";
        }
        return "Validation chooses the constant beta " + String.join("; ", parts) + " [highest mean validation NDCG@100 of the"
                + " sweep's constants finished, per dataset; a sweep with constants still pending may choose differently].";
    }

    /**
     * The matched per-user grid, per dataset: at how many points with γ > 0 and with γ < 0 the per-user beta is
     * significantly better, and worse, than the global beta at its mean, and its best significant gain.
     */
    private static String matched(List<Analysis> analyses) {
        int tested = 0;
        int untested = 0;
        int significant = 0;
        List<String> parts = new ArrayList<>();
        List<String> datasets = new ArrayList<>();
        for (Analysis a : analyses) {
            int[] points = new int[2]; // index 0: γ > 0, 1: γ < 0
            int[] better = new int[2];
            int[] worse = new int[2];
            MatchedGrid.Point best = null;
            boolean any = false;
            for (MatchedGrid.Point p : MatchedGrid.points(a)) {
                if (p.paired() == null) {
                    continue;
                }
                any = true;
                if (!p.paired().seedTested()) {
                    untested++;
                    continue;
                }
                int side = p.exponent() > 0 ? 0 : 1;
                points[side]++;
                if (p.holm() < ALPHA) {
                    (p.paired().diff() > 0 ? better : worse)[side]++;
                    if (p.paired().diff() > 0 && (best == null || p.paired().diff() > best.paired().diff())) {
                        best = p;
                    }
                }
            }
            if (any) {
                datasets.add(a.dataset().name());
            }
            int n = points[0] + points[1];
            int k = better[0] + better[1] + worse[0] + worse[1];
            tested += n;
            significant += k;
            if (n > 0) {
                String gain = best == null ? "" : " (best " + best.id() + " " + diff(best.paired()) + ")";
                parts.add(k == 0 ? a.dataset().name() + " none of " + n : String.format(Locale.ROOT,
                        "%s per-user better at %d of the %d points with γ > 0 and %d of the %d with γ < 0, global better"
                                + " at %d and %d of them%s", a.dataset().name(), better[0], points[0], better[1],
                        points[1], worse[0], worse[1], gain));
            }
        }
        if (tested + untested == 0) {
            return "Per-user beta against the global beta at the same mean: no matched pair finished in this"
                    + " directory [no evidence].";
        }
        String head = String.format(Locale.ROOT, "Per-user beta (clicks^γ) against the global beta at the same mean: %d of %d"
                + " matched comparisons with a seed-level test differ significantly", significant, tested);
        return head + (parts.isEmpty() ? "" : ": " + String.join("; ", parts))
                + (untested == 0 ? "" : ", " + untested + " more on one seed are untested")
                + " [matched grid on " + String.join(", ", datasets) + "; seed-level t-test, Holm within each dataset's grid].";
    }

    /** One comparison of the Answer: variant {@code id} of {@code dataset} against its chosen constant. */
    private record Compared(String dataset, String id, Paired paired, double holm) {
    }

    /** The variants {@code ids} of each dataset against its chosen constant, with the paired table's Holm p. */
    private static String against(List<Analysis> analyses, String what, Function<Analysis, List<String>> ids) {
        List<Compared> rows = new ArrayList<>();
        for (Analysis a : analyses) {
            if (a.bestConstant() == null) {
                continue;
            }
            for (String id : ids.apply(a)) {
                Paired p = a.paired(id, a.bestConstant().variant().id(), 0);
                if (p != null) {
                    rows.add(new Compared(a.dataset().name(), id, p, a.holmP(id)));
                }
            }
        }
        return sentence(what, rows, "Holm over each dataset's paired table");
    }

    /**
     * The lowest and the highest beta of each dataset's sweep against the chosen constant (unless it is one of them):
     * how far beta moves the result. The paired table leaves the constants out, so these two are their own Holm family.
     */
    private static String sweepEnds(List<Analysis> analyses) {
        List<Compared> rows = new ArrayList<>();
        for (Analysis a : analyses) {
            List<Summary> sweep = a.sweep();
            if (a.bestConstant() == null || sweep.isEmpty()) {
                continue;
            }
            List<String> ids = Stream.of(sweep.getFirst(), sweep.getLast()).distinct()
                    .filter(s -> s != a.bestConstant()).map(s -> s.variant().id()).toList();
            List<Paired> family = ids.stream().map(id -> a.paired(id, a.bestConstant().variant().id(), 0)).toList();
            double[] holm = BetaStudyStats.holm(family);
            for (int i = 0; i < ids.size(); i++) {
                if (family.get(i) != null) {
                    rows.add(new Compared(a.dataset().name(), ids.get(i), family.get(i), holm[i]));
                }
            }
        }
        return sentence("The sweep's ends, beta 0 (no KL term) and its largest beta, against the chosen constant", rows,
                "Holm over each dataset's two ends");
    }

    /** "{@code what} on NDCG@100: ..." listing {@code rows}, with its evidence level in brackets. */
    private static String sentence(String what, List<Compared> rows, String family) {
        List<String> parts = new ArrayList<>();
        int tested = 0;
        int significant = 0;
        boolean oneSeed = false;
        for (Compared c : rows) {
            Paired p = c.paired();
            String seedPart;
            if (p.seedTested()) {
                tested++;
                significant += c.holm() < ALPHA ? 1 : 0;
                seedPart = "Holm p " + pValue(c.holm()) + ", " + seeds(p.seeds());
            } else {
                oneSeed = true;
                seedPart = "1 seed, per-user p " + pValue(p.userP());
            }
            parts.add(c.dataset() + " " + c.id() + " " + diff(p) + " (" + seedPart + ")");
        }
        if (parts.isEmpty()) {
            return what + ": no such cell finished in this directory [no evidence].";
        }
        String evidence = tested > 0
                ? String.format(Locale.ROOT, "%d of %d with a seed-level test significant; seed-level t-test, %s",
                significant, tested, family) : "no seed-level test";
        return what + " on NDCG@100: " + String.join("; ", parts) + " [" + evidence
                + (oneSeed ? "; one-seed rows are " + EXPLORATORY + ", per-user test only" : "") + "].";
    }

    /** EDLAE and DLAE against EASE: does the structural constraint or the dropout penalty matter? */
    private static String structural(List<Analysis> analyses) {
        List<String> parts = new ArrayList<>();
        for (Analysis a : analyses) {
            for (String id : List.of("edlae", "dlae")) {
                Paired p = a.paired(id, "ease", 0);
                if (p != null) {
                    parts.add(String.format(Locale.ROOT, "%s %s − ease %s (per-user p %s)", a.dataset().name(), id,
                            diff(p), pValue(p.userP())));
                }
            }
        }
        return parts.isEmpty() ? "EDLAE and DLAE against EASE: no such cell finished in this directory [no evidence]."
                : "EDLAE and DLAE against EASE on NDCG@100: " + String.join("; ", parts) + " [one deterministic fit per split,"
                + " per-user paired test, " + EXPLORATORY + "].";
    }

    /** How many Mult-VAE/DAE cells peaked late in their budget, as each dataset's budget line counts them. */
    private static String convergence(List<Analysis> analyses) {
        int late = 0;
        int cells = 0;
        List<String> budgets = new ArrayList<>();
        for (Analysis a : analyses) {
            Budget b = Budget.of(a.dataset());
            if (b != null && b.protocol() != null) {
                late += b.late();
                cells += b.cells();
                budgets.add(a.dataset().name() + " " + b.late() + " of " + b.cells() + " in the last " + b.lastEpochs()
                        + " of " + b.protocol().epochs() + " epochs (patience " + b.protocol().patience() + ")");
            }
        }
        if (cells == 0) {
            return "Convergence: no Mult-VAE/DAE cell finished in this directory [no evidence].";
        }
        return String.format(Locale.ROOT, "Convergence: %d of %d Mult-VAE/DAE cells had their best validation epoch late in"
                + " the budget, so they were probably still improving: %s [best_epoch column of the rows; descriptive].",
                late, cells, String.join("; ", budgets));
    }
}
