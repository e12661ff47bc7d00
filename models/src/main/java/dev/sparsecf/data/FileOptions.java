package dev.sparsecf.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How to read an interaction file of one's own ({@link InteractionFiles}) and which of its rows are positives.
 *
 * @param separator    the field separator, or null to detect it from the first line; {@code " "} means runs of
 *                     spaces and tabs
 * @param layout       rows of pairs, one user per line, or detected
 * @param userColumn   header name of the user column, or null to find it by its common names (also itemColumn,
 *                     ratingColumn, timeColumn)
 * @param minRating    keep rows whose rating is {@code >= minRating}; NaN keeps every row
 * @param minUserPairs drop users with fewer positives
 * @param minItemUsers drop items with fewer users
 * @param kCore        repeat both count filters until nothing changes
 * @param maxBadLines  malformed lines to skip (and count) before the first one is an error
 */
public record FileOptions(String separator, Layout layout, String userColumn, String itemColumn, String ratingColumn,
                          String timeColumn, double minRating, int minUserPairs, int minItemUsers, boolean kCore,
                          long maxBadLines) {

    /** How a file's lines hold the pairs. */
    public enum Layout {
        /** Delimited rows of pairs if no line says otherwise, else adjacency lists. */
        AUTO,
        /** One pair per line: {@code user item [rating [timestamp]]}, with or without a header. */
        DELIMITED,
        /** One user per line: {@code user item item ...}. */
        ADJACENCY
    }

    /** Detect everything, keep every row, reject the first malformed line. */
    public static final FileOptions DEFAULT = new FileOptions(null, Layout.AUTO, null, null, null, null, Double.NaN, 0, 0, false, 0);

    /** Checks the values; a bad one is an {@link IllegalArgumentException} naming its option. */
    public FileOptions {
        separator = separator == null ? null : separatorOf(separator);
        if (layout == null) {
            throw new IllegalArgumentException("--format must be auto, delimited or adjacency");
        }
        if (Double.isInfinite(minRating)) {
            throw new IllegalArgumentException("--min-rating must be a finite number, got " + minRating);
        }
        if (minUserPairs < 0 || minItemUsers < 0 || maxBadLines < 0) {
            throw new IllegalArgumentException("--min-user-clicks, --min-item-clicks and --max-bad-lines must be >= 0");
        }
        if (kCore && minUserPairs == 0 && minItemUsers == 0) {
            throw new IllegalArgumentException("--k-core repeats --min-user-clicks and --min-item-clicks: give at least one of them");
        }
        if (layout == Layout.ADJACENCY && (ratingColumn != null || timeColumn != null || !Double.isNaN(minRating))) {
            throw new IllegalArgumentException("--format adjacency has no rating or time: drop --rating-col, --time-col and --min-rating");
        }
    }

    /** These options with {@code newLayout}. */
    public FileOptions withLayout(Layout newLayout) {
        return new FileOptions(separator, newLayout, userColumn, itemColumn, ratingColumn, timeColumn, minRating, minUserPairs,
                minItemUsers, kCore, maxBadLines);
    }

    /** The separator a {@code --sep} value names: a literal, or {@code tab}, {@code comma}, {@code whitespace}. */
    private static String separatorOf(String value) {
        String s = switch (value.toLowerCase(Locale.ROOT)) {
            case "tab", "\\t" -> "\t";
            case "comma" -> ",";
            case "semicolon" -> ";";
            case "pipe" -> "|";
            case "space", "whitespace" -> " ";
            default -> value;
        };
        if (!List.of(",", "\t", ";", "|", "::", " ").contains(s)) {
            throw new IllegalArgumentException("--sep must be one of , tab ; | :: whitespace, got '" + value + "'");
        }
        return s;
    }

    /**
     * The same reading and {@code --min-rating}, without the count filters: a user's history ({@code recommend
     * --history}) is judged row by row, not by how many clicks its few users and items have.
     */
    public FileOptions withoutCountRules() {
        return new FileOptions(separator, layout, userColumn, itemColumn, ratingColumn, timeColumn, minRating, 0, 0, false,
                maxBadLines);
    }

    /** The positive rule in words, e.g. {@code rating >= 4, 5-core}, for the source line; empty when every pair counts. */
    public String describeRule() {
        List<String> parts = new ArrayList<>();
        if (!Double.isNaN(minRating)) {
            parts.add("rating >= " + number(minRating));
        }
        if (kCore && minUserPairs == minItemUsers) {
            parts.add(minUserPairs + "-core");
        } else {
            if (minUserPairs > 0) {
                parts.add("users with >= " + minUserPairs + " items");
            }
            if (minItemUsers > 0) {
                parts.add("items with >= " + minItemUsers + " users");
            }
            if (kCore) {
                parts.add("repeated until stable");
            }
        }
        return String.join(", ", parts);
    }

    static String number(double x) {
        return x == Math.rint(x) ? Long.toString((long) x) : Double.toString(x);
    }
}
