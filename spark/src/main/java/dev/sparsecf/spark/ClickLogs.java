package dev.sparsecf.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import dev.sparsecf.data.FileOptions;
import dev.sparsecf.data.InteractionFiles;
import dev.sparsecf.data.MalformedDataException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Reads a click log into rows {@code (user, item, rating, bad_part, bad_index, bad_text)}: the delimited files of
 * the single-node loader, parsed line by line with its rules ({@link InteractionFiles.RowFormat}), or Parquet with
 * the same column-name rules. A malformed line becomes a row with null ids that says where it was (partition and
 * position in it), so its line number is only worked out when it has to be reported.
 */
public final class ClickLogs {

    /** The columns of {@link #read}; {@code rating} is NaN without a rating column. */
    public static final StructType SCHEMA = new StructType()
            .add("user", DataTypes.StringType).add("item", DataTypes.StringType).add("rating", DataTypes.FloatType)
            .add("bad_part", DataTypes.IntegerType).add("bad_index", DataTypes.LongType).add("bad_text", DataTypes.StringType);

    /** What was read and how. */
    public record Read(Dataset<Row> rows, String layout, boolean hasRating, InteractionFiles.RowFormat format, JavaRDD<String> lines) {
    }

    private ClickLogs() {
    }

    /** Whether {@code file} is Parquet: a {@code .parquet} file, or a directory holding one (as Spark writes them). */
    public static boolean isParquet(Path file) throws IOException {
        if (!Files.isDirectory(file)) {
            return parquetName(file);
        }
        try (Stream<Path> s = Files.list(file)) {
            return s.anyMatch(ClickLogs::parquetName);
        }
    }

    private static boolean parquetName(Path file) {
        return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".parquet");
    }

    /**
     * The rows of {@code file} by {@code options}.
     *
     * @throws IllegalArgumentException when an option does not fit the file, or the file holds adjacency lists
     * @throws IOException              for an unreadable or empty file, or a first line that fits no layout
     */
    public static Read read(SparkSession spark, Path file, FileOptions options) throws IOException {
        if (!Files.exists(file)) {
            throw new IOException(file + ": no such file");
        }
        return isParquet(file) ? parquet(spark, file, options) : delimited(spark, file, options);
    }

    private static Read delimited(SparkSession spark, Path file, FileOptions options) throws IOException {
        InteractionFiles.RowFormat format = InteractionFiles.rowFormat(file, options);
        if (format.adjacency()) {
            throw new IllegalArgumentException(file + ": adjacency lists (user item item ...) are read by the single-node"
                    + " loader only; spark prepare reads rows of pairs (" + format.describe() + ")");
        }
        JavaRDD<String> lines = JavaSparkContext.fromSparkContext(spark.sparkContext()).textFile(file.toUri().toString());
        String name = file.toString();
        boolean header = format.hasHeader();
        JavaRDD<Row> rows = lines.mapPartitionsWithIndex((part, it) -> parse(part, it, name, format, header), true);
        return new Read(spark.createDataFrame(rows, SCHEMA), format.describe(), format.hasRating(), format, lines);
    }

    /** One partition's lines as rows; the first partition skips a BOM and the header. */
    private static Iterator<Row> parse(int part, Iterator<String> lines, String file, InteractionFiles.RowFormat format,
                                       boolean header) {
        Path path = Path.of(file);
        return new Iterator<>() {
            long index = -1;
            boolean headerPending = part == 0 && header;
            Row next = advance();

            private Row advance() {
                while (lines.hasNext()) {
                    String line = lines.next();
                    index++;
                    if (part == 0 && index == 0 && line.startsWith("\uFEFF")) {
                        line = line.substring(1);
                    }
                    if (line.isBlank()) {
                        continue;
                    }
                    if (headerPending) {
                        headerPending = false;
                        continue;
                    }
                    try {
                        InteractionFiles.Row r = format.parse(path, index + 1, line);
                        return RowFactory.create(r.user(), r.item(), r.rating(), null, null, null);
                    } catch (MalformedDataException e) {
                        return RowFactory.create(null, null, Float.NaN, part, index, line);
                    }
                }
                return null;
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public Row next() {
                Row r = next;
                next = advance();
                return r;
            }
        };
    }

    private static Read parquet(SparkSession spark, Path file, FileOptions options) {
        Dataset<Row> in = spark.read().parquet(file.toString());
        String[] names = in.columns();
        int[] c = InteractionFiles.headerColumns(file, names, options);
        Column user = col(names[c[0]]).cast(DataTypes.StringType);
        Column item = col(names[c[1]]).cast(DataTypes.StringType);
        Column rating = c[2] < 0 ? lit(Float.NaN) : col(names[c[2]]).cast(DataTypes.FloatType);
        // null ids or ratings, empty ids and non-finite ratings are malformed rows, as in a delimited file
        Column bad = user.isNull().or(item.isNull()).or(user.equalTo("")).or(item.equalTo(""))
                .or(user.rlike("\\s")).or(item.rlike("\\s")); // the split's export writes ids as tokens
        if (c[2] >= 0) {
            bad = bad.or(rating.isNull()).or(rating.isNaN()).or(rating.equalTo(Float.POSITIVE_INFINITY))
                    .or(rating.equalTo(Float.NEGATIVE_INFINITY));
        }
        List<Column> text = new ArrayList<>();
        for (String n : names) {
            text.add(col(n).cast(DataTypes.StringType));
        }
        Dataset<Row> rows = in.select(
                when(bad, lit(null)).otherwise(user).as("user"),
                when(bad, lit(null)).otherwise(item).as("item"),
                when(bad, lit(Float.NaN)).otherwise(rating).cast(DataTypes.FloatType).as("rating"),
                when(bad, lit(-1)).cast(DataTypes.IntegerType).as("bad_part"),
                lit(null).cast(DataTypes.LongType).as("bad_index"),
                when(bad, org.apache.spark.sql.functions.concat_ws(",", text.toArray(Column[]::new))).as("bad_text"));
        StringBuilder layout = new StringBuilder("Parquet; user '" + names[c[0]] + "', item '" + names[c[1]] + "'");
        if (c[2] >= 0) {
            layout.append(", rating '").append(names[c[2]]).append('\'');
        }
        return new Read(rows, layout.toString(), c[2] >= 0, null, null);
    }
}
