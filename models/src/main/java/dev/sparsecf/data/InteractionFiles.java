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
 * Line handling (UTF-8, BOM, LF/CRLF, gzip, line numbers) is {@link LineReader}'s; a quoted field may span lines,
 * and errors name the line where its record began.
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
        return load(file, options, null);
    }

    /**
     * As {@link #load(Path, FileOptions)}, keeping only the pairs whose item {@code known} accepts (all when null):
     * a user's history read against a saved model's catalogue.
     */
    public static Loaded load(Path file, FileOptions options, KnownItems known) throws IOException {
        RowFormat shape = sniff(file, options);
        PlainDelimited.Read plain = known == null ? PlainDelimited.read(file, shape) : null;
        if (plain != null) {
            return filter(file, plain.rows(), shape, options, plain.lines(), 0);
        }
        return readGeneral(file, options, known, shape);
    }

    /** {@link #load(Path, FileOptions, KnownItems)} by the general path only: every record split and checked as text (tests). */
    static Loaded loadGeneral(Path file, FileOptions options, KnownItems known) throws IOException {
        return readGeneral(file, options, known, sniff(file, options));
    }

    private static Loaded readGeneral(Path file, FileOptions options, KnownItems known, RowFormat shape) throws IOException {
        Interactions.Builder b = Interactions.builder(file.toString());
        long rows = 0;
        long bad = 0;
        try (LineReader in = LineReader.open(file)) {
            if (shape.header != null) {
                shape.record(in, InteractionLoaders.nextNonBlank(in));
            }
            try (ReadAhead records = new ReadAhead(in, shape)) {
                ReadAhead.Batch r;
                do {
                    r = records.next();
                    for (int t = 0; t < r.size; t++) {
                        rows++;
                        try {
                            if (r.errors[t] != null) {
                                throw r.errors[t];
                            }
                            if (shape.adjacency) {
                                addUserList(file, r.lines[t], r.texts[t], r.fields[t], shape, b, known);
                            } else {
                                addRow(file, r.lines[t], r.texts[t], r.fields[t], shape, b, known);
                            }
                        } catch (MalformedDataException e) {
                            if (++bad > options.maxBadLines()) {
                                throw options.maxBadLines() == 0 ? e : new IOException(e.getMessage() + " (malformed line " + bad
                                        + ", above --max-bad-lines " + options.maxBadLines() + ")", e);
                            }
                        }
                    }
                    ReadAhead.rethrowEnd(r);
                } while (!r.last);
            }
        }
        if (rows == 0) {
            throw new IOException(file + ": " + (shape.header == null ? "" : "a header but ") + "no data lines");
        }
        Interactions read = b.build();
        b = null; // the builder's pairs (twice the rows' final size) may go before the rules copy the rows
        return filter(file, read, shape, options, rows, bad);
    }

    /** The layout {@link #load} finds in {@code file} with {@code options}, so that the other files of a split are read alike. */
    public static FileOptions.Layout layoutOf(Path file, FileOptions options) throws IOException {
        return sniff(file, options).adjacency ? FileOptions.Layout.ADJACENCY : FileOptions.Layout.DELIMITED;
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

    /** Adds the pair of record {@code line} (its fields {@code f}), which begins on line {@code at} of {@code file}. */
    private static void addRow(Path file, long at, String line, String[] f, RowFormat shape, Interactions.Builder b,
                               KnownItems known) throws IOException {
        Row r = shape.parse(file, at, line, f);
        if (known != null && !known.keep(file, at, line, shape.name(shape.item), r.item())) {
            b.addUser(r.user());
        } else if (shape.rating < 0) {
            b.add(r.user(), r.item());
        } else {
            b.add(r.user(), r.item(), r.rating());
        }
    }

    private static String id(Path file, long at, String line, RowFormat shape, int column, String[] f) throws MalformedDataException {
        String id = f[column].strip();
        if (id.isEmpty()) {
            throw new MalformedDataException(file, at, line, shape.name(column), id, "is an empty id");
        }
        if (hasWhitespace(id)) {
            // the split's export writes ids as whitespace-separated tokens (DataSplit#export)
            throw new MalformedDataException(file, at, line, shape.name(column), id, "contains whitespace, which an id may not");
        }
        return id;
    }

    private static boolean hasWhitespace(String id) {
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if ((c <= ' ' || c >= 0x7f) && Character.isWhitespace(c)) { // printable ASCII is never whitespace
                return true;
            }
        }
        return false;
    }

    private static void addUserList(Path file, long at, String line, String[] f, RowFormat shape, Interactions.Builder b,
                                    KnownItems known) throws IOException {
        String user = id(file, at, line, shape, 0, f);
        b.addUser(user);
        for (int t = 1; t < f.length; t++) {
            String item = id(file, at, line, shape, t, f);
            if (known == null || known.keep(file, at, line, shape.name(t), item)) {
                b.add(user, item);
            }
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

        /**
         * The whole record that {@code line} begins: while a quoted field is open at its end, the next lines
         * joined with a line feed (only where a separator has quoting; the reader keeps the first line's number).
         *
         * @throws MalformedDataException when the file ends inside the quoted field
         */
        String record(LineReader in, String line) throws IOException {
            if (csv() == null) {
                return line;
            }
            while (insideQuotes(line, separator.charAt(0))) {
                String more = in.continuation();
                if (more == null) {
                    throw in.error(line, "a quoted field opened on this line is not closed before the end of the file");
                }
                line = line + "\n" + more;
            }
            return line;
        }

        /** Whether a field opened by a quote is still open at the end of {@code text} (RFC 4180: "" is a quote). */
        private static boolean insideQuotes(String text, char sep) {
            boolean quoted = false;
            boolean fieldStart = true;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (quoted) {
                    if (c == '"') {
                        if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                            i++;
                        } else {
                            quoted = false;
                        }
                    }
                } else if (c == '"' && fieldStart) {
                    quoted = true;
                    fieldStart = false;
                } else {
                    fieldStart = c == sep; // as Jackson reads it: a quote after a space is text
                }
            }
            return quoted;
        }

        /** The quoting CSV reader of a one-character separator other than a space; null for the others. */
        ObjectReader csv() {
            if (csv == null && separator.length() == 1 && !separator.equals(" ")) {
                csv = CSV.readerFor(String[].class).with(CsvSchema.emptySchema().withColumnSeparator(separator.charAt(0)));
            }
            return csv;
        }

        String[] split(LineReader in, String line) throws MalformedDataException {
            return split(in.file(), in.lineNumber(), line);
        }

        String[] split(Path file, long lineNumber, String line) throws MalformedDataException {
            ObjectReader csv = csv();
            if (csv != null && plain(line)) {
                // what Jackson gives for a record without quotes or carriage returns, without its per-call setup
                return splitAt(line, separator.charAt(0));
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

        /** The fields of {@code line} between the {@code sep} characters, empty ones kept. */
        static String[] splitAt(String line, char sep) {
            int n = 1;
            for (int i = line.indexOf(sep); i >= 0; i = line.indexOf(sep, i + 1)) {
                n++;
            }
            String[] f = new String[n];
            int from = 0;
            for (int t = 0; t < n - 1; t++) {
                int at = line.indexOf(sep, from);
                f[t] = line.substring(from, at);
                from = at + 1;
            }
            f[n - 1] = line.substring(from);
            return f;
        }

        /** Whether {@code line} has no quote and no carriage return, the characters Jackson's splitting treats specially. */
        static boolean plain(String line) {
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (c == '"' || c == '\r') {
                    return false;
                }
            }
            return true;
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
         * The user, item and rating of one data record of a delimited file (not a header or blank line).
         *
         * @throws MalformedDataException naming {@code file}, {@code lineNumber}, the column and the value
         */
        public Row parse(Path file, long lineNumber, String line) throws MalformedDataException {
            return parse(file, lineNumber, line, split(file, lineNumber, line));
        }

        /** {@link #parse(Path, long, String)} of a record already split into the fields {@code f}. */
        Row parse(Path file, long at, String line, String[] f) throws MalformedDataException {
            if (f.length != fields) {
                throw new MalformedDataException(file, at, line, "expected " + fields + " fields (" + separatorName()
                        + "-separated, as " + (header == null ? "the first line" : "the header") + "), found " + f.length);
            }
            String u = id(file, at, line, this, user, f);
            String i = id(file, at, line, this, item, f);
            if (rating < 0) {
                return new Row(u, i, Float.NaN);
            }
            String value = f[rating].strip();
            float v;
            try {
                v = Float.parseFloat(value);
            } catch (NumberFormatException e) {
                throw new MalformedDataException(file, at, line, name(rating), value, "is not a number");
            }
            if (!Float.isFinite(v)) {
                throw new MalformedDataException(file, at, line, name(rating), value, "is not finite");
            }
            return new Row(u, i, v);
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
            first = s.record(in, first);
            String[] f = s.split(in, first);
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
                        int n = s.split(in, s.record(in, line)).length;
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
