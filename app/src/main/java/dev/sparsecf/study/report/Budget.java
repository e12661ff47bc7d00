package dev.sparsecf.study.report;

import dev.sparsecf.study.StudyProtocol;
import static dev.sparsecf.study.report.ReportText.num;

import dev.sparsecf.study.StudyCells.Cell;
import dev.sparsecf.study.report.BetaStudyData.Dataset;
import java.util.Arrays;
import java.util.Locale;

/**
 * How the training budget ({@code protocol}: null when unknown) compares with where the trained (Mult-VAE/DAE)
 * cells found their best epoch: {@code late} of them had it in the budget's last {@code lastEpochs} epochs.
 */
record Budget(BetaStudyData.Protocol protocol, int cells, double medianBest, int minBest, int maxBest, int late,
              int lastEpochs) {

    /** The budget of {@code d}'s trained cells, or null when none has finished. */
    static Budget of(Dataset d) {
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

    /** The dataset section's budget line. */
    String sentence() {
        String best = String.format(Locale.ROOT, "best epochs: median %s (range %d–%d)", num(medianBest, 1),
                minBest, maxBest);
        if (protocol == null) {
            return "Budget: unknown (no `" + StudyProtocol.FILE + "`); " + best + ".";
        }
        return String.format(Locale.ROOT, "Budget: at most %d epochs per Mult-VAE/DAE cell, %s (`%s`); %s. %d of "
                        + "%d cells had their best epoch in the budget's last %d epochs, so they were probably still "
                        + "improving when it ran out.", protocol.epochs(), protocol.patience() == 0 ? "the best kept, "
                        + "no early stop" : "stopping after " + protocol.patience() + " epochs without a better "
                        + "validation NDCG@100", StudyProtocol.FILE, best, late, cells, lastEpochs);
    }

    /** The overview's cell: "200: 3 of 94 late", "200, patience 20: 0 of 40 late". */
    String brief() {
        return protocol == null ? "unknown" : protocol.epochs() + (protocol.patience() > 0 ? ", patience "
                + protocol.patience() : "") + ": " + late + " of " + cells + " late";
    }
}
