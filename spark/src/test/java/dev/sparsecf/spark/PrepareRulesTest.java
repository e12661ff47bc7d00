package dev.sparsecf.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsecf.data.DataSplit;
import dev.sparsecf.data.FileOptions;
import dev.sparsecf.data.InteractionFiles;
import dev.sparsecf.data.SplitConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code spark prepare} on small generated logs against {@link InteractionFiles#load} and {@link DataSplit#create}:
 * malformed lines, a header with quoted text ids, Parquet input, and a rerun after a killed run (joining the eligible
 * users by a shuffle instead of a broadcast).
 */
class PrepareRulesTest {

    private static final SplitConfig SPLIT = SplitConfig.defaults(3).withHeldOutUsers(4, 4);

    @TempDir
    static Path tmp;

    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkSessions.start("test", "local[2]");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** A log of {@code users} users with 5-14 items of 60 each, as CSV with a header (text ids, some quoted) and ratings. */
    private static Path log(String name, int users, List<String> extraLines) throws IOException {
        Random rng = new Random(name.hashCode());
        List<String> lines = new ArrayList<>();
        lines.add("user_id,item_id,rating");
        for (int u = 0; u < users; u++) {
            int n = 5 + rng.nextInt(10);
            for (int t = 0; t < n; t++) {
                String item = "item" + rng.nextInt(60);
                lines.add((u % 7 == 0 ? "\"u" + u + "\"" : "u" + u) + "," + item + "," + (1 + rng.nextInt(5)));
            }
            if (u == users / 2) {
                lines.addAll(extraLines);
            }
        }
        Path file = tmp.resolve(name);
        Files.write(file, lines);
        return file;
    }

    private static String singleNode(Path file, FileOptions options, Path out) throws IOException {
        return DataSplit.create(InteractionFiles.load(file, options).positives(), SPLIT).export(out);
    }

    @Test
    void malformedLinesAreCountedAndTheFirstOnePastTheLimitIsNamed() throws IOException {
        Path file = log("bad.csv", 400, List.of("u1,item3,high", "u2,item4", "u5,item1,2"));
        FileOptions allow = new FileOptions(null, FileOptions.Layout.AUTO, null, null, null, null, 2, 0, 0, false, 2);
        PrepareJob.Result r = PrepareJob.run(spark, file, allow, SPLIT, tmp.resolve("bad-out"), false, line -> { });
        assertEquals(singleNode(file, allow, tmp.resolve("bad-single")), r.fingerprint());
        assertTrue(r.report().contains("malformed lines skipped (--max-bad-lines): 2"), r.report());

        FileOptions strict = new FileOptions(null, FileOptions.Layout.AUTO, null, null, null, null, 2, 0, 0, false, 1);
        IOException expected = assertThrows(IOException.class, () -> InteractionFiles.load(file, strict));
        IOException actual = assertThrows(IOException.class,
                () -> PrepareJob.run(spark, file, strict, SPLIT, tmp.resolve("bad-strict"), false, line -> { }));
        // the same file:line: column message, whichever partition the line fell into
        assertTrue(actual.getMessage().startsWith(expected.getMessage().replaceAll(" \\(malformed line.*", "")),
                actual.getMessage() + " vs " + expected.getMessage());
        assertFalse(Files.exists(tmp.resolve("bad-strict")), "a failed run leaves no output");
    }

    @Test
    void parquetInputGivesTheSplitOfTheSameRowsAsText() throws IOException {
        Path file = log("same.csv", 300, List.of());
        FileOptions rule = new FileOptions(null, FileOptions.Layout.AUTO, null, null, null, null, 3, 3, 2, true, 0);
        String expected = singleNode(file, rule, tmp.resolve("same-single"));
        List<Row> rows = new ArrayList<>();
        try (Stream<String> lines = Files.lines(file)) {
            lines.skip(1).forEach(l -> {
                String[] f = l.replace("\"", "").split(",");
                rows.add(RowFactory.create(f[0], f[1], Double.parseDouble(f[2])));
            });
        }
        Path parquet = tmp.resolve("same.parquet");
        spark.createDataFrame(rows, new StructType().add("userId", DataTypes.StringType).add("itemId", DataTypes.StringType)
                .add("rating", DataTypes.DoubleType)).write().parquet(parquet.toString());
        assertEquals(expected, PrepareJob.run(spark, parquet, rule, SPLIT, tmp.resolve("same-out"), false, line -> { }).fingerprint());
    }

    @Test
    void aRerunAfterAKilledRunWritesTheSameFilesAndRemovesTheLeftovers() throws IOException {
        Path file = log("rerun.csv", 200, List.of());
        FileOptions all = FileOptions.DEFAULT;
        Path out = tmp.resolve("rerun-out");
        String first = PrepareJob.run(spark, file, all, SPLIT, out, false, line -> { }).fingerprint();
        // what a run killed mid-way leaves: its temporary sibling, half-written
        Path left = tmp.resolve(".rerun-out.tmp-999999");
        Files.createDirectories(left.resolve("parquet"));
        Files.writeString(left.resolve(DataSplit.TRAIN_FILE), "half");
        assertThrows(IllegalArgumentException.class, () -> PrepareJob.run(spark, file, all, SPLIT, out, false, line -> { }),
                "an existing split is not replaced without force");
        // the rerun joins the eligible users by a shuffle (no broadcast at all, neither ours nor Spark's own for
        // small tables), the first run by a broadcast: the same split
        spark.conf().set(PrepareJob.BROADCAST_USERS, "0");
        spark.conf().set("spark.sql.autoBroadcastJoinThreshold", "-1");
        try {
            assertEquals(first, PrepareJob.run(spark, file, all, SPLIT, out, true, line -> { }).fingerprint());
        } finally {
            spark.conf().unset(PrepareJob.BROADCAST_USERS);
            spark.conf().unset("spark.sql.autoBroadcastJoinThreshold");
        }
        assertFalse(Files.exists(left));
        assertEquals(singleNode(file, all, tmp.resolve("rerun-single")), first);
    }
}
