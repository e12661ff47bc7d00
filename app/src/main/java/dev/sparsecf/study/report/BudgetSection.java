package dev.sparsecf.study.report;

import static dev.sparsecf.study.report.ReportText.num;
import static dev.sparsecf.study.report.ReportText.param;

import dev.sparsecf.render.MarkdownTable;
import dev.sparsecf.study.report.BetaStudyData.Dataset;
import dev.sparsecf.study.report.BudgetReplay.Outcome;
import dev.sparsecf.study.report.BudgetReplay.Rule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The README's "Cheaper training budgets" section: {@link BudgetReplay}'s rules on every dataset, and the verdict. */
final class BudgetSection {

    private BudgetSection() {
    }

    /** Appends the section for the datasets of {@code analyses}; nothing when none has a finished cell. */
    static void append(StringBuilder md, List<Analysis> analyses) {
        List<Dataset> datasets = analyses.stream().map(Analysis::dataset).filter(d -> !d.cells().isEmpty()).toList();
        if (datasets.isEmpty()) {
            return;
        }
        // rows that stopped early get a line of their own: only the rules that stop no later replay on them
        List<Dataset> replayed = datasets.stream()
                .filter(d -> BudgetReplay.notReplayable(d) == null && d.protocol().patience() == 0).toList();
        List<Integer> budgets = replayed.stream().map(d -> d.protocol().epochs()).distinct().sorted().toList();
        md.append("## Cheaper training budgets, checked against the ")
                .append(budgets.size() == 1 ? budgets.getFirst() + "-epoch" : "full-budget").append(" rows\n\n");
        md.append("Each rule is replayed on the validation NDCG@100 history of every finished Mult-VAE/DAE cell: a cap "
                + "keeps the best of the first E epochs; patience P stops once P epochs have passed without a better "
                + "value and keeps the best so far (as `study beta --patience` does). Epochs saved: the fraction of "
                + "the cells' epochs the rule does not run. Lost: the full budget's best validation NDCG@100 minus the "
                + "rule's, per cell. Beta: the constant with the highest mean validation NDCG@100 over seeds at the "
                + "rule's kept epochs (the full budget's choice in brackets where it differs). Tau: Kendall's tau-b "
                + "between the variants' orders by mean validation NDCG@100 under the rule and under the full "
                + "budget. The limit: test NDCG@100 was measured only at the full budget's best epoch, so this checks "
                + "validation, which is what selects the epoch and the beta: whether a cheaper rule would have made "
                + "the same choices on these runs, not what test NDCG@100 it would reach. A cap leaves out the "
                + "annealed and cyclical schedules, whose beta follows the planned length.\n\n");
        boolean listed = false;
        for (Dataset d : datasets) {
            String why = BudgetReplay.notReplayable(d);
            if (why != null || d.protocol().patience() > 0) {
                md.append("- ").append(why != null ? d.name() + ": not replayed, " + why + "." : stopped(d)).append('\n');
                listed = true;
            }
        }
        if (listed) {
            md.append('\n');
        }
        if (replayed.isEmpty()) {
            return;
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (Rule rule : BudgetReplay.RULES) {
            for (Dataset d : replayed) {
                Outcome o = BudgetReplay.of(d, rule);
                if (o != null) {
                    outcomes.add(o);
                }
            }
        }
        md.append(verdict(outcomes, replayed)).append("\n\n");
        md.append("Per dataset: epochs saved, validation NDCG@100 lost per cell (mean, max), the constant beta chosen "
                + "(the full budget's in brackets where it differs) and tau; ")
                .append(replayed.stream().map(d -> {
                    Outcome full = BudgetReplay.of(d, BudgetReplay.own(d));
                    return d.name() + ": " + full.cells() + " cells of " + full.variants() + " variants";
                }).collect(Collectors.joining(", "))).append(".\n\n");
        List<String> columns = new ArrayList<>(List.of("rule", "epochs saved", "same beta"));
        replayed.forEach(d -> columns.add(d.name()));
        MarkdownTable.header(md, "lrr" + "l".repeat(replayed.size()), columns);
        for (List<Outcome> group : byRule(outcomes)) {
            List<String> row = new ArrayList<>(List.of(group.getFirst().rule().label(),
                    BudgetReplay.percent(pooledSaved(group)),
                    group.stream().filter(Outcome::sameBeta).count() + " of " + replayed.size()));
            for (Dataset d : replayed) {
                Outcome o = group.stream().filter(x -> x.dataset().equals(d.name())).findFirst().orElse(null);
                row.add(o == null ? "not below the budget" : outcome(o));
            }
            MarkdownTable.row(md, row);
        }
        md.append('\n');
    }

    /** One rule on one dataset: "38%, lost 0.0037 (max 0.0128), beta **0.3** (0.5), tau 0.83". */
    private static String outcome(Outcome o) {
        return String.format(Locale.ROOT, "%s, lost %s (max %s), beta %s, tau %s", BudgetReplay.percent(o.saved()),
                num(o.meanLoss(), 4), num(o.maxLoss(), 4), o.sameBeta() ? param(o.beta())
                        : "**" + param(o.beta()) + "** (" + param(o.fullBeta()) + ")", tau(o.tau()));
    }

    /**
     * The line for {@code d}, whose rows stopped early: the rules that stop no later, each against the rule the rows
     * ran (a cheaper budget for that dataset is a question of its own, so it stays out of the table and the verdict).
     */
    static String stopped(Dataset d) {
        String head = d.name() + ": its cells stopped early (patience " + d.protocol().patience() + ")";
        List<String> parts = new ArrayList<>();
        for (Rule rule : BudgetReplay.RULES) {
            if (BudgetReplay.replays(d, rule)) {
                parts.add(rule.label() + ": " + outcome(BudgetReplay.of(d, rule)));
            }
        }
        if (parts.isEmpty()) {
            return head + ", and no rule here stops earlier: not replayed.";
        }
        Outcome own = BudgetReplay.of(d, BudgetReplay.own(d));
        return head + ", so only the rules that stop no later are replayed, each against that rule in place of the "
                + "full budget (" + ReportText.count(own.cells(), "cell") + " of "
                + ReportText.count(own.variants(), "variant") + "): " + String.join("; ", parts) + ".";
    }

    /** {@code outcomes} grouped by rule, in the order of {@link BudgetReplay#RULES}. */
    private static List<List<Outcome>> byRule(List<Outcome> outcomes) {
        return BudgetReplay.RULES.stream().map(r -> outcomes.stream().filter(o -> o.rule().equals(r)).toList())
                .filter(g -> !g.isEmpty()).toList();
    }

    /**
     * The generated verdict: the rule saving the most epochs (pooled over datasets) among those that choose the full
     * budget's constant beta on every dataset replayed (or, when none does, on the most), and the one saving the
     * most among those that keep the whole order of the variants (tau 1) on every dataset.
     */
    static String verdict(List<Outcome> outcomes, List<Dataset> replayed) {
        List<List<Outcome>> byRule = byRule(outcomes);
        if (byRule.isEmpty()) {
            return "No rule is cheaper than the budget these rows ran.";
        }
        int n = replayed.size();
        List<Outcome> pick = byRule.stream().max(Comparator.comparingLong((List<Outcome> g) -> g.stream()
                .filter(Outcome::sameBeta).count()).thenComparingDouble(BudgetSection::pooledSaved)).orElseThrow();
        long same = pick.stream().filter(Outcome::sameBeta).count();
        StringBuilder v = new StringBuilder("**Verdict**: ");
        v.append(same == n ? String.format(Locale.ROOT, "the cheapest rule that chooses the full budget's constant "
                + "beta on all %d datasets replayed is *%s*: it saves", n, pick.getFirst().rule().label())
                : String.format(Locale.ROOT, "no rule chooses the full budget's constant beta on all %d datasets "
                + "replayed; *%s* does so on %d, and saves", n, pick.getFirst().rule().label(), same));
        v.append(String.format(Locale.ROOT, " %s of the replayed epochs (beta %s); validation NDCG@100 lost per cell: "
                        + "mean %s, max %s; Kendall's tau of the variants' order %s.",
                BudgetReplay.percent(pooledSaved(pick)), pick.stream().map(o -> o.dataset() + " " + param(o.beta())
                        + (o.sameBeta() ? "" : " instead of " + param(o.fullBeta()))).collect(Collectors.joining(", ")),
                num(pick.stream().mapToDouble(o -> o.meanLoss() * o.cells()).sum()
                        / pick.stream().mapToInt(Outcome::cells).sum(), 4),
                num(pick.stream().mapToDouble(Outcome::maxLoss).max().orElse(Double.NaN), 4),
                range(pick.stream().mapToDouble(Outcome::tau).toArray())));
        List<Outcome> order = byRule.stream()
                .filter(g -> g.size() == n && g.stream().allMatch(o -> o.variants() < 2 || o.tau() == 1))
                .max(Comparator.comparingDouble(BudgetSection::pooledSaved)).orElse(null);
        v.append(order == null ? " No rule keeps the order of the variants on every dataset."
                : String.format(Locale.ROOT, " The cheapest that also keeps the order of every variant on every "
                        + "dataset (tau 1): *%s*, saving %s.", order.getFirst().rule().label(),
                BudgetReplay.percent(pooledSaved(order))));
        int cells = replayed.stream().mapToInt(d -> BudgetReplay.of(d, BudgetReplay.own(d)).cells()).sum();
        int maxSeeds = replayed.stream().flatMap(d -> d.variants().stream().map(x -> d.cells(x.id()).size()))
                .mapToInt(Integer::intValue).max().orElse(0);
        return v.append(String.format(Locale.ROOT, " [replay of the validation histories of %d cells on %s, up to %s "
                        + "per variant; validation only; descriptive, no test]", cells,
                replayed.stream().map(Dataset::name).collect(Collectors.joining(", ")), ReportText.seeds(maxSeeds)))
                .toString();
    }

    /** The fraction of epochs saved over all datasets of {@code group}, each epoch counted once. */
    private static double pooledSaved(List<Outcome> group) {
        return 1 - (double) group.stream().mapToLong(Outcome::epochs).sum()
                / group.stream().mapToLong(Outcome::fullEpochs).sum();
    }

    /** "0.93" or "0.88–0.97" to two decimals, of the taus that exist; "n/a" when none does. */
    private static String range(double[] v) {
        double lo = Arrays.stream(v).filter(t -> !Double.isNaN(t)).min().orElse(Double.NaN);
        double hi = Arrays.stream(v).filter(t -> !Double.isNaN(t)).max().orElse(Double.NaN);
        return tau(lo).equals(tau(hi)) ? tau(lo) : tau(lo) + "–" + tau(hi);
    }

    /** Kendall's tau to two decimals; "n/a" without one (fewer than two variants, or no order). */
    private static String tau(double t) {
        return Double.isNaN(t) ? ReportText.NOT_APPLICABLE : num(t, 2);
    }
}
