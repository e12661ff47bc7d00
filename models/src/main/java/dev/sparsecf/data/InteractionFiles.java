package dev.sparsecf.data;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A user's own interaction file: delimited rows with or without a header (RecBole's typed {@code name:type}
 * headers included), or adjacency lists, plain or {@code .gz}; then the positive rule of {@link FileOptions}.
 * Line handling (UTF-8, BOM, LF/CRLF, gzip, line numbers) is {@link LineReader}'s; a quoted field may not span lines.
 */
public final class InteractionFiles {

    /** Lines read to tell a header, the separator and the layout before the file is read for real. */
    private static final int SNIFF_LINES = 1000;

    // Common column names, compared after lowercasing and dropping '_', '-', ' ' and a RecBole ':type' suffix.
    private static final Set<String> USER_NAMES = Set.of("user", "userid", "uid", "users", "customer", "customerid", "visitorid", "reviewerid");
    private static final Set<String> ITEM_NAMES = Set.of("item", "itemid", "iid", "items", "movie", "movieid", "product", "productid",
            "artist", "artistid", "track", "trackid", "song", "songid", "book", "bookid", "isbn", "asin");
    private static final Set<String> RATING_NAMES = Set.of("rating", "ratings", "score", "value", "weight", "count", "playcount", "plays",
            "clicks", "preference");
    private static final Set<String> TIME_NAMES = Set.of("timestamp", "time", "ts", "datetime", "date", "unixtime");
    private static final Set<String> RECBOLE_TYPES = Set.of("token", "float", "token_seq", "float_seq");

    private static final CsvMapper CSV = new CsvMapper();

    private InteractionFiles() {
    }

    /** What a load read, how it read it and what each rule dropped. */
    public record Report(String layout, long rowsRead, long badLinesSkipped, long duplicatesMerged, long belowMinRating,
                         long droppedByItemRule, long droppedByUserRule, long positives) {

        /** The report as indented lines ending in a newline, for {@code data stats}. */
        public String format() {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT, "read: %s; %,d rows%n", layout, rowsRead));
            sb.append(String.format(Locale.ROOT, "  malformed lines skipped (--max-bad-lines): %,d%n", badLinesSkipped));
            sb.append(String.format(Locale.ROOT, "  repeated pairs merged (%s): %,d%n", Interactions.MERGE_RULE, duplicatesMerged));
            sb.append(String.format(Locale.ROOT, "  pairs below --min-rating: %,d%n", belowMinRating));
            sb.append(String.format(Locale.ROOT, "  pairs of items below --min-item-clicks: %,d%n", droppedByItemRule));
            sb.append(String.format(Locale.ROOT, "  pairs of users below --min-user-clicks: %,d%n", droppedByUserRule));
            sb.append(String.format(Locale.ROOT, "  positives kept: %,d%n", positives));
            return sb.toString();
        }
    }

    /** The positives of {@code file} and the report of how they were read. */
    public record Loaded(Interactions positives, Report report) {
    }

    /**
     * Reads {@code file} by {@code options} and applies its positive rule.
     *
     * @throws IllegalArgumentException when an option does not fit the file (e.g. {@code --user-col} names no column)
     * @throws IOException              for an unreadable, empty or malformed file, or one with no positive left
     */
    public static Loaded load(Path file, FileOptions options) throws IOException {
        RowFormat shape = sniff(file, options);
        Interactions.Builder b = Interactions.builder(file.toString());
        long rows = 0;
        long bad = 0;
        try (LineReader in = LineReader.open(file)) {
            if (shape.header != null) {
                InteractionLoaders.nextNonBlank(in);
            }
            String line;
            while ((line = in.next()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                rows++;
                try {
                    if (shape.adjacency) {
                        addUserList(in, line, shape, b);
                    } else {
                        addRow(in, line, shape, b);
                    }
                } catch (MalformedDataException e) {
                    if (++bad > options.maxBadLines()) {
                        throw options.maxBadLines() == 0 ? e
                                : new IOException(e.getMessage() + " (malformed line " + bad + ", above --max-bad-lines " + options.maxBadLines() + ")", e);
                    }
                }
            }
        }
        if (rows == 0) {
            throw new IOException(file + ": " + (shape.header == null ? "" : "a header but ") + "no data lines");
        }
        return filter(file, b.build(), shape, options, rows, bad);
    }

    private static Loaded filter(Path file, Interactions read, RowFormat shape, FileOptions options, long rows, long bad) throws IOException {
        String rule = options.describeRule();
        String source = file + (rule.isEmpty() ? "" : " (" + rule + ")");
        Interactions x = read.size() == 0 ? read : read.hasValues() && !Double.isNaN(options.minRating())
                ? read.positives((float) options.minRating(), source)
                : read.withMinCounts(0, 0, source);
        int belowRating = read.size() - x.size();
        int byItem = 0;
        int byUser = 0;
        int before;
        do {
            before = x.size();
            int n = x.size();
            x = x.size() == 0 ? x : x.withMinCounts(0, options.minItemUsers(), source);
            byItem += n - x.size();
            n = x.size();
            x = x.size() == 0 ? x : x.withMinCounts(options.minUserPairs(), 0, source);
            byUser += n - x.size();
        } while (options.kCore() && x.size() < before);
        if (x.size() == 0) {
            throw new IOException(file + ": no positive left" + (rule.isEmpty() ? "" : " after the rule " + rule)
                    + String.format(Locale.ROOT, " (%,d rows read)", rows));
        }
        return new Loaded(x, new Report(shape.describe(), rows, bad, read.duplicatesMerged(), belowRating, byItem, byUser, x.size()));
    }

    private static void addRow(LineReader in, String line, RowFormat shape, Interactions.Builder b) throws IOException {
        Row r = shape.parse(in.file(), in.lineNumber(), line);
        if (shape.rating < 0) {
            b.add(r.user(), r.item());
        } else {
            b.add(r.user(), r.item(), r.rating());
        }
    }

    private static String id(Path file, long lineNumber, String line, RowFormat shape, int column, String[] f) throws MalformedDataException {
        String id = f[column].strip();
        if (id.isEmpty()) {
            throw new MalformedDataException(file, lineNumber, line, shape.name(column), id, "is an empty id");
        }
        if (id.chars().anyMatch(Character::isWhitespace)) {
            // the split's export writes ids as whitespace-separated tokens (DataSplit#export)
            throw new MalformedDataException(file, lineNumber, line, shape.name(column), id, "contains whitespace, which an id may not");
        }
        return id;
    }

    private static void addUserList(LineReader in, String line, RowFormat shape, Interactions.Builder b) throws IOException {
        String[] f = shape.split(in.file(), in.lineNumber(), line);
        String user = id(in.file(), in.lineNumber(), line, shape, 0, f);
        b.addUser(user);
        for (int t = 1; t < f.length; t++) {
            b.add(user, id(in.file(), in.lineNumber(), line, shape, t, f));
        }
    }

    /** One delimited row's fields: the rating is NaN when the file has no rating column. */
    public record Row(String user, String item, float rating) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /**
     * How a file is laid out, decided from its first lines; serialisable, so readers that parse the lines
     * elsewhere (the Spark path) split and check them exactly as {@link #load} does.
     */
    public static final class RowFormat implements Serializable {
        private static final long serialVersionUID = 1L;
        String separator;
        transient ObjectReader csv; // null for '::' and whitespace, which have no quoting; rebuilt after serialisation
        String[] header; // null: no header
        boolean adjacency;
        int fields;
        int user = 0;
        int item = 1;
        int rating = -1;
        int time = -1;

        String[] split(Path file, long lineNumber, String line) throws MalformedDataException {
            if (csv == null && separator.length() == 1 && !separator.equals(" ")) {
                csv = CSV.readerFor(String[].class).with(CsvSchema.emptySchema().withColumnSeparator(separator.charAt(0)));
            }
            if (csv != null) {
                try {
                    return csv.readValue(line);
                } catch (IOException e) {
                    String m = e instanceof JacksonException j ? j.getOriginalMessage() : e.getMessage();
                    throw new MalformedDataException(file, lineNumber, line,
                            "cannot split the line at '" + separator + "' (" + m.lines().findFirst().orElse("") + ")");
                }
            }
            List<String> f = separator.equals(" ") ? InteractionLoaders.splitWhitespace(line) : InteractionLoaders.splitOn(line, separator);
            return f.toArray(String[]::new);
        }

        /** Whether the first non-blank line is a header (not data). */
        public boolean hasHeader() {
            return header != null;
        }

        /** Whether lines are adjacency lists ({@code user item item ...}) rather than rows of pairs. */
        public boolean adjacency() {
            return adjacency;
        }

        /** Whether rows carry a rating ({@link Row#rating()} is NaN otherwise). */
        public boolean hasRating() {
            return rating >= 0;
        }

        /**
         * The user, item and rating of one data line of a delimited file (not a header or blank line).
         *
         * @throws MalformedDataException naming {@code file}, {@code lineNumber}, the column and the value
         */
        public Row parse(Path file, long lineNumber, String line) throws MalformedDataException {
            String[] f = split(file, lineNumber, line);
            if (f.length != fields) {
                throw new MalformedDataException(file, lineNumber, line, "expected " + fields + " fields (" + separatorName()
                        + "-separated, as " + (header == null ? "the first line" : "the header") + "), found " + f.length);
            }
            String user = id(file, lineNumber, line, this, this.user, f);
            String item = id(file, lineNumber, line, this, this.item, f);
            if (rating < 0) {
                return new Row(user, item, Float.NaN);
            }
            String value = f[rating].strip();
            float v;
            try {
                v = Float.parseFloat(value);
            } catch (NumberFormatException e) {
                throw new MalformedDataException(file, lineNumber, line, name(rating), value, "is not a number");
            }
            if (!Float.isFinite(v)) {
                throw new MalformedDataException(file, lineNumber, line, name(rating), value, "is not finite");
            }
            return new Row(user, item, v);
        }

        String name(int column) {
            if (header != null) {
                return stripType(header[column].strip());
            }
            if (adjacency) {
                return column == 0 ? "user" : "item " + column;
            }
            return List.of("user", "item", "rating", "timestamp").get(column);
        }

        String separatorName() {
            return switch (separator) {
                case "\t" -> "tab";
                case "," -> "comma";
                case " " -> "whitespace";
                default -> "'" + separator + "'";
            };
        }

        /** The layout in words, e.g. {@code comma-separated, header; user 'userId', item 'movieId'}. */
        public String describe() {
            if (adjacency) {
                return "adjacency lists (user item item ...), " + separatorName() + "-separated";
            }
            StringBuilder sb = new StringBuilder(separatorName() + "-separated, " + (header == null ? "no header" : "header") + "; user '"
                    + name(user) + "', item '" + name(item) + "'");
            if (rating >= 0) {
                sb.append(", rating '").append(name(rating)).append('\'');
            }
            if (time >= 0) {
                sb.append(", time '").append(name(time)).append("' (not used)");
            }
            return sb.toString();
        }
    }

    /**
     * The layout {@link #load} detects from {@code file}'s first lines under {@code options}.
     *
     * @throws IllegalArgumentException when an option does not fit the file
     * @throws IOException              for an unreadable or empty file, or a first line that fits no layout
     */
    public static RowFormat rowFormat(Path file, FileOptions options) throws IOException {
        return sniff(file, options);
    }

    /**
     * The user, item, rating and time columns of {@code header} (names of a Parquet file, say) by {@code options}'
     * names or else the common ones, as for a delimited file's header; -1 for an absent rating or time column.
     *
     * @throws IllegalArgumentException when a named column is absent, or no user or item column is found
     */
    public static int[] headerColumns(Path file, String[] header, FileOptions options) {
        return new int[] {column(file, header, options.userColumn(), "--user-col", USER_NAMES, true),
            column(file, header, options.itemColumn(), "--item-col", ITEM_NAMES, true),
            column(file, header, options.ratingColumn(), "--rating-col", RATING_NAMES, false),
            column(file, header, options.timeColumn(), "--time-col", TIME_NAMES, false)};
    }

    /** Reads the first lines to decide separator, header, columns and layout. */
    private static RowFormat sniff(Path file, FileOptions o) throws IOException {
        RowFormat s = new RowFormat();
        try (LineReader in = LineReader.open(file)) {
            String first = InteractionLoaders.nextNonBlank(in);
            if (first == null) {
                throw new IOException(file + ": the file is empty");
            }
            s.separator = o.separator() != null ? o.separator() : detectSeparator(first);
            String[] f = s.split(in.file(), in.lineNumber(), first);
            boolean named = o.userColumn() != null || o.itemColumn() != null || o.ratingColumn() != null || o.timeColumn() != null;
            boolean header = o.layout() != FileOptions.Layout.ADJACENCY
                    && (named || Arrays.stream(f).map(InteractionFiles::normalise).anyMatch(InteractionFiles::known));
            if (header) {
                s.header = f;
                s.fields = f.length;
                int[] c = headerColumns(file, f, o);
                s.user = c[0];
                s.item = c[1];
                s.rating = c[2];
                s.time = c[3];
                return s;
            }
            int min = f.length;
            int max = f.length;
            String line;
            for (int t = 1; t < SNIFF_LINES && (line = in.next()) != null; t++) {
                if (!line.isBlank()) {
                    try {
                        int n = s.split(in.file(), in.lineNumber(), line).length;
                        min = Math.min(min, n);
                        max = Math.max(max, n);
                    } catch (MalformedDataException e) {
                        // reported (or skipped under --max-bad-lines) when the file is read for real
                    }
                }
            }
            s.adjacency = o.layout() == FileOptions.Layout.ADJACENCY
                    || (o.layout() == FileOptions.Layout.AUTO && (max > 4 || min != max));
            if (!s.adjacency) {
                if (f.length < 2 || f.length > 4) {
                    throw in.error(first, "expected user item [rating [timestamp]] (" + s.separatorName() + "-separated),"
                            + " or a header naming the user and item columns; found " + f.length + " field(s)");
                }
                s.fields = f.length;
                s.rating = f.length > 2 ? 2 : -1;
                s.time = f.length > 3 ? 3 : -1;
            }
        }
        return s;
    }

    /** The first of {@code ::}, then the most frequent of tab , ; |, else whitespace. */
    static String detectSeparator(String line) {
        if (line.contains("::")) {
            return "::";
        }
        String best = " ";
        long bestCount = 0;
        for (String sep : List.of("\t", ",", ";", "|")) {
            long n = line.chars().filter(c -> c == sep.charAt(0)).count();
            if (n > bestCount) {
                best = sep;
                bestCount = n;
            }
        }
        return best;
    }

    /** The index of the column {@code given} by an option, else the first with a common name; -1 if optional and absent. */
    private static int column(Path file, String[] header, String given, String option, Set<String> names, boolean required) {
        for (int c = 0; c < header.length; c++) {
            String h = header[c].strip();
            if (given != null ? h.equals(given) || stripType(h).equals(given) : names.contains(normalise(h))) {
                return c;
            }
        }
        List<String> columns = Arrays.stream(header).map(h -> "'" + h.strip() + "'").toList();
        if (given != null) {
            throw new IllegalArgumentException(option + " '" + given + "' is not a column of " + file + " (" + String.join(", ", columns) + ")");
        }
        if (required) {
            throw new IllegalArgumentException(file + ": the header " + String.join(", ", columns) + " names no "
                    + option.substring(2, option.length() - 4) + " column; name it with " + option);
        }
        return -1;
    }

    private static boolean known(String name) {
        return USER_NAMES.contains(name) || ITEM_NAMES.contains(name) || RATING_NAMES.contains(name) || TIME_NAMES.contains(name);
    }

    /** {@code user_id:token} -> {@code userid}: lowercase, without a RecBole type and without '_', '-' and spaces. */
    static String normalise(String header) {
        return stripType(header.strip()).toLowerCase(Locale.ROOT).replaceAll("[_\\- ]", "");
    }

    private static String stripType(String header) {
        int colon = header.lastIndexOf(':');
        return colon > 0 && RECBOLE_TYPES.contains(header.substring(colon + 1).toLowerCase(Locale.ROOT)) ? header.substring(0, colon) : header;
    }
}
