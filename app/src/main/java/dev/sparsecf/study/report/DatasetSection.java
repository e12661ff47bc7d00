package dev.sparsecf.study.report;

import static dev.sparsecf.study.report.ReportText.PENDING;

import dev.sparsecf.study.report.BetaStudyData.Study;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** One dataset's README section: progress, time and budget lines, findings, tables and plot links. */
final class DatasetSection {

    private DatasetSection() {
    }

    /** Appends the section of {@code a}, out of the seeds {@code study} plans. */
    static void append(StringBuilder md, Analysis a, Study study) {
        String name = a.dataset().name();
        long done = a.cellsDone();
        long planned = a.cellsPlanned(study);
        md.append("## ").append(name).append("\n\n");
        md.append(String.format(Locale.ROOT, "%d of %d cells finished (%d variants x %d seeds%s)", done, planned,
                a.summaries().size(), study.seeds().size(), planned < (long) a.summaries().size() * study.seeds().size()
                        ? ", the closed forms on one" : ""));
        md.append(done < planned ? "; the rest are " + PENDING + ".\n\n" : ".\n\n");
        md.append(Timing.of(a, study).sentence()).append("\n\n");
        Budget b = Budget.of(a.dataset());
        if (b != null) {
            md.append(b.sentence()).append("\n\n");
        }
        md.append("### Findings\n\n");
        Findings.append(md, a);
        md.append("\n### All variants\n\n");
        DatasetTables.variants(md, a, study);
        md.append("\n### Constant beta: optimum, flatness, latent units\n\n");
        DatasetTables.constants(md, a);
        md.append("\n### Paired comparisons with the best constant beta\n\n");
        DatasetTables.paired(md, a);
        md.append("\n### Matched per-user grid: per-user against global beta at the same mean\n\n");
        MatchedGrid.append(md, a);
        md.append("\n### Users by activity quintile\n\n");
        DatasetTables.quintiles(md, a);
        md.append("\n### Plots\n\n");
        List<String> shown = StudyPlots.of(a).entrySet().stream().filter(e -> e.getValue() != null).map(Map.Entry::getKey)
                .toList();
        if (shown.isEmpty()) {
            md.append("No plot yet: every cell is ").append(PENDING).append(".\n\n");
        }
        for (String plot : shown) {
            md.append(ReportText.imageLink(plot, name)).append("\n\n");
        }
    }
}
