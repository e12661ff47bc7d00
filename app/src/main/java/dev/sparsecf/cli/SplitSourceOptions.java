package dev.sparsecf.cli;

import dev.sparsecf.data.FileOptions;
import dev.sparsecf.run.SplitSource;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * A split given instead of {@code --data} (a picocli {@code @Mixin}): one exported by {@code data split}, or a published
 * per-user split evaluated by the weak-generalization protocol.
 */
public final class SplitSourceOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--split", paramLabel = "DIR",
            description = "Train and evaluate on the split 'data split --out DIR' wrote (every checksum verified); "
                    + "the held-out-user protocol, as for --data.")
    Path split;

    @Option(names = "--train", paramLabel = "FILE",
            description = "With --test: a published per-user split (LightGCN, NGCF, KGAT: 'user item item ...' lines, or any "
                    + "--data FILE format), evaluated by the weak-generalization protocol: test users are training users.")
    Path train;

    @Option(names = "--test", paramLabel = "FILE", description = "With --train: the test items of (some of) the training users.")
    Path test;

    @Option(names = "--validation", paramLabel = "FILE",
            description = "With --train and --test: validation items for choosing lambda or the epoch (default: 10%% of the items "
                    + "of each training user with >= 5 items, drawn by --seed).")
    Path validation;

    /** Whether a split was given instead of {@code --data}. */
    boolean given() {
        return split != null || train != null || test != null || validation != null;
    }

    /**
     * The source these options name, {@code data} (a dataset or file) when none is given; exactly one of {@code --data},
     * {@code --split} and {@code --train} must be, and file options only with {@code --data} or {@code --train}.
     */
    SplitSource source(String data, FileOptions fileOptions) {
        int sources = (data != null ? 1 : 0) + (split != null ? 1 : 0) + (train != null ? 1 : 0);
        if (sources != 1) {
            throw new ParameterException(mixee.commandLine(), sources == 0 ? "give --data, --split or --train with --test"
                    : "give one of --data, --split and --train, not " + sources);
        }
        if (train != null && test == null) {
            throw new ParameterException(mixee.commandLine(), "--train needs --test (the test items of the training users)");
        }
        if (train == null && (test != null || validation != null)) {
            throw new ParameterException(mixee.commandLine(), "--test and --validation go with --train");
        }
        if (split != null && !fileOptions.equals(FileOptions.DEFAULT)) {
            throw new ParameterException(mixee.commandLine(), "--split reads the files 'data split' writes: the file options"
                    + " (--sep, --format, the column and filter options) do not apply");
        }
        if (split != null) {
            return new SplitSource.Exported(split);
        }
        return train != null ? new SplitSource.PerUser(train, test, validation, null) : new SplitSource.Dataset(data);
    }
}
