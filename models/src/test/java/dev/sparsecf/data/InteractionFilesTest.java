package dev.sparsecf.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InteractionFilesTest {

    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    private static FileOptions options(double minRating, int minUser, int minItem, boolean kCore, long maxBad) {
        return new FileOptions(null, FileOptions.Layout.AUTO, null, null, null, null, minRating, minUser, minItem, kCore, maxBad);
    }

    /** The "user item" pairs of {@code x} by original id, in index order. */
    private static List<String> pairs(Interactions x) {
        List<String> out = new ArrayList<>();
        for (int u = 0; u < x.numUsers(); u++) {
            for (int p = x.rowStart(u); p < x.rowEnd(u); p++) {
                out.add(x.users().id(u) + " " + x.items().id(x.item(p)));
            }
        }
        return out;
    }

    private static List<String> load(Path file, FileOptions o) throws IOException {
        return pairs(InteractionFiles.load(file, o).positives());
    }

    private static List<String> load(Path file) throws IOException {
        return load(file, FileOptions.DEFAULT);
    }

    @Test
    void headerColumnsAreFoundByCommonNamesInAnyOrderWithStringIds() throws IOException {
        Path f = write("clicks.csv", "timestamp,movieId,userId,rating\n9,m1,alice,5\n9,m2,alice,2\n9,m1,bob,4\n");
        assertEquals(List.of("alice m1", "alice m2", "bob m1"), load(f));
        assertEquals(List.of("alice m1", "bob m1"), load(f, options(4, 0, 0, false, 0)));
        InteractionFiles.Report r = InteractionFiles.load(f, options(4, 0, 0, false, 0)).report();
        assertEquals(3, r.rowsRead());
        assertEquals(1, r.belowMinRating());
        assertTrue(r.layout().contains("user 'userId', item 'movieId', rating 'rating', time 'timestamp'"), r.layout());
    }

    @Test
    void bomCrlfAndQuotedFieldsAreRead() throws IOException {
        Path f = dir.resolve("quoted.csv");
        Files.write(f, ("\uFEFFuser_id,item_id\r\n\"smith,j\",\"a\"\"b\"\"\"\r\n\"x\",y\r\n").getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of("smith,j a\"b\"", "x y"), load(f));
        Path spaced = write("spaced.csv", "user,item\n\"j smith\",i1\n");
        assertEquals(spaced + ":2: column 'user': 'j smith' contains whitespace, which an id may not",
                assertThrows(MalformedDataException.class, () -> load(spaced)).getMessage());
    }

    @Test
    void gzipFilesAreDecompressed() throws IOException {
        Path f = dir.resolve("clicks.tsv.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(f))) {
            out.write("user\titem\nu1\ti1\nu2\ti1\n".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(List.of("u1 i1", "u2 i1"), load(f));
    }

    @Test
    void recBoleTypedHeadersAreReadAsTheirNames() throws IOException {
        Path f = write("ml.inter", "user_id:token\titem_id:token\trating:float\ttimestamp:float\n1\t10\t5\t1\n2\t10\t3\t2\n");
        assertEquals(List.of("1 10"), load(f, options(4, 0, 0, false, 0)));
        Path bad = write("bad.inter", "user_id:token\titem_id:token\trating:float\n1\t10\tfive\n");
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> load(bad));
        assertEquals(bad + ":2: column 'rating': 'five' is not a number", e.getMessage());
    }

    @Test
    void everySeparatorIsDetectedWithOrWithoutHeader() throws IOException {
        for (String sep : List.of(",", "\t", ";", "|", "::", " ", "  \t ")) {
            Path f = write("s.txt", "u1" + sep + "i1" + sep + "4\nu2" + sep + "i2" + sep + "1\n");
            assertEquals(List.of("u1 i1"), load(f, options(4, 0, 0, false, 0)), "separator '" + sep + "'");
            Path h = write("h.txt", "user" + sep + "item\nu1" + sep + "i1\n");
            assertEquals(List.of("u1 i1"), load(h), "separator '" + sep + "' with a header");
        }
    }

    @Test
    void aGivenSeparatorWinsOverDetection() throws IOException {
        Path f = write("semi.txt", "u,1;i,1\n");
        assertEquals(List.of("u,1 i,1"), load(f, new FileOptions(";", FileOptions.Layout.AUTO, null, null, null, null, Double.NaN, 0, 0, false, 0)));
        assertEquals(";", new FileOptions("semicolon", FileOptions.Layout.AUTO, null, null, null, null, Double.NaN, 0, 0, false, 0).separator());
        assertThrows(IllegalArgumentException.class,
                () -> new FileOptions("#", FileOptions.Layout.AUTO, null, null, null, null, Double.NaN, 0, 0, false, 0));
    }

    @Test
    void namedColumnsOverrideCommonNames() throws IOException {
        Path f = write("named.csv", "who,what,stars,user\nu1,i1,5,ignored\nu2,i2,1,ignored\n");
        FileOptions o = new FileOptions(null, FileOptions.Layout.AUTO, "who", "what", "stars", null, 4, 0, 0, false, 0);
        assertEquals(List.of("u1 i1"), load(f, o));
        FileOptions missing = new FileOptions(null, FileOptions.Layout.AUTO, "customer", "what", null, null, Double.NaN, 0, 0, false, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> load(f, missing));
        assertEquals("--user-col 'customer' is not a column of " + f + " ('who', 'what', 'stars', 'user')", e.getMessage());
    }

    @Test
    void aHeaderWithoutTheNeededColumnsIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> load(write("nouser.csv", "a,item,rating\n1,2,3\n")));
        assertEquals(dir.resolve("nouser.csv") + ": the header 'a', 'item', 'rating' names no user column; name it with --user-col",
                e.getMessage());
    }

    @Test
    void adjacencyListsAreDetectedOrForced() throws IOException {
        Path f = write("train.txt", "0 5 6 7\n1 5\n2\n");
        assertEquals(List.of("0 5", "0 6", "0 7", "1 5"), load(f));
        assertTrue(InteractionFiles.load(f, FileOptions.DEFAULT).report().layout().startsWith("adjacency"));
        // three fields on every line read as user item rating unless told otherwise
        Path even = write("even.txt", "0 5 6\n1 6 7\n");
        assertEquals(List.of("0 5", "1 6"), load(even));
        FileOptions adjacency = new FileOptions(null, FileOptions.Layout.ADJACENCY, null, null, null, null, Double.NaN, 0, 0, false, 0);
        assertEquals(List.of("0 5", "0 6", "1 6", "1 7"), load(even, adjacency));
    }

    @Test
    void minRatingKeepsEveryRowWhenThereIsNoRatingColumn() throws IOException {
        Path f = write("plain.csv", "user,item\nu1,i1\nu2,i2\n");
        assertEquals(List.of("u1 i1", "u2 i2"), load(f, options(4, 0, 0, false, 0)));
    }

    @Test
    void repeatedPairsKeepTheirHighestRating() throws IOException {
        Path f = write("dup.csv", "user,item,rating\nu1,i1,5\nu1,i1,1\nu2,i1,2\n");
        InteractionFiles.Loaded x = InteractionFiles.load(f, options(4, 0, 0, false, 0));
        assertEquals(List.of("u1 i1"), pairs(x.positives()));
        assertEquals(1, x.report().duplicatesMerged());
        assertEquals(1, x.report().belowMinRating());
    }

    @Test
    void countFiltersRunOnceAndKCoreRepeatsUntilStable() throws IOException {
        // one pass drops only u4 (one item); repeating then drops i3 (left with u5), u5 (left with i4), i4, then u6
        Path f = write("core.csv", "user,item\nu1,i1\nu1,i2\nu2,i1\nu2,i2\nu3,i1\nu3,i2\nu4,i3\nu5,i3\nu5,i4\nu6,i4\nu6,i1\n");
        InteractionFiles.Loaded once = InteractionFiles.load(f, options(Double.NaN, 2, 2, false, 0));
        assertEquals(0, once.report().droppedByItemRule());
        assertEquals(1, once.report().droppedByUserRule());
        assertEquals(10, once.positives().size());
        InteractionFiles.Loaded core = InteractionFiles.load(f, options(Double.NaN, 2, 2, true, 0));
        assertEquals(List.of("u1 i1", "u1 i2", "u2 i1", "u2 i2", "u3 i1", "u3 i2"), pairs(core.positives()));
        assertEquals(2, core.report().droppedByItemRule());
        assertEquals(3, core.report().droppedByUserRule());
    }

    @Test
    void aBadValueNamesFileLineColumnAndValue() throws IOException {
        Path f = write("clicks.csv", "user,item,rating\nu1,i1,5\nu2,i2,abc\nu3,i3,\n");
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> load(f));
        assertEquals(f + ":3: column 'rating': 'abc' is not a number", e.getMessage());
        assertEquals(3, e.line());
        InteractionFiles.Loaded skipped = InteractionFiles.load(f, options(Double.NaN, 0, 0, false, 2));
        assertEquals(2, skipped.report().badLinesSkipped());
        assertEquals(List.of("u1 i1"), pairs(skipped.positives()));
        IOException over = assertThrows(IOException.class, () -> load(f, options(Double.NaN, 0, 0, false, 1)));
        assertEquals(f + ":4: column 'rating': '' is not a number (malformed line 2, above --max-bad-lines 1)", over.getMessage());
    }

    @Test
    void aWrongFieldCountAndAnUnclosedQuoteAreMalformedLines() throws IOException {
        Path f = dir.resolve("short.csv");
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> load(Files.writeString(f, "user,item,rating\nu1,i1\n")));
        assertTrue(e.getMessage().startsWith(f + ":2: expected 3 fields (comma-separated, as the header), found 2"), e.getMessage());
        Path q = dir.resolve("quote.csv");
        MalformedDataException quote = assertThrows(MalformedDataException.class, () -> load(Files.writeString(q, "user,item\n\"u1,i1\n")));
        assertEquals(2, quote.line());
        Path headerless = dir.resolve("quote.txt");
        Files.writeString(headerless, "u1,i1\n\"u2,i2\nu3,i3\n");
        MalformedDataException second = assertThrows(MalformedDataException.class, () -> load(headerless));
        assertEquals(2, second.line());
        assertEquals(headerless + ":2: a quoted field opened on this line is not closed before the end of the file: \"\"u2,i2\\nu3,i3\"",
                second.getMessage());
        // not skipped under --max-bad-lines: the open quote took the rest of the file into its record
        assertEquals(second.getMessage(), assertThrows(MalformedDataException.class,
                () -> load(headerless, options(Double.NaN, 0, 0, false, 1))).getMessage());
    }

    @Test
    void quotedFieldsMaySpanLinesAndErrorsNameTheLineTheirRecordStarts() throws IOException {
        Path f = write("multi.csv", "user,item,comment,rating\n"
                + "u1,i1,\"two\nlines\",5\n" // lines 2-3
                + "u2,i2,\"a \"\"quoted\"\"\r\n, and\n\nblank\",4\n" // 4-7, CRLF and a blank line inside
                + "u3,i3,plain,3\n" // 8
                + "u4,i4,\"bad\nrating\",abc\n" // 9-10
                + "u5,i5,x,1\n" // 11
                + "u6,i6,\"y\",zz\n"); // 12
        assertEquals(f + ":9: column 'rating': 'abc' is not a number",
                assertThrows(MalformedDataException.class, () -> load(f)).getMessage());
        assertEquals(f + ":12: column 'rating': 'zz' is not a number (malformed line 2, above --max-bad-lines 1)",
                assertThrows(IOException.class, () -> load(f, options(Double.NaN, 0, 0, false, 1))).getMessage());
        InteractionFiles.Loaded two = InteractionFiles.load(f, options(Double.NaN, 0, 0, false, 2));
        assertEquals(List.of("u1 i1", "u2 i2", "u3 i3", "u5 i5"), pairs(two.positives()));
        assertEquals(6, two.report().rowsRead(), "one row per record, not per line");
        assertEquals(2, two.report().badLinesSkipped());

        // an id with a line break: the message shows it as \n and stays one line
        Path id = write("id.csv", "user,item\nu1,i1\n\"j\nsmith\",i2\n");
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> load(id));
        assertEquals(id + ":3: column 'user': 'j\\nsmith' contains whitespace, which an id may not", e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    /** Records are read ahead in batches: errors still come in file order, counted across batches, and the end's last. */
    @Test
    void errorsOfALargeFileComeInFileOrder() throws IOException {
        StringBuilder sb = new StringBuilder("user,item,rating\n");
        for (int t = 2; t <= 20_000; t++) {
            sb.append(t == 5_000 ? "u,i,abc" : t == 12_000 ? "u,\"i" : "u" + t % 97 + ",i" + t % 89 + ",1").append('\n');
        }
        Path f = write("large.csv", sb.toString());
        assertEquals(f + ":5000: column 'rating': 'abc' is not a number",
                assertThrows(MalformedDataException.class, () -> load(f)).getMessage());
        assertTrue(assertThrows(MalformedDataException.class, () -> load(f, options(Double.NaN, 0, 0, false, 1))).getMessage()
                .startsWith(f + ":12000: a quoted field opened on this line is not closed before the end of the file"));
        Path g = write("large-bad.csv", sb.toString().replace("u,\"i", "u,i,x"));
        InteractionFiles.Loaded two = InteractionFiles.load(g, options(Double.NaN, 0, 0, false, 2));
        assertEquals(19_999, two.report().rowsRead());
        assertEquals(2, two.report().badLinesSkipped());
        assertEquals(g + ":12000: column 'rating': 'x' is not a number (malformed line 2, above --max-bad-lines 1)",
                assertThrows(IOException.class, () -> load(g, options(Double.NaN, 0, 0, false, 1))).getMessage());
    }

    /** The split of quote-free lines without Jackson gives Jackson's fields, empty and spaced ones included. */
    @Test
    void plainLinesSplitAsJacksonSplitsThem() throws IOException {
        for (char sep : new char[] {',', '\t', ';', '|'}) {
            ObjectReader jackson = new CsvMapper().readerFor(String[].class).with(CsvSchema.emptySchema().withColumnSeparator(sep));
            for (String line : List.of("a,b", "a,,b", ",a", "a,", ",", " a , b ", "a\tb;c|d", "x", "é,ü", "a b,c d e", "#c,d", "a\\,b")) {
                String l = line.replace(',', sep == ',' ? ',' : sep);
                assertTrue(InteractionFiles.RowFormat.plain(l), l);
                assertEquals(List.of((String[]) jackson.readValue(l)), List.of(InteractionFiles.RowFormat.splitAt(l, sep)), "'" + l + "' at " + sep);
            }
        }
        assertFalse(InteractionFiles.RowFormat.plain("a,\"b\""));
        assertFalse(InteractionFiles.RowFormat.plain("a\rb"));
    }

    @Test
    void knownItemsSkipAndCountOtherItemsOrWithStrictNameTheirLine() throws IOException {
        Path f = write("history.tsv", "user\titem\trating\nnew1\ti1\t5\nnew1\tghost\t5\nnew2\tghost\t4\nnew2\ti2\t1\n"
                + "new3\tspook\t5\n");
        KnownItems known = new KnownItems(IdMap.of("i1", "i2", "i3"), false);
        Interactions x = InteractionFiles.load(f, options(4, 0, 0, false, 0), known).positives();
        assertEquals(List.of("new1 i1"), pairs(x), "new2's only known item is below 4; new3 knows none");
        assertEquals(3, known.pairsSkipped());
        assertEquals(2, known.unknownItems());
        assertEquals("'ghost' on line 3", known.first());
        assertEquals(f + ":3: column 'item': 'ghost' is not an item of the model (--strict)", assertThrows(
                MalformedDataException.class, () -> InteractionFiles.load(f, FileOptions.DEFAULT,
                        new KnownItems(IdMap.of("i1", "i2"), true))).getMessage());
        Path lists = write("history.txt", "new1 i1 ghost i2\nnew2 i3\n");
        KnownItems adjacency = new KnownItems(IdMap.of("i1", "i2", "i3"), false);
        assertEquals(List.of("new1 i1", "new1 i2", "new2 i3"), pairs(InteractionFiles.load(lists, FileOptions.DEFAULT, adjacency)
                .positives()));
        assertEquals(1, adjacency.pairsSkipped());
        assertEquals(lists + ":1: column 'item 2': 'ghost' is not an item of the model (--strict)", assertThrows(
                MalformedDataException.class, () -> InteractionFiles.load(lists, FileOptions.DEFAULT,
                        new KnownItems(IdMap.of("i1", "i2"), true))).getMessage());
    }

    @Test
    void emptyHeaderOnlyAndFilteredAwayFilesHaveTheirOwnMessages() throws IOException {
        Path empty = write("empty.csv", "\n\n");
        assertEquals(empty + ": the file is empty", assertThrows(IOException.class, () -> load(empty)).getMessage());
        Path headerOnly = write("header.csv", "user,item\n");
        assertEquals(headerOnly + ": a header but no data lines", assertThrows(IOException.class, () -> load(headerOnly)).getMessage());
        Path low = write("low.csv", "user,item,rating\nu1,i1,1\n");
        assertEquals(low + ": no positive left after the rule rating >= 4 (1 rows read)",
                assertThrows(IOException.class, () -> load(low, options(4, 0, 0, false, 0))).getMessage());
    }

    /** A built-in dataset's rows written as a CSV give the same positives and split as the dataset name. */
    @Test
    void aDatasetWrittenAsCsvLoadsAsTheDataset() throws IOException {
        Path dataDir = dir.resolve("data");
        Files.createDirectories(dataDir.resolve("ml-100k"));
        StringBuilder udata = new StringBuilder();
        StringBuilder csv = new StringBuilder("userId,movieId,rating,timestamp\n");
        SplittableRandom rng = new SplittableRandom(7);
        for (int u = 1; u <= 300; u++) {
            for (int i = 1; i <= 60; i++) {
                if (rng.nextInt(4) == 0) {
                    int rating = 1 + rng.nextInt(5);
                    udata.append(u).append('\t').append(i).append('\t').append(rating).append('\t').append(880000000 + i).append('\n');
                    csv.append(u).append(',').append(i).append(',').append(rating).append(',').append(880000000 + i).append('\n');
                }
            }
        }
        Files.writeString(dataDir.resolve("ml-100k").resolve("u.data"), udata);
        Interactions named = Datasets.load("ml-100k", dataDir);
        Interactions fromFile = InteractionFiles.load(write("ratings.csv", csv.toString()), options(4, 0, 0, false, 0)).positives();
        assertEquals(pairs(named), pairs(fromFile));
        assertEquals(named.users().size(), fromFile.users().size());
        assertEquals(named.items().size(), fromFile.items().size());
        SplitConfig config = SplitConfig.defaults(0).withHeldOutUsers(30, 30);
        assertEquals(DataSplit.create(named, config).export(dir.resolve("a")), DataSplit.create(fromFile, config).export(dir.resolve("b")));
    }
}
