package dev.sparsecf.cli;

import dev.sparsecf.data.Dataset;
import java.util.Arrays;
import java.util.Iterator;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code sparsecf data}: the dataset commands ({@code stats}, {@code split}); the loading and splitting steps they
 * share with the model commands are {@link dev.sparsecf.run.DataSteps}.
 */
@Command(name = "data",
        description = "Inspect the datasets and export the held-out-user split.",
        subcommands = {DataStatsCommand.class, DataSplitCommand.class, DataSynthCommand.class},
        synopsisSubcommandLabel = "COMMAND")
public final class DataCommand implements Callable<Integer> {

    /** The dataset names for help texts ({@code ${COMPLETION-CANDIDATES}} of a {@code --data} option). */
    static final class Names implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(Dataset.values())
                    .map(d -> d == Dataset.SYNTHETIC ? d.id() + "[:SCALE]" : d.id())
                    .iterator();
        }
    }

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw Main.missingCommand(spec);
    }
}
