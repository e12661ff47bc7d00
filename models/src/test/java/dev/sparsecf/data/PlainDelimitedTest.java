package dev.sparsecf.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fast path ({@link PlainDelimited}: byte ranges on several threads, primitive rows, {@link RowsToCsr}) against
 * the general path ({@link InteractionFiles#loadGeneral}: every record split by Jackson's rules and checked as text)
 * on the same files: the same ids in the same order, the same rows, values and merge count, over range and buffer
 * boundaries that fall anywhere in a line; and files it must leave to the general path do give the general result.
 */
class PlainDelimitedTest {

    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, content.getBytes(StandardCharsets.UTF_8));
        return p;
    }

    /** Asserts that two loads hold the same ids, rows, values and merge count. */
    private static void assertSameRows(Interactions expected, Interactions actual) {
        assertEquals(expected.users().ids(), actual.users().ids(), "user ids");
        assertEquals(expected.items().ids(), actual.items().ids(), "item ids");
        assertEquals(expected.size(), actual.size(), "pairs");
        assertEquals(expected.hasValues(), actual.hasValues(), "values");
        assertEquals(expected.duplicatesMerged(), actual.duplicatesMerged(), "merged");
        assertEquals(expected.source(), actual.source());
        for (int u = 0; u < expected.numUsers(); u++) {
            assertEquals(expected.rowEnd(u), actual.rowEnd(u), "row end of user " + u);
        }
        for (int p = 0; p < expected.size(); p++) {
            assertEquals(expected.item(p), actual.item(p), "item at " + p);
            assertEquals(Float.floatToIntBits(expected.value(p)), Float.floatToIntBits(actual.value(p)), "value at " + p);
        }
    }

    /** Checks the fast path on {@code file} against the general path for several range counts and buffer sizes. */
    private void assertFastMatchesGeneral(Path file) throws IOException {
        InteractionFiles.RowFormat shape = InteractionFiles.rowFormat(file, FileOptions.DEFAULT);
        InteractionFiles.Loaded expected = InteractionFiles.loadGeneral(file, FileOptions.DEFAULT, null);
        // through load, with the rule applied as load applies it: the same kept rows and the same report
        InteractionFiles.Loaded viaLoad = InteractionFiles.load(file, FileOptions.DEFAULT);
        assertSameRows(expected.positives(), viaLoad.positives());
        assertEquals(expected.report(), viaLoad.report());
        Interactions raw = rawGeneral(file);
        for (int ranges : new int[] {1, 2, 3, 7}) {
            for (int buffer : new int[] {8, 37, 1 << 12}) {
                PlainDelimited.Read fast = PlainDelimited.read(file, shape, ranges, buffer);
                assertNotNull(fast, file + " should be read by the fast path");
                assertEquals(expected.report().rowsRead(), fast.lines(), "data lines, ranges " + ranges + ", buffer " + buffer);
                assertSameRows(raw, fast.rows());
            }
        }
    }

    /** The rows with their values, before any rule: the builder fed by the general path's parse. */
    private static Interactions rawGeneral(Path file) throws IOException {
        InteractionFiles.RowFormat shape = InteractionFiles.rowFormat(file, FileOptions.DEFAULT);
        Interactions.Builder b = Interactions.builder(file.toString());
        long n = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String text = n++ == 0 && line.startsWith("\uFEFF") ? line.substring(1) : line;
            text = text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            if (text.isBlank()) {
                continue;
            }
            if (shape.hasHeader() && b.pairsAdded() == 0 && text.equals(String.join(shape.separator, shape.header))) {
                continue;
            }
            InteractionFiles.Row r = shape.parse(file, n, text);
            if (shape.hasRating()) {
                b.add(r.user(), r.item(), r.rating());
            } else {
                b.add(r.user(), r.item());
            }
        }
        return b.build();
    }

    @Test
    void randomPlainFilesReadAsTheGeneralPathReadsThem() throws IOException {
        SplittableRandom random = new SplittableRandom(18);
        for (int trial = 0; trial < 12; trial++) {
            boolean header = trial % 2 == 0;
            boolean rating = trial % 3 == 0;
            boolean grouped = trial % 4 < 2;
            String sep = List.of(",", "\t", ";", "|").get(trial % 4);
            String eol = trial % 5 == 0 ? "\r\n" : "\n";
            StringBuilder sb = new StringBuilder(trial % 3 == 1 ? "\uFEFF" : ""); // with a header in trials 4 and 10
            if (header) {
                sb.append(eol).append("  ").append(eol); // blank lines before the header are skipped
                sb.append("user_id").append(sep).append("item_id").append(rating ? sep + "rating" : "").append(eol);
            }
            int rows = trial < 6 ? 300 : 6000; // the larger files have enough runs to switch to per-row users
            int user = 0;
            for (int t = 0; t < rows; t++) {
                user = grouped ? (random.nextInt(6) == 0 ? user + 1 + random.nextInt(3) : user) : random.nextInt(2000);
                // trial 6: ids past LocalIds' direct table; 8: non-canonical integers; 9-11: some string ids
                String u = trial >= 9 && user % 7 == 0 ? "u" + user
                        : trial == 8 && user % 5 == 0 ? "0" + user : Integer.toString(trial == 6 ? user * 997 : user - 50);
                String i = trial == 7 && t % 3 == 0 ? "-0" : Integer.toString(random.nextInt(40));
                sb.append(random.nextInt(10) == 0 ? " " : "").append(u).append(sep).append(i).append(random.nextInt(10) == 0 ? " " : "");
                if (rating) {
                    sb.append(sep).append(List.of("1", "2.5", "4", " 3.5", "5.0", "0", "-1.25").get(random.nextInt(7)));
                }
                sb.append(eol);
                if (random.nextInt(50) == 0) {
                    sb.append(eol); // a blank line
                }
            }
            if (trial % 3 == 1) {
                sb.setLength(sb.length() - eol.length()); // no line feed after the last line
            }
            assertFastMatchesGeneral(write("random" + trial + ".csv", sb.toString()));
        }
    }

    @Test
    void linesTheFastPathCannotReadExactlyGoToTheGeneralPath() throws IOException {
        String rows = "1,10\n2,20\n3,30\n".repeat(20);
        List<Path> others = new ArrayList<>();
        others.add(write("quoted.csv", "user,item\n" + rows + "\"4,5\",\"a\"\"b\"\n" + rows));
        String timed = "1,10,9\n2,20,9\n".repeat(30);
        others.add(write("multiline.csv", "user,item,timestamp\n" + timed + "4,40,\"9\n10\"\n" + timed)); // a quoted field over two lines
        others.add(write("unicode.csv", "user,item\n" + rows + "jos\u00e9,40\n"));
        others.add(write("strayCr.csv", "user,item\n" + rows + "4,4\r0\n"));
        others.add(write("minusZero.csv", "user,item,rating\n1,10,-0\n1,10,0\n"));
        others.add(write("quotedHeader.csv", "\"user\",\"item\"\n" + rows));
        for (Path f : others) {
            InteractionFiles.RowFormat shape = InteractionFiles.rowFormat(f, FileOptions.DEFAULT);
            for (int ranges : new int[] {1, 3}) {
                assertNull(PlainDelimited.read(f, shape, ranges, 16), f.toString());
            }
            assertSameRows(InteractionFiles.loadGeneral(f, FileOptions.DEFAULT, null).positives(),
                    InteractionFiles.load(f, FileOptions.DEFAULT).positives());
        }
        Path plain = write("plain.csv", "user,item\n" + rows);
        assertNotNull(PlainDelimited.read(plain, InteractionFiles.rowFormat(plain, FileOptions.DEFAULT), 1, 16));
        Path gz = write("plain.csv.gz", ""); // compressed files are never cut into ranges: the name alone decides
        assertNull(PlainDelimited.read(gz, InteractionFiles.rowFormat(plain, FileOptions.DEFAULT), 1, 16));
    }

    @Test
    void malformedLinesKeepTheGeneralPathsMessages() throws IOException {
        String rows = "1,10\n2,20\n".repeat(40);
        Path fields = write("fields.csv", "user,item\n" + rows + "3,30,7\n" + rows);
        Path empty = write("empty.csv", "user,item\n" + rows + "3,\n");
        Path badRating = write("rating.csv", "user,item,rating\n1,2,5\n1,3,abc\n");
        Path minusZero = write("minusZero.csv", "user,item,rating\n1,2,5\n1,3,-0\n");
        for (Path f : List.of(fields, empty, badRating, minusZero)) {
            String expected = f == minusZero ? null : assertThrows(MalformedDataException.class,
                    () -> InteractionFiles.loadGeneral(f, FileOptions.DEFAULT, null)).getMessage();
            if (expected != null) {
                assertEquals(expected, assertThrows(MalformedDataException.class, () -> InteractionFiles.load(f, FileOptions.DEFAULT))
                        .getMessage());
            }
        }
        assertTrue(assertThrows(MalformedDataException.class, () -> InteractionFiles.load(fields, FileOptions.DEFAULT)).getMessage()
                .startsWith(fields + ":82: expected 2 fields"));
        FileOptions skipOne = new FileOptions(null, FileOptions.Layout.AUTO, null, null, null, null, Double.NaN, 0, 0, false, 1);
        InteractionFiles.Loaded skipped = InteractionFiles.load(fields, skipOne);
        assertEquals(1, skipped.report().badLinesSkipped());
        assertEquals(161, skipped.report().rowsRead());
        assertEquals(skipped.report(), InteractionFiles.loadGeneral(fields, skipOne, null).report());
    }

    @Test
    void canonicalIntegersAreNumbersAndEveryOtherIdIsText() {
        byte[] b = "0 7 -3 123456789012345678 1234567890123456789 007 -0 +5 1e3 - ".getBytes(StandardCharsets.US_ASCII);
        List<Long> got = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= b.length; i++) {
            if (i == b.length || b[i] == ' ') {
                got.add(PlainDelimited.number(b, start, i));
                start = i + 1;
            }
        }
        long none = Long.MIN_VALUE;
        assertEquals(List.of(0L, 7L, -3L, 123456789012345678L, none, none, none, none, none, none, none), got);
    }
}
