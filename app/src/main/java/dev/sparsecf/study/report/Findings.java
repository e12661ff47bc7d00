package dev.sparsecf.study.report;

import dev.sparsecf.study.StudyProtocol;
import static dev.sparsecf.study.report.ReportText.EXPLORATORY;
import static dev.sparsecf.study.report.ReportText.NOT_ENOUGH;
import static dev.sparsecf.study.report.ReportText.diff;
import static dev.sparsecf.study.report.ReportText.estimate;
import static dev.sparsecf.study.report.ReportText.num;
import static dev.sparsecf.study.report.ReportText.pValue;
import static dev.sparsecf.study.report.ReportText.param;
import static dev.sparsecf.study.report.ReportText.perUser;
import static dev.sparsecf.study.report.ReportText.seedP;
import static dev.sparsecf.study.report.ReportText.seeds;
import static dev.sparsecf.study.report.ReportText.verdict;

import dev.sparsecf.study.StudyCells.Cell;
import dev.sparsecf.study.report.BetaStudyData.Dataset;
import dev.sparsecf.study.report.BetaStudyStats.Paired;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.DoubleSummaryStatistics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The "Findings" list of a dataset section: the chosen beta, its flatness, and each question's answer in words. */
final class Findings {

    private Findings() {
    }

    /** Appends the findings of {@code a} as a Markdown list. */
    static void append(StringBuilder md, Analysis a) {
        Summary best = a.bestConstant();
        if (best == null) {
            md.append("- Best constant beta: ").append(NOT_ENOUGH).append(" (no constant-beta cell finished). "
                    + "The comparisons with it are not possible yet.\n");
        } else {
            md.append("- Best constant beta, chosen on ").append(Selection.onValidation(best) ? "validation"
                    : "test (no validation history)").append(" NDCG@100: **").append(param(best.variant().param()))
                    .append("** (test NDCG@100 ").append(estimate(best.ndcg(), 4)).append(", ")
                    .append(seeds(best.seeds()));
            Summary onTest = Selection.best(a.constants(), Summary::ndcg);
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
        Summary schedule = Selection.selected(a.families(Analysis.SCHEDULES));
        md.append("- Annealing vs a constant beta: ").append(schedule == null
                ? NOT_ENOUGH + " (no annealed or cyclical cell finished)"
                : "best schedule on " + (Selection.onValidation(schedule) ? "validation" : "test") + " "
                        + comparison(a, schedule, best)).append(".\n");
        List<Summary> dataDriven = a.families(Analysis.DATA_DRIVEN);
        if (dataDriven.isEmpty()) {
            md.append("- Per-user and KL-target beta vs the best global beta: ").append(NOT_ENOUGH)
                    .append(" (no such cell finished).\n");
        }
        for (Summary s : dataDriven) {
            md.append("- ").append(s.variant().family().startsWith("peruser") ? "Per-user beta: " : "KL-target beta: ")
                    .append(comparison(a, s, best)).append(".\n");
        }
        ease(md, a, best);
        dropoutForms(md, a);
        quintiles(md, a);
        List<Summary> units = a.constants().stream().filter(s -> s.activeUnits().n() > 0).toList();
        md.append("- Latent dimensions kept alive (active units, mean over seeds): ").append(units.isEmpty()
                ? NOT_ENOUGH + " (no constant-beta cell finished)"
                : units.stream().map(s -> "beta " + param(s.variant().param()) + ": "
                        + num(s.activeUnits().mean(), 1)).collect(Collectors.joining(", "))).append(".\n");
    }

    private static void ease(StringBuilder md, Analysis a, Summary best) {
        Summary ease = a.summary("ease");
        if (ease == null || !ease.done()) {
            md.append("- EASE: ").append(NOT_ENOUGH).append(" (no EASE cell finished).\n");
            return;
        }
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

    /**
     * EDLAE and DLAE (when finished): NDCG@100, the dropout odds and L2 weight chosen, and the comparison with EASE,
     * whose penalty they extend: the only difference between EDLAE and DLAE is EDLAE's zero diagonal.
     */
    private static void dropoutForms(StringBuilder md, Analysis a) {
        Summary ease = a.summary("ease");
        for (String id : List.of("edlae", "dlae")) {
            Summary s = a.summary(id);
            if (s == null || !s.done()) {
                continue;
            }
            Cell c = a.dataset().cells(id).getFirst();
            md.append("- ").append(id.toUpperCase(Locale.ROOT)).append(": NDCG@100 ").append(estimate(s.ndcg(), 4))
                    .append(" with dropout odds ").append(c.lambda() == null ? "not recorded" : param(c.lambda()))
                    .append(" and L2 ").append(c.l2() == null ? "0 (dropout alone)" : param(c.l2())).append(" chosen on validation; ")
                    .append(ease != null && ease.done() ? comparison(a, s, ease) : "no EASE cell to compare with")
                    .append(".\n");
        }
    }

    /** Which activity quintiles gain from the best low beta and which from the highest beta. */
    private static void quintiles(StringBuilder md, Analysis a) {
        Summary low = a.bestLow();
        Summary high = a.highest();
        if (low == null || high == null || low == high) {
            md.append("- Which users gain from a lower or higher beta: ").append(NOT_ENOUGH)
                    .append(" (needs a constant beta in (0, ").append(param(Analysis.LOW_BETA))
                    .append("] and a higher one).\n");
            return;
        }
        Map<String, List<Integer>> verdicts = new LinkedHashMap<>();
        List<Paired> byQuintile = a.pairedByQuintile(low.variant().id(), high.variant().id());
        double[] holm = BetaStudyStats.holm(byQuintile);
        for (int q = 1; q <= BetaStudyStats.QUINTILES; q++) {
            Paired p = byQuintile.get(q - 1);
            String v = p == null ? NOT_ENOUGH : verdict(p, holm[q - 1], "beta " + param(low.variant().param()),
                    "beta " + param(high.variant().param()));
            verdicts.computeIfAbsent(v, k -> new ArrayList<>()).add(q);
        }
        md.append("- Which users gain from a lower or higher beta (").append(low.variant().id()).append(" vs ")
                .append(high.variant().id()).append(" by activity quintile, 1 = least active; seed-level tests, "
                        + "Holm over the 5 quintiles): ")
                .append(verdicts.entrySet().stream().map(e -> e.getKey() + " in quintile"
                        + (e.getValue().size() > 1 ? "s " : " ") + e.getValue().stream().map(String::valueOf)
                        .collect(Collectors.joining(", "))).collect(Collectors.joining("; "))).append(".\n");
    }

    /**
     * "A vs B: diff ± SE over seeds (seed-level p, df, Holm or exploratory; per-user SE and p; seeds, users):
     * verdict", or why it cannot be said; Holm applies against the chosen constant beta, the rest is exploratory.
     */
    private static String comparison(Analysis a, Summary x, Summary y) {
        String head = x.variant().id() + " vs " + (y == null ? "the best constant beta" : y.variant().id()) + ": ";
        if (y == null) {
            return head + NOT_ENOUGH + " (no constant-beta cell finished)";
        }
        Paired p = a.paired(x.variant().id(), y.variant().id(), 0);
        if (p == null) {
            return head + NOT_ENOUGH + " (no seed with per-user rows of both)";
        }
        boolean family = y == a.bestConstant();
        double adjusted = family ? a.holmP(x.variant().id()) : p.seedP();
        String seedLevel = !p.seedTested() ? "no seed-level test"
                : "seed-level p " + seedP(p) + ", " + (family ? "Holm " + pValue(adjusted) : EXPLORATORY);
        String verdict = verdict(p, adjusted, x.variant().id(), y.variant().id());
        return head + String.format(Locale.ROOT, "NDCG@100 %s (%s; %s; %s, %,d paired users): %s", diff(p),
                seedLevel, perUser(p), seeds(p.seeds()), p.users(),
                family || !p.seedTested() ? verdict : verdict + ", " + EXPLORATORY);
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
                                + (steps == 1 ? " step" : " steps") + " past them").append(" in `").append(StudyProtocol.FILE)
                        .append("`), so EASE may do better with a ").append(low ? "smaller" : "larger").append(" one");
            }
        }
        return sb.toString();
    }
}
