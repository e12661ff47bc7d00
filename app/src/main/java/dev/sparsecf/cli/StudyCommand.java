package dev.sparsecf.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code sparsecf study}: the studies of model settings ({@code report} renders their tables and plots). */
@Command(name = "study",
        description = "Run and report studies",
        subcommands = {BetaStudyCommand.class, StudyReportCommand.class},
        synopsisSubcommandLabel = "COMMAND")
public final class StudyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** The repository the launcher runs from ({@value BenchCommand#HOME_ENV}), else the working directory. */
    static Path repositoryRoot() {
        return Path.of(System.getenv().getOrDefault(BenchCommand.HOME_ENV, "."));
    }

    /** Where {@code study beta} writes and {@code study report} reads by default: {@code results/beta-study}. */
    static Path defaultDir() {
        return repositoryRoot().resolve(StudyReportCommand.DEFAULT_DIR);
    }

    @Override
    public Integer call() {
        throw Main.missingCommand(spec);
    }
}
