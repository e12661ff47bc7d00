package dev.sparsecf.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Readers for the public interaction formats. Ids are kept as the strings in the file (any non-empty token);
 * values must be finite numbers. Blank lines are skipped, except in CiteULike files where the line number is
 * the user id. Every parse error is a {@link MalformedDataException} naming the file, line and text.
 *
 * <p>Each format has a method returning {@link Interactions} and one adding to a builder, so that several
 * files (e.g. a train and a test file) can be merged into one set.
 */
public final class InteractionLoaders {

    private InteractionLoaders() {
    }

    /** MovieLens 1M/10M {@code ratings.dat}: {@code user::item[::rating[::timestamp]]}, the rating as value. */
    public static Interactions movieLensDat(Path file) throws IOException {
        Interactions.Builder b = Interactions.builder(file.toString());
        movieLensDat(file, b);
        return b.build();
    }

    /** Adds the pairs of a {@code ::}-separated MovieLens file to {@code builder}; see {@link #movieLensDat(Path)}. */
    public static void movieLensDat(Path file, Interactions.Builder builder) throws IOException {
        try (LineReader in = LineReader.open(file)) {
            String line;
            while ((line = in.next()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                List<String> f = splitOn(line, "::");
                if (f.size() < 2 || f.size() > 4) {
                    throw in.error(line, "expected user::item[::rating[::timestamp]], found " + f.size() + " '::'-separated field(s)");
                }
                addPair(in, line, builder, f.get(0), f.get(1), f.size() > 2 ? f.get(2) : null);
                if (f.size() == 4) {
                    requireInteger(in, line, f.get(3), "timestamp");
                }
            }
        }
    }

    /**
     * MovieLens {@code ratings.csv} (ml-latest, ml-25m): a header line naming the {@code userId} and
     * {@code movieId} columns (and optionally {@code rating}), then comma-separated rows.
     */
    public static Interactions movieLensCsv(Path file) throws IOException {
        Interactions.Builder b = Interactions.builder(file.toString());
        try (LineReader in = LineReader.open(file)) {
            String header = nextNonBlank(in);
            if (header == null) {
                return b.build();
            }
            List<String> columns = splitOn(header, ",");
            int user = columns.indexOf("userId");
            int item = columns.indexOf("movieId");
            int rating = columns.indexOf("rating");
            if (user < 0 || item < 0) {
                throw in.error(header, "expected a header line naming the userId and movieId columns (MovieLens ratings.csv)");
            }
            String line;
            while ((line = in.next()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                List<String> f = splitOn(line, ",");
                if (f.size() != columns.size()) {
                    throw in.error(line, "expected " + columns.size() + " comma-separated fields as in the header, found " + f.size());
                }
                addPair(in, line, b, f.get(user), f.get(item), rating < 0 ? null : f.get(rating));
            }
        }
        return b.build();
    }

    /** MovieLens 100K {@code u.data}: tab-separated {@code user item rating timestamp}, the rating as value. */
    public static Interactions movieLens100k(Path file) throws IOException {
        Interactions.Builder b = Interactions.builder(file.toString());
        try (LineReader in = LineReader.open(file)) {
            String line;
            while ((line = in.next()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                List<String> f = splitOn(line, "\t");
                if (f.size() != 4) {
                    throw in.error(line, "expected 4 tab-separated fields user, item, rating, timestamp; found " + f.size());
                }
                addPair(in, line, b, f.get(0), f.get(1), f.get(2));
                requireInteger(in, line, f.get(3), "timestamp");
            }
        }
        return b.build();
    }

    /**
     * Generic {@code user item [value]} lines. The separator is taken from the first data line: a tab if it has
     * one, else a comma if it has one, else runs of spaces. With {@code header} the first non-blank line is
     * skipped. Either every line has a value or none does.
     */
    public static Interactions pairs(Path file, boolean header) throws IOException {
        Interactions.Builder b = Interactions.builder(file.toString());
        pairs(file, header, b);
        return b.build();
    }

    /** Adds the pairs of a {@code user item [value]} file to {@code builder}; see {@link #pairs(Path, boolean)}. */
    public static void pairs(Path file, boolean header, Interactions.Builder builder) throws IOException {
        try (LineReader in = LineReader.open(file)) {
            if (header) {
                nextNonBlank(in);
            }
            String separator = null;
            int fields = -1;
            String line;
            while ((line = in.next()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                if (separator == null) {
                    separator = line.indexOf('\t') >= 0 ? "\t" : line.indexOf(',') >= 0 ? "," : " ";
                }
                List<String> f = separator.equals(" ") ? splitWhitespace(line) : splitOn(line, separator);
                String name = separator.equals("\t") ? "tab" : separator.equals(",") ? "comma" : "whitespace";
                if (f.size() != 2 && f.size() != 3) {
                    throw in.error(line, "expected user, item and optionally a value (" + name + "-separated, as the first line),"
                            + " found " + f.size() + " field(s)");
                }
                if (fields < 0) {
                    fields = f.size();
                } else if (f.size() != fields) {
                    throw in.error(line, "found " + f.size() + " fields but the first data line has " + fields);
                }
                addPair(in, line, builder, f.get(0), f.get(1), fields == 3 ? f.get(2) : null);
            }
        }
    }

    /** One line per user, {@code user item1 item2 ...} separated by whitespace (KGAT, LightGCN); a user may list no items. */
    public static Interactions userLists(Path file) throws IOException {
        Interactions.Builder b = Interactions.builder(file.toString());
        userLists(file, b);
        return b.build();
    }

    /** Adds the pairs of a {@code user item1 item2 ...} file to {@code builder}; see {@link #userLists(Path)}. */
    public static void userLists(Path file, Interactions.Builder builder) throws IOException {
        try (LineReader in = LineReader.open(file)) {
            String line;
            while ((line = in.next()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                List<String> f = splitWhitespace(line);
                builder.addUser(f.get(0));
                for (int t = 1; t < f.size(); t++) {
                    builder.add(f.get(0), f.get(t));
                }
            }
        }
    }

    /**
     * CiteULike {@code users.dat}: line {@code u} (0-based) is user {@code "u"}, written as
     * {@code count item1 ... item_count}; the count must match the list. Blank lines are errors here.
     */
    public static Interactions countedUserLists(Path file) throws IOException {
        Interactions.Builder b = Interactions.builder(file.toString());
        try (LineReader in = LineReader.open(file)) {
            String line;
            while ((line = in.next()) != null) {
                List<String> f = splitWhitespace(line);
                if (f.isEmpty()) {
                    throw in.error(line, "empty line; every line is one user (the line number is the user id): count item1 item2 ...");
                }
                long count = requireInteger(in, line, f.get(0), "item count");
                if (count != f.size() - 1) {
                    throw in.error(line, "the line starts with count " + count + " but lists " + (f.size() - 1) + " item(s)");
                }
                String user = Long.toString(in.lineNumber() - 1);
                b.addUser(user);
                for (int t = 1; t < f.size(); t++) {
                    b.add(user, f.get(t));
                }
            }
        }
        return b.build();
    }

    static String nextNonBlank(LineReader in) throws IOException {
        String line;
        while ((line = in.next()) != null && line.isBlank()) {
            // skip
        }
        return line;
    }

    private static void addPair(LineReader in, String line, Interactions.Builder b, String user, String item, String value)
            throws MalformedDataException {
        user = user.strip();
        item = item.strip();
        if (user.isEmpty() || item.isEmpty()) {
            throw in.error(line, "empty " + (user.isEmpty() ? "user" : "item") + " id");
        }
        if (value == null) {
            b.add(user, item);
            return;
        }
        float v;
        try {
            v = Float.parseFloat(value.strip());
        } catch (NumberFormatException e) {
            throw in.error(line, "value '" + value + "' is not a number");
        }
        if (!Float.isFinite(v)) {
            throw in.error(line, "value '" + value + "' is not finite");
        }
        b.add(user, item, v);
    }

    private static long requireInteger(LineReader in, String line, String field, String what) throws MalformedDataException {
        try {
            return Long.parseLong(field.strip());
        } catch (NumberFormatException e) {
            throw in.error(line, what + " '" + field + "' is not an integer");
        }
    }

    /** Splits at every occurrence of {@code sep}, keeping empty fields (so "a,,b" has three). */
    static List<String> splitOn(String line, String sep) {
        List<String> out = new ArrayList<>(4);
        int from = 0;
        int at;
        while ((at = line.indexOf(sep, from)) >= 0) {
            out.add(line.substring(from, at));
            from = at + sep.length();
        }
        out.add(line.substring(from));
        return out;
    }

    /** Splits at runs of spaces and tabs, ignoring leading and trailing ones. */
    static List<String> splitWhitespace(String line) {
        List<String> out = new ArrayList<>();
        int n = line.length();
        int i = 0;
        while (i < n) {
            while (i < n && isSpace(line.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && !isSpace(line.charAt(i))) {
                i++;
            }
            if (i > start) {
                out.add(line.substring(start, i));
            }
        }
        return out;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }
}
