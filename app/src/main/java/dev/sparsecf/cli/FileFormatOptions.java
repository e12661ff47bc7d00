package dev.sparsecf.cli;

import dev.sparsecf.data.FileOptions;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** How to read a {@code --data FILE} and which rows are positives (a picocli {@code @Mixin}), mapped to {@link FileOptions}. */
public final class FileFormatOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--sep", paramLabel = "SEP",
            description = "--data FILE: field separator , tab ; | :: or whitespace (default: detected from the first line).")
    String separator;

    @Option(names = "--format", paramLabel = "auto|delimited|adjacency",
            description = "--data FILE: rows of pairs, or one user per line 'user item item ...' (default: auto, detected).")
    FileOptions.Layout layout;

    @Option(names = "--user-col", paramLabel = "NAME", description = "--data FILE: the user column's header (default: found by common names).")
    String userColumn;

    @Option(names = "--item-col", paramLabel = "NAME", description = "--data FILE: the item column's header.")
    String itemColumn;

    @Option(names = "--rating-col", paramLabel = "NAME", description = "--data FILE: the rating (or count) column's header.")
    String ratingColumn;

    @Option(names = "--time-col", paramLabel = "NAME", description = "--data FILE: the timestamp column's header (read, not used).")
    String timeColumn;

    @Option(names = "--min-rating", paramLabel = "R",
            description = "--data FILE: keep rows with rating >= R (default: every row; every row too when there is no rating column).")
    Double minRating;

    @Option(names = "--min-user-clicks", paramLabel = "N", defaultValue = "0",
            description = "--data FILE: drop users with fewer than N positives (default: ${DEFAULT-VALUE}).")
    int minUserClicks;

    @Option(names = "--min-item-clicks", paramLabel = "N", defaultValue = "0",
            description = "--data FILE: drop items with fewer than N users (default: ${DEFAULT-VALUE}).")
    int minItemClicks;

    @Option(names = "--k-core", description = "--data FILE: repeat --min-item-clicks and --min-user-clicks until nothing changes.")
    boolean kCore;

    @Option(names = "--max-bad-lines", paramLabel = "N", defaultValue = "0",
            description = "--data FILE: skip and count up to N malformed lines instead of stopping at the first (default: ${DEFAULT-VALUE}).")
    long maxBadLines;

    /** The options as the data layer takes them; a bad value is a usage error naming its option. */
    FileOptions options() {
        try {
            return new FileOptions(separator, layout == null ? FileOptions.Layout.AUTO : layout, userColumn, itemColumn, ratingColumn, timeColumn,
                    minRating == null ? Double.NaN : minRating, minUserClicks, minItemClicks, kCore, maxBadLines);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(mixee.commandLine(), e.getMessage());
        }
    }
}
