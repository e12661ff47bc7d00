package dev.sparsecf.study.report;

import dev.sparsecf.study.StudyCells.Cell;
import dev.sparsecf.study.StudyVariant;
import dev.sparsecf.study.report.BetaStudyData.Dataset;
import dev.sparsecf.study.report.BetaStudyData.Variant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.math3.stat.correlation.KendallsCorrelation;

/**
 * Cheaper training budgets replayed on the validation histories of a dataset's full-budget Mult-VAE/DAE cells: a cap
 * of E epochs, or a stop after P epochs without a better validation NDCG@100, and what each changes in what
 * validation chooses. Exact for the epochs a rule keeps, because the first E epochs of a run do not depend on its
 * length, except under the schedules whose beta follows the planned length (annealed to a fraction of it, cyclical),
 * which a cap leaves out.
 */
final class BudgetReplay {

    /** At most {@code maxEpochs} epochs (0: the dataset's whole budget); stop after {@code patience} (0: never). */
    record Rule(int maxEpochs, int patience) {

        /** "at most 100 epochs", "patience 20", "the full budget". */
        String label() {
            if (maxEpochs == 0 && patience == 0) {
                return "the full budget";
            }
            String cap = maxEpochs > 0 ? "at most " + maxEpochs + " epochs" : "";
            return patience == 0 ? cap : (cap.isEmpty() ? "" : cap + ", ") + "patience " + patience;
        }
    }

    /** The whole planned budget, no early stop: what the rows of protocol 2 ran unless a dataset set a patience. */
    static final Rule FULL = new Rule(0, 0);
    /** The rules the report replays. */
    static final List<Rule> RULES = List.of(new Rule(50, 0), new Rule(100, 0), new Rule(150, 0), new Rule(0, 10),
            new Rule(0, 20), new Rule(0, 50), new Rule(150, 50));

    /** Where a rule stops on one history: the epochs it runs and the epoch whose weights it keeps (0: none). */
    record Stop(int epochs, int chosen) {

        /** The validation NDCG@100 of the kept epoch in {@code history}, NaN when no epoch had a number. */
        double value(double[] history) {
            return chosen == 0 ? Double.NaN : history[chosen - 1];
        }
    }

    /**
     * One rule on one dataset: the cells replayed, the fraction of their epochs it saves, the validation NDCG@100 it
     * loses per cell against the full budget's best epoch (mean, max), the constant beta validation chooses with the
     * full budget and with the rule, and Kendall's tau-b between the variants' orders by mean validation NDCG@100.
     */
    record Outcome(String dataset, Rule rule, int cells, long epochs, long fullEpochs, double meanLoss,
                   double maxLoss, double fullBeta, double beta, double tau, int variants) {

        /** The fraction of the full budget's epochs the rule does not run. */
        double saved() {
            return 1 - (double) epochs / fullEpochs;
        }

        /** Whether validation chooses the same constant beta under the rule. */
        boolean sameBeta() {
            return Double.compare(fullBeta, beta) == 0;
        }
    }

    private BudgetReplay() {
    }

    /**
     * What {@code rule} does on {@code history} (validation NDCG@100 after each epoch of a full run), decided as
     * {@code VaeTrainer} does: a strictly better value becomes the kept epoch, and the run ends at the cap, at the
     * history's end, or once {@code patience} epochs have passed since the kept one.
     */
    static Stop replay(double[] history, Rule rule) {
        int last = rule.maxEpochs() > 0 ? Math.min(rule.maxEpochs(), history.length) : history.length;
        int chosen = 0;
        double best = Double.NEGATIVE_INFINITY;
        for (int epoch = 1; epoch <= last; epoch++) {
            if (history[epoch - 1] > best) {
                best = history[epoch - 1];
                chosen = epoch;
            }
            if (rule.patience() > 0 && epoch - chosen >= rule.patience()) {
                return new Stop(epoch, chosen);
            }
        }
        return new Stop(last, chosen);
    }

    /** Kendall's tau-b of two paired samples (commons-math); NaN with fewer than two pairs or no order in one. */
    static double kendallTau(double[] x, double[] y) {
        return x.length < 2 ? Double.NaN : new KendallsCorrelation().correlation(x, y);
    }

    /**
     * Why {@code d}'s rows cannot be replayed at all, or null when they can: they need a {@code protocol.json} and a
     * complete history of some cell (one that ran the whole budget or stopped by the dataset's own patience).
     */
    static String notReplayable(Dataset d) {
        if (d.protocol() == null) {
            return "no `protocol.json`";
        }
        return cells(d, own(d)).isEmpty() ? "no cell with a complete history yet" : null;
    }

    /** The rule {@code d}'s rows ran: the whole budget, or a stop after the protocol's patience. */
    static Rule own(Dataset d) {
        return new Rule(0, d.protocol().patience());
    }

    /**
     * Whether {@code rule} can be replayed exactly on {@code d}'s histories and differs from the rows' own rule: a cap
     * below the budget, and, where the rows stopped early after P epochs, a patience of at most P (a history ends
     * where P stopped it, and a rule that waits less stops no later).
     */
    static boolean replays(Dataset d, Rule rule) {
        int p = d.protocol().patience();
        return rule.maxEpochs() < d.protocol().epochs() && !rule.equals(own(d))
                && (p == 0 || (rule.patience() > 0 && rule.patience() <= p));
    }

    /**
     * {@code rule} on {@code d}'s cells, against the rule the rows ran ({@link #own}); null when {@code d} cannot be
     * replayed or {@link #replays} says no ({@code own(d)} itself gives the rows as they ran).
     */
    static Outcome of(Dataset d, Rule rule) {
        if (notReplayable(d) != null) {
            return null;
        }
        Rule own = own(d);
        if (!rule.equals(own) && !replays(d, rule)) {
            return null;
        }
        List<Cell> cells = cells(d, rule);
        long epochs = 0;
        long full = 0;
        double lossSum = 0;
        double lossMax = 0;
        Map<String, double[]> means = new LinkedHashMap<>(); // variant -> {sum full, sum rule, seeds}
        for (Cell c : cells) {
            double[] h = d.history(c.variant(), c.seed());
            Stop s = replay(h, rule);
            Stop ran = replay(h, own);
            double best = ran.value(h);
            double kept = s.value(h);
            epochs += s.epochs();
            full += ran.epochs(); // below the history's length only where a run continued under a later patience
            lossSum += best - kept;
            lossMax = Math.max(lossMax, best - kept);
            double[] m = means.computeIfAbsent(c.variant(), v -> new double[3]);
            m[0] += best;
            m[1] += kept;
            m[2]++;
        }
        List<Variant> order = BetaStudyData.order(cells.stream()
                .map(c -> new Variant(c.variant(), c.family(), BetaStudyData.nanIfNull(c.param()))).distinct().toList());
        double[] fullMeans = new double[order.size()];
        double[] ruleMeans = new double[order.size()];
        for (int i = 0; i < order.size(); i++) {
            double[] m = means.get(order.get(i).id());
            fullMeans[i] = m[0] / m[2];
            ruleMeans[i] = m[1] / m[2];
        }
        return new Outcome(d.name(), rule, cells.size(), epochs, full, lossSum / cells.size(), lossMax,
                chosenBeta(d, order, fullMeans), chosenBeta(d, order, ruleMeans), kendallTau(fullMeans, ruleMeans),
                order.size());
    }

    /**
     * The beta of the constant variant of {@code d} that validation chooses among ({@link Selection#choosable}) with
     * the highest mean validation NDCG@100 in {@code means} (the first of equals in {@code order}, as
     * {@link Selection} picks), or NaN without one.
     */
    static double chosenBeta(Dataset d, List<Variant> order, double[] means) {
        double beta = Double.NaN;
        double best = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < order.size(); i++) {
            if (Selection.choosable(d, order.get(i)) && means[i] > best) {
                best = means[i];
                beta = order.get(i).param();
            }
        }
        return beta;
    }

    /**
     * The Mult-VAE/DAE cells of {@code d} whose history is complete under the rows' own rule (the whole budget, or
     * until its patience stopped the run), minus those whose schedule follows the planned length when {@code rule}
     * caps it.
     */
    private static List<Cell> cells(Dataset d, Rule rule) {
        Rule own = own(d);
        List<Cell> out = new ArrayList<>();
        for (Cell c : d.cells()) {
            double[] h = d.history(c.variant(), c.seed());
            if (h != null && c.epochs() == h.length && complete(h, own, d.protocol().epochs())
                    && (rule.maxEpochs() == 0 || !followsLength(c.family()))) {
                out.add(c);
            }
        }
        return out;
    }

    /** Whether {@code history} ran the whole {@code budget} or until {@code own}'s patience stopped it. */
    private static boolean complete(double[] history, Rule own, int budget) {
        Stop s = replay(history, own);
        return history.length == budget || (own.patience() > 0 && s.epochs() - s.chosen() >= own.patience());
    }

    /** Whether the beta of {@code family} depends on the planned number of epochs (so a cap changes its training). */
    static boolean followsLength(String family) {
        return family.equals(StudyVariant.Family.ANNEAL.label) || family.equals(StudyVariant.Family.CYCLICAL.label);
    }

    /** {@code v} as a percentage with no decimals, "62%". */
    static String percent(double v) {
        return String.format(Locale.ROOT, "%.0f%%", 100 * v);
    }
}
