package dev.sparsecf.cli;

import dev.sparsecf.render.Progress;

import dev.sparsecf.data.DataSplit;
import dev.sparsecf.data.Dataset;
import dev.sparsecf.data.Datasets;
import dev.sparsecf.data.Interactions;
import dev.sparsecf.data.SplitConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code sparsecf data}: the dataset commands ({@code stats}, {@code split}) and the loading and splitting
 * steps they share with the model commands: progress on stderr, and spec mistakes reported as usage errors.
 */
@Command(name = "data",
        description = "Inspect the datasets and export the held-out-user split.",
        subcommands = {DataStatsCommand.class, DataSplitCommand.class},
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

    /** Checks every name in {@code specs} before anything is loaded, so a typo in the last one fails at once. */
    static void checkNames(CommandSpec at, List<String> specs) {
        for (String s : specs) {
            datasetOf(at, s);
        }
    }

    /** The dataset a spec such as {@code ml-1m} or {@code synthetic:0.1} names; an unknown name is a usage error. */
    private static Dataset datasetOf(CommandSpec at, String spec) {
        int colon = spec.indexOf(':');
        try {
            return Dataset.byId((colon < 0 ? spec : spec.substring(0, colon)).strip());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(at.commandLine(), "--data: " + e.getMessage());
        }
    }

    /** The positives of dataset {@code spec} ({@link Datasets#load}), timed on stderr. */
    static Interactions load(CommandSpec at, String spec, Path dataDir) throws IOException {
        String from = datasetOf(at, spec) == Dataset.SYNTHETIC ? "the generator" : dataDir.toAbsolutePath().normalize().toString();
        Progress p = Progress.start(at.commandLine().getErr(), "loading " + spec + " from " + from);
        Interactions x;
        try {
            x = Datasets.load(spec, dataDir);
        } catch (IllegalArgumentException e) {
            // Datasets.load throws it only for the spec itself (e.g. synthetic:big); bad files are IOExceptions
            throw new ParameterException(at.commandLine(), "--data: " + e.getMessage());
        }
        p.done(String.format(Locale.ROOT, "loaded %s: %,d positives", x.source(), x.size()));
        return x;
    }

    /** {@link DataSplit#create} timed on stderr; held-out counts that leave no training users are a usage error. */
    static DataSplit split(CommandSpec at, Interactions positives, SplitConfig config) {
        Progress p = Progress.start(at.commandLine().getErr(), "splitting " + positives.source() + " (split seed " + config.seed() + ")");
        DataSplit s;
        try {
            s = DataSplit.create(positives, config);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(at.commandLine(), "--validation-users/--test-users: " + e.getMessage());
        }
        p.done(String.format(Locale.ROOT, "split into %,d train, %,d validation and %,d test users",
                s.train().numUsers(), s.validation().users().size(), s.test().users().size()));
        return s;
    }
}
