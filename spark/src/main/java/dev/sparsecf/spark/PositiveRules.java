package dev.sparsecf.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.sparsecf.data.FileOptions;
import dev.sparsecf.data.InteractionFiles;
import dev.sparsecf.data.Interactions;
import dev.sparsecf.data.MalformedDataException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The single-node loader's positive rule on a distributed log: repeated (user, item) pairs merged keeping the
 * highest rating ({@link Interactions#MERGE_RULE}), rows below {@code --min-rating} dropped, then the item and user
 * count filters, repeated until stable with {@code --k-core}; malformed lines counted and, past
 * {@code --max-bad-lines}, reported with the file, line and column as {@link InteractionFiles#load} reports them.
 */
public final class PositiveRules {

    /**
     * The positives {@code (user, item)} (checkpointed), their id orders and the load report; {@code userPairs}, each
     * user's positives {@code (user, count)}, when the report's pass counted them already (no rule dropped a
     * pair), else null.
     */
    public record Positives(Dataset<Row> pairs, boolean numericUsers, boolean numericItems, InteractionFiles.Report report,
                            String source, Dataset<Row> userPairs) {
    }

    private static final String INTEGER = "^-?[0-9]+$"; // IdMap.isInteger

    private PositiveRules() {
    }

    /**
     * Applies {@code options}' rule to what {@link ClickLogs#read} read from {@code file}.
     *
     * @throws IOException naming the first malformed line past {@code --max-bad-lines}, or when no positive is left
     */
    public static Positives apply(Path file, ClickLogs.Read read, FileOptions options) throws IOException {
        // one shuffle merges the repeats; malformed lines all fall into the (null, null) group
        Dataset<Row> merged = read.rows().groupBy("user", "item").agg(max("rating").as("rating"), count(lit(1)).as("n"))
                .localCheckpoint();
        // the load report from one row per user (kept: without a rule, its counts are the users' positives)
        Dataset<Row> users = merged.groupBy("user").agg(sum("n").as("rows"), count(lit(1)).as("count"),
                min(when(col("item").isNull(), lit(1)).when(col("item").rlike(INTEGER), 1).otherwise(0)).as("numericItems"))
                .localCheckpoint();
        Row t = users.agg(
                sum("rows").as("rows"),
                sum(when(col("user").isNull(), col("rows")).otherwise(0L)).as("bad"),
                sum(when(col("user").isNull(), 0L).otherwise(col("count"))).as("pairs"),
                min(when(col("user").isNull(), lit(1)).when(col("user").rlike(INTEGER), 1).otherwise(0)).as("numericUsers"),
                min("numericItems").as("numericItems"))
                .first();
        long rows = t.isNullAt(0) ? 0 : t.getLong(0);
        long bad = t.isNullAt(1) ? 0 : t.getLong(1);
        long pairs = t.isNullAt(2) ? 0 : t.getLong(2);
        if (rows == 0) {
            throw new IOException(file + ": no data lines");
        }
        if (bad > options.maxBadLines()) {
            throw badLine(file, read, options, bad);
        }
        String rule = options.describeRule();
        String source = file + (rule.isEmpty() ? "" : " (" + rule + ")");
        Dataset<Row> x = merged.filter(col("user").isNotNull()).select("user", "item");
        long size = pairs;
        // without a rating rule the pairs are read from merged's checkpoint: no second copy, no recount
        boolean readsMerged = !read.hasRating() || Double.isNaN(options.minRating());
        if (!readsMerged) {
            x = merged.filter(col("user").isNotNull()).filter(col("rating").geq((float) options.minRating())) // NaN never passes
                    .select("user", "item").localCheckpoint();
            size = x.count();
        }
        long belowRating = pairs - size;
        long byItem = 0;
        long byUser = 0;
        long before;
        do {
            before = size;
            if (options.minItemUsers() > 0 && size > 0) {
                x = keepFrequent(x, "item", options.minItemUsers());
                readsMerged = false;
                long n = x.count();
                byItem += size - n;
                size = n;
            }
            if (options.minUserPairs() > 0 && size > 0) {
                x = keepFrequent(x, "user", options.minUserPairs());
                readsMerged = false;
                long n = x.count();
                byUser += size - n;
                size = n;
            }
        } while (options.kCore() && size < before);
        if (!readsMerged) {
            merged.unpersist();
        }
        if (size == 0) {
            throw new IOException(file + ": no positive left" + (rule.isEmpty() ? "" : " after the rule " + rule)
                    + String.format(Locale.ROOT, " (%,d rows read)", rows));
        }
        InteractionFiles.Report report = new InteractionFiles.Report(read.layout(), rows, bad, rows - bad - pairs, belowRating,
                byItem, byUser, size);
        Dataset<Row> userPairs = readsMerged ? users.filter(col("user").isNotNull()).select("user", "count") : null;
        return new Positives(x, t.getInt(3) == 1, t.getInt(4) == 1, report, source, userPairs);
    }

    /** The pairs whose {@code column} value has at least {@code min} pairs (checkpointed: the k-core loop's lineage stays short). */
    private static Dataset<Row> keepFrequent(Dataset<Row> x, String column, int min) {
        Dataset<Row> keep = x.groupBy(column).count().filter(col("count").geq(min)).select(col(column).as("keep"));
        return x.join(keep, col(column).equalTo(col("keep")), "left_semi").localCheckpoint();
    }

    /**
     * The single-node loader's error for the malformed line number {@code maxBadLines + 1} in file order: the
     * line is found by its partition and position, its number from the line counts of the partitions before it.
     */
    private static IOException badLine(Path file, ClickLogs.Read read, FileOptions options, long bad) {
        List<Row> first = read.rows().filter(col("bad_part").isNotNull()).orderBy("bad_part", "bad_index")
                .offset((int) Math.min(Integer.MAX_VALUE, options.maxBadLines())).limit(1).collectAsList();
        Row r = first.getFirst();
        MalformedDataException e;
        if (read.lines() == null) { // Parquet: no lines
            e = new MalformedDataException(file, 0, r.getString(5), "a row with a null, empty or whitespace id or a null or non-finite rating");
        } else {
            int part = r.getInt(3);
            List<Long> counts = read.lines().mapPartitionsWithIndex((p, it) -> {
                long n = 0;
                if (p < part) {
                    for (; it.hasNext(); it.next()) {
                        n++;
                    }
                }
                return List.of(n).iterator();
            }, true).collect();
            long line = r.getLong(4) + 1;
            for (int p = 0; p < part; p++) {
                line += counts.get(p);
            }
            try {
                read.format().parse(file, line, r.getString(5));
                e = new MalformedDataException(file, line, r.getString(5), "malformed");
            } catch (MalformedDataException m) {
                e = m;
            }
        }
        return options.maxBadLines() == 0 ? e
                : new IOException(e.getMessage() + " (malformed line " + (options.maxBadLines() + 1) + ", above --max-bad-lines "
                + options.maxBadLines() + "; " + bad + " in all)", e);
    }
}
