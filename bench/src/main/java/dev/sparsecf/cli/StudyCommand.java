package dev.sparsecf.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code sparsecf study}: the studies of model settings ({@code report} renders their tables and plots). */
@Command(name = "study",
        description = "Run and report studies",
        subcommands = {BetaStudyCommand.class, StudyReportCommand.class},
        synopsisSubcommandLabel = "COMMAND")
final class StudyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw Main.missingCommand(spec);
    }
}
