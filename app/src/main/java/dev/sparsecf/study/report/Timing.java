package dev.sparsecf.study.report;

import dev.sparsecf.render.Progress;
import dev.sparsecf.study.StudyCells;
import dev.sparsecf.study.StudyCells.Cell;
import dev.sparsecf.study.StudyVariant;
import dev.sparsecf.study.report.BetaStudyData.Study;
import java.util.List;
import java.util.Locale;

/**
 * Training time of a dataset's finished cells and the estimate for its pending ones ({@code untimed}: pending
 * cells of a cost no finished cell of the dataset has measured yet).
 */
record Timing(int finished, double finishedSeconds, int pending, double pendingSeconds, int untimed) {

    /** Nothing finished, nothing pending: the start of a sum. */
    static final Timing NONE = new Timing(0, 0, 0, 0, 0);

    /** The timing of {@code a}'s dataset, its pending cells being the seeds of {@code study} not done yet. */
    static Timing of(Analysis a, Study study) {
        List<Cell> cells = a.dataset().cells();
        int pending = 0;
        int untimed = 0;
        double pendingSeconds = 0;
        for (Summary s : a.summaries()) {
            int todo = a.plannedSeeds(s, study) - s.seeds();
            if (todo <= 0) {
                continue;
            }
            double each = StudyCells.expectedSeconds(cells, StudyVariant.Family.byLabel(s.variant().family()));
            pending += todo;
            if (Double.isNaN(each)) {
                untimed += todo;
            } else {
                pendingSeconds += todo * each;
            }
        }
        return new Timing(cells.size(), cells.stream().mapToDouble(Cell::trainSeconds).sum(), pending, pendingSeconds,
                untimed);
    }

    /** The sum of this and {@code o}. */
    Timing plus(Timing o) {
        return new Timing(finished + o.finished, finishedSeconds + o.finishedSeconds, pending + o.pending,
                pendingSeconds + o.pendingSeconds, untimed + o.untimed);
    }

    /** The report's time line: what the finished cells took and what the pending ones need. */
    String sentence() {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%s took %s of training",
                ReportText.count(finished, "finished cell"), Progress.duration(finishedSeconds)));
        if (pending == 0) {
            return b.append("; none is pending.").toString();
        }
        if (untimed == pending) {
            return b.append(String.format(Locale.ROOT, "; the %s %s of a cost not measured here yet.",
                    ReportText.count(pending, "pending cell"), pending == 1 ? "is" : "are")).toString();
        }
        b.append(String.format(Locale.ROOT, "; the %s %s about %s more", ReportText.count(pending, "pending cell"),
                pending == 1 ? "needs" : "need", Progress.duration(pendingSeconds)));
        if (untimed > 0) {
            b.append(String.format(Locale.ROOT, ", plus %d of a cost not measured here yet", untimed));
        }
        return b.append('.').toString();
    }
}
