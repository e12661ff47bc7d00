package dev.sparsecf.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InteractionLoadersTest {

    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    /** Asserts that loading fails with a message naming the file, the 1-based line and the line's text. */
    private static void assertMalformed(Path file, long line, String text, Loader loader) {
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> loader.load(file));
        assertEquals(file, e.file());
        assertEquals(line, e.line());
        assertEquals(text, e.text());
        assertTrue(e.getMessage().startsWith(file + ":" + line + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("\"" + text + "\""), e.getMessage());
    }

    @FunctionalInterface
    private interface Loader {
        Interactions load(Path file) throws IOException;
    }

    /** The (user id, item id, value) triples of {@code x}, in index order. */
    private static List<String> triples(Interactions x) {
        List<String> out = new java.util.ArrayList<>();
        for (int u = 0; u < x.numUsers(); u++) {
            for (int p = x.rowStart(u); p < x.rowEnd(u); p++) {
                out.add(x.users().id(u) + " " + x.items().id(x.item(p)) + (x.hasValues() ? " " + x.value(p) : ""));
            }
        }
        return out;
    }

    @Test
    void movieLensDatReadsRatingsWithAndWithoutTimestamps() throws IOException {
        Path f = write("ratings.dat", "10::1193::5::978300760\n2::661::3\n\n10::914::4::978301968\n");
        Interactions x = InteractionLoaders.movieLensDat(f);
        // users in numeric order: 2 before 10; items of user 10 in numeric order: 914 before 1193
        assertEquals(List.of("2 661 3.0", "10 914 4.0", "10 1193 5.0"), triples(x));
    }

    @Test
    void movieLensDatRejectsMalformedLines() throws IOException {
        assertMalformed(write("a.dat", "1::2::5::1\n1::3::x::2\n"), 2, "1::3::x::2", InteractionLoaders::movieLensDat);
        assertMalformed(write("b.dat", "1::2::5::1\n\n1:3:4:2\n"), 3, "1:3:4:2", InteractionLoaders::movieLensDat);
        assertMalformed(write("c.dat", "1::2::5::yesterday\n"), 1, "1::2::5::yesterday", InteractionLoaders::movieLensDat);
        assertMalformed(write("d.dat", "1::::5\n"), 1, "1::::5", InteractionLoaders::movieLensDat);
        assertMalformed(write("e.dat", "1::2::NaN\n"), 1, "1::2::NaN", InteractionLoaders::movieLensDat);
        assertMalformed(write("f.dat", "1::2::3::4::5\n"), 1, "1::2::3::4::5", InteractionLoaders::movieLensDat);
    }

    @Test
    void movieLensCsvMapsColumnsByHeader() throws IOException {
        Path f = write("ratings.csv", "timestamp,rating,movieId,userId\n964982703,4.0,1,1\n964981247,3.5,3,1\n");
        assertEquals(List.of("1 1 4.0", "1 3 3.5"), triples(InteractionLoaders.movieLensCsv(f)));
    }

    @Test
    void movieLensCsvRejectsMissingHeaderAndRaggedRows() throws IOException {
        assertMalformed(write("noheader.csv", "1,1,4.0,964982703\n"), 1, "1,1,4.0,964982703", InteractionLoaders::movieLensCsv);
        assertMalformed(write("ragged.csv", "userId,movieId,rating,timestamp\n1,1,4.0,9\n1,3,4.0\n"), 3, "1,3,4.0",
                InteractionLoaders::movieLensCsv);
    }

    @Test
    void movieLens100kReadsTabSeparatedLines() throws IOException {
        Path f = write("u.data", "196\t242\t3\t881250949\n186\t302\t3\t891717742\n");
        assertEquals(List.of("186 302 3.0", "196 242 3.0"), triples(InteractionLoaders.movieLens100k(f)));
        assertMalformed(write("bad.data", "196\t242\t3\t881250949\n186 302 3 891717742\n"), 2, "186 302 3 891717742",
                InteractionLoaders::movieLens100k);
    }

    @Test
    void pairsAcceptWhitespaceCommaAndTabSeparators() throws IOException {
        List<String> expected = List.of("u1 i1", "u1 i2", "u2 i1");
        assertEquals(expected, triples(InteractionLoaders.pairs(write("ws.txt", "u1  i2\n u2 i1\nu1 i1 \n"), false)));
        assertEquals(expected, triples(InteractionLoaders.pairs(write("comma.csv", "u1,i2\nu2,i1\nu1,i1\n"), false)));
        assertEquals(expected, triples(InteractionLoaders.pairs(write("tab.tsv", "u1\ti2\nu2\ti1\nu1\ti1\n"), false)));
    }

    @Test
    void pairsWithHeaderValuesAndCrlfLikeLastFm() throws IOException {
        Path f = write("user_artists.dat", "userID\tartistID\tweight\r\n2\t51\t13883\r\n2\t52\t11690\r\n");
        Interactions x = InteractionLoaders.pairs(f, true);
        assertEquals(List.of("2 51 13883.0", "2 52 11690.0"), triples(x));
    }

    @Test
    void pairsRejectInconsistentLines() throws IOException {
        assertMalformed(write("three.txt", "a b 1\nc d\n"), 2, "c d", f -> InteractionLoaders.pairs(f, false));
        assertMalformed(write("one.txt", "a b\nc\n"), 2, "c", f -> InteractionLoaders.pairs(f, false));
        assertMalformed(write("four.txt", "a b 1 2\n"), 1, "a b 1 2", f -> InteractionLoaders.pairs(f, false));
        assertMalformed(write("mixed.tsv", "a\tb\nc d\n"), 2, "c d", f -> InteractionLoaders.pairs(f, false));
        assertMalformed(write("empty.csv", "a,b\n,d\n"), 2, ",d", f -> InteractionLoaders.pairs(f, false));
        assertMalformed(write("value.txt", "a b 1\nc d 1e\n"), 2, "c d 1e", f -> InteractionLoaders.pairs(f, false));
    }

    @Test
    void arbitraryStringIdsAreReindexedWithMapsBothWays() throws IOException {
        Path f = write("strings.tsv", "zoë\tbook/β\nadam\tmovie:7\nzoë\tmovie:7\n");
        Interactions x = InteractionLoaders.pairs(f, false);
        // non-numeric ids sort lexicographically (by UTF-16 code unit): "adam" < "zoë", "book/β" < "movie:7"
        assertEquals(List.of("adam", "zoë"), x.users().ids());
        assertEquals(List.of("book/β", "movie:7"), x.items().ids());
        assertEquals(1, x.users().index("zoë"));
        assertEquals("movie:7", x.items().id(x.items().index("movie:7")));
        assertEquals(-1, x.users().index("nobody"));
        assertArrayEquals(new int[] {0, 1}, x.itemsOf(1));
        assertFalse(x.hasValues());
    }

    @Test
    void numericIdsSortNumericallyAndMixedIdsLexicographically() throws IOException {
        Interactions numeric = InteractionLoaders.pairs(write("n.txt", "10 1\n9 1\n-3 1\n100 1\n"), false);
        assertEquals(List.of("-3", "9", "10", "100"), numeric.users().ids());
        Interactions mixed = InteractionLoaders.pairs(write("m.txt", "10 1\n9 1\nx 1\n"), false);
        assertEquals(List.of("10", "9", "x"), mixed.users().ids());
    }

    @Test
    void repeatedPairsAreMergedKeepingTheHighestValueInAnyLineOrder() throws IOException {
        // the later line's low rating must not hide the positive (keeping the last value gave "a b 1.0")
        Interactions x = InteractionLoaders.pairs(write("dup.txt", "a b 5\na c 2\na b 1\na b 4\n"), false);
        assertEquals(List.of("a b 5.0", "a c 2.0"), triples(x));
        assertEquals(2, x.duplicatesMerged());
        Interactions reversed = InteractionLoaders.pairs(write("rev.txt", "a b 4\na b 1\na c 2\na b 5\n"), false);
        assertEquals(triples(x), triples(reversed));
        Interactions pos = x.positives(4f, "rating >= 4");
        assertEquals(List.of("a b"), triples(pos));
        assertEquals(2, pos.duplicatesMerged(), "the positives still report the load's merges");
    }

    @Test
    void aByteOrderMarkOpeningTheFileIsNotPartOfTheFirstId() throws IOException {
        Path f = dir.resolve("bom.tsv");
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        Files.write(f, concat(bom, "u1\ti1\nu2\ti1\n".getBytes(StandardCharsets.UTF_8)));
        Interactions x = InteractionLoaders.pairs(f, false);
        assertEquals(List.of("u1", "u2"), x.users().ids());
        // a header line too: with the mark kept, "\uFEFFuserId" named no column
        Path csv = dir.resolve("bom.csv");
        Files.write(csv, concat(bom, "userId,movieId,rating\n1,7,4.0\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals(List.of("1 7 4.0"), triples(InteractionLoaders.movieLensCsv(csv)));
        // only at the start of the file: later it is a character of the id, as the file says
        Path later = write("later.tsv", "u1\ti1\n\uFEFFu2\ti1\n");
        assertEquals(List.of("u1", "\uFEFFu2"), InteractionLoaders.pairs(later, false).users().ids());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void userListsKeepUsersWithoutItemsAndMergeFiles() throws IOException {
        Path train = write("train.txt", "0 0 1 2\n1 3\n");
        Path test = write("test.txt", "0 4\n1 \n");
        Interactions.Builder b = Interactions.builder("kgat");
        InteractionLoaders.userLists(train, b);
        InteractionLoaders.userLists(test, b);
        Interactions x = b.build();
        assertEquals(List.of("0 0", "0 1", "0 2", "0 4", "1 3"), triples(x));
        Interactions onlyTest = InteractionLoaders.userLists(test);
        assertEquals(2, onlyTest.numUsers());
        assertEquals(0, onlyTest.count(onlyTest.users().index("1")));
    }

    @Test
    void countedUserListsUseTheLineNumberAsUserId() throws IOException {
        // CiteULike: no trailing newline; line 1 is user "0"
        Interactions x = InteractionLoaders.countedUserLists(write("users.dat", "2 5 7\n1 5\n3 0 1 2"));
        assertEquals(List.of("0 5", "0 7", "1 5", "2 0", "2 1", "2 2"), triples(x));
    }

    @Test
    void countedUserListsRejectWrongCountsAndBlankLines() throws IOException {
        assertMalformed(write("count.dat", "2 5 7\n2 5\n"), 2, "2 5", InteractionLoaders::countedUserLists);
        assertMalformed(write("blank.dat", "2 5 7\n\n1 5\n"), 2, "", InteractionLoaders::countedUserLists);
        assertMalformed(write("nan.dat", "two 5 7\n"), 1, "two 5 7", InteractionLoaders::countedUserLists);
    }

    @Test
    void invalidUtf8IsReportedOnItsLine() throws IOException {
        Path f = dir.resolve("latin1.txt");
        Files.write(f, new byte[] {'a', ' ', 'b', '\n', 'c', ' ', (byte) 0xE9, '\n'});
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> InteractionLoaders.pairs(f, false));
        assertEquals(2, e.line());
        assertTrue(e.getMessage().contains("UTF-8"), e.getMessage());
    }

    @Test
    void gzipFilesAreDecompressed() throws IOException {
        Path f = dir.resolve("u.data.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(f))) {
            out.write("1\t2\t5\t0\n3\t2\t4\t0\n".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(List.of("1 2 5.0", "3 2 4.0"), triples(InteractionLoaders.movieLens100k(f)));
    }

    @Test
    void longLinesAreAbbreviatedInTheMessageButKeptInFull() throws IOException {
        String longLine = "x".repeat(5000);
        Path f = write("long.txt", longLine + "\n");
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> InteractionLoaders.pairs(f, false));
        assertEquals(longLine, e.text());
        assertTrue(e.getMessage().length() < 400 + f.toString().length(), "message length " + e.getMessage().length());
    }
}
