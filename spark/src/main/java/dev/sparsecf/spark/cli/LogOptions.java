package dev.sparsecf.spark.cli;

import dev.sparsecf.data.FileOptions;
import dev.sparsecf.data.SplitConfig;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * How to read the log and split it (a picocli {@code @Mixin}): the options of {@code sparsecf data split --data FILE}
 * with the same names and meanings, mapped to the same {@link FileOptions} and {@link SplitConfig}.
 */
public final class LogOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--sep", paramLabel = "SEP", description = "Field separator , tab ; | :: or whitespace (default: detected).")
    String separator;

    @Option(names = "--user-col", paramLabel = "NAME", description = "The user column's header (default: found by common names).")
    String userColumn;

    @Option(names = "--item-col", paramLabel = "NAME", description = "The item column's header.")
    String itemColumn;

    @Option(names = "--rating-col", paramLabel = "NAME", description = "The rating (or count) column's header.")
    String ratingColumn;

    @Option(names = "--min-rating", paramLabel = "R", description = "Keep rows with rating >= R (default: every row).")
    Double minRating;

    @Option(names = "--min-user-clicks", paramLabel = "N", defaultValue = "0", description = "Drop users with fewer than N positives.")
    int minUserClicks;

    @Option(names = "--min-item-clicks", paramLabel = "N", defaultValue = "0", description = "Drop items with fewer than N users.")
    int minItemClicks;

    @Option(names = "--k-core", description = "Repeat --min-item-clicks and --min-user-clicks until nothing changes.")
    boolean kCore;

    @Option(names = "--max-bad-lines", paramLabel = "N", defaultValue = "0",
            description = "Skip and count up to N malformed lines instead of stopping at the first (default: 0).")
    long maxBadLines;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Seed of the split (default: 0).")
    long seed;

    @Option(names = "--validation-users", paramLabel = "N", description = "Held-out validation users (default: auto).")
    Integer validationUsers;

    @Option(names = "--test-users", paramLabel = "N", description = "Held-out test users (default: auto).")
    Integer testUsers;

    FileOptions fileOptions() {
        try {
            return new FileOptions(separator, FileOptions.Layout.DELIMITED, userColumn, itemColumn, ratingColumn, null,
                    minRating == null ? Double.NaN : minRating, minUserClicks, minItemClicks, kCore, maxBadLines);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(mixee.commandLine(), e.getMessage());
        }
    }

    SplitConfig splitConfig() {
        try {
            return SplitConfig.defaults(seed).withHeldOutUsers(validationUsers == null ? SplitConfig.AUTO : validationUsers,
                    testUsers == null ? SplitConfig.AUTO : testUsers);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(mixee.commandLine(), e.getMessage());
        }
    }
}
