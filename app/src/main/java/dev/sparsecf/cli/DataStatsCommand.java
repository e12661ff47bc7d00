package dev.sparsecf.cli;

import dev.sparsecf.run.DataSteps;

import dev.sparsecf.data.DataSplit;
import dev.sparsecf.data.DatasetStats;
import dev.sparsecf.data.FileOptions;
import dev.sparsecf.data.InteractionFiles;
import dev.sparsecf.data.Interactions;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code sparsecf data stats}: users, items, interactions, density and the activity and popularity
 * distributions of each dataset's positives and, with {@code --split}, the sizes of the split's parts.
 */
@Command(name = "stats",
        description = {"Print the size and shape of datasets' positives (the binarised interactions).",
                "With --split, also the parts of the Liang et al. held-out-user split."})
public final class DataStatsCommand extends DataInputCommand implements Callable<Integer> {

    @Mixin
    SplitOptions splitOptions;

    @Option(names = "--data", required = true, split = ",", paramLabel = "NAME|FILE",
            completionCandidates = DataCommand.Names.class,
            description = "Datasets or interaction files, comma-separated: ${COMPLETION-CANDIDATES}.")
    List<String> data;

    @Option(names = "--split", description = "Also split each dataset (seed --seed) and print the parts' users and pairs.")
    boolean split;

    @Override
    public Integer call() throws IOException {
        if (splitOptions.given() && !split) {
            throw new ParameterException(spec.commandLine(), "--validation-users/--test-users need --split");
        }
        FileOptions fileOptions = fileFormat.options();
        DataSteps.checkSpecs(data, fileOptions);
        common.apply();
        PrintWriter out = spec.commandLine().getOut();
        for (int d = 0; d < data.size(); d++) {
            InteractionFiles.Loaded loaded = DataSteps.load(spec.commandLine().getErr(), data.get(d), common.dataDir(), fileOptions);
            Interactions positives = loaded.positives();
            out.print((d == 0 ? "" : "\n") + DatasetStats.of(positives).format());
            if (loaded.report() != null) {
                out.print(loaded.report().format());
            }
            out.flush();
            if (split) {
                DataSplit s = DataSteps.split(spec.commandLine().getErr(), positives, splitOptions.config(common.seed));
                out.print("split: " + s.summary());
                out.flush();
            }
        }
        return 0;
    }
}
