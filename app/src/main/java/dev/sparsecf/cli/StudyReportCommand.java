package dev.sparsecf.cli;

import dev.sparsecf.study.report.BetaStudyReport;
import dev.sparsecf.study.report.StudyComparison;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code sparsecf study report}: regenerates every table and plot of a beta study from its raw rows. */
@Command(name = "report",
        description = {"Render the beta study's README.md (tables, findings) and per-dataset SVG plots "
                + "from the raw rows (<dataset>/cells.csv, <dataset>/users/*.csv); unfinished cells show as pending.",
                "A hand-written DIR/discussion.md is appended under Discussion."})
public final class StudyReportCommand implements Callable<Integer> {

    /** The study directory under the repository root (or the working directory). */
    static final String DEFAULT_DIR = "results/beta-study";

    @Spec
    CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR",
            description = "Study directory, one subdirectory per dataset (default: " + DEFAULT_DIR
                    + " in the repository).")
    Path dir;

    @Option(names = "--baseline", paramLabel = "DIR",
            description = "Also compare with this study directory, run on the same seeds (e.g. the same grid with "
                    + "another training budget): a section per shared dataset with each variant's paired NDCG@100 "
                    + "change, and a plot " + StudyComparison.PLOT + ".")
    Path baseline;

    @Override
    public Integer call() throws IOException {
        Path d = dir != null ? dir : StudyCommand.defaultDir();
        if (!Files.isDirectory(d)) {
            throw new ParameterException(spec.commandLine(), "--dir: " + d + " is not a directory");
        }
        if (baseline != null && !Files.isDirectory(baseline)) {
            throw new ParameterException(spec.commandLine(), "--baseline: " + baseline + " is not a directory");
        }
        if (baseline != null && baseline.toAbsolutePath().normalize().equals(d.toAbsolutePath().normalize())) {
            throw new ParameterException(spec.commandLine(), "--baseline: " + baseline + " is the study directory itself");
        }
        List<Path> written = BetaStudyReport.write(d, baseline);
        spec.commandLine().getOut().printf("wrote %s and %d plot%s%n", written.getFirst(), written.size() - 1,
                written.size() == 2 ? "" : "s");
        return 0;
    }
}
