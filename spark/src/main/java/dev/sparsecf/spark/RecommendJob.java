package dev.sparsecf.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.trim;

import dev.sparsecf.data.DataSplit;
import dev.sparsecf.data.IdMap;
import dev.sparsecf.kernels.CsrMatrix;
import dev.sparsecf.kernels.DenseMatrix;
import dev.sparsecf.kernels.Kernels;
import dev.sparsecf.models.ModelFile;
import dev.sparsecf.models.ease.EaseModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.function.Consumer;
import org.apache.spark.SparkFiles;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code spark recommend}: the top-K unseen items of every user of a prepared split (training, validation and test
 * users, each with all their training-item positives as history), partitioned by user. Each task loads the
 * single-node model file once per executor JVM and scores its users in batches with {@link EaseModel#score} and
 * {@link Kernels#topK}, as {@code sparsecf recommend --users all} does: the same items, order and scores.
 */
public final class RecommendJob {

    /** Output columns: one row per recommended item. */
    public static final StructType SCHEMA = new StructType().add("user", DataTypes.StringType).add("rank", DataTypes.IntegerType)
            .add("item", DataTypes.StringType).add("score", DataTypes.FloatType);

    private RecommendJob() {
    }

    /**
     * Writes the recommendations of every user of {@code split}, or of those listed in {@code usersFile} (one id per
     * line, blank lines skipped; ids the split lacks counted and reported) when it is not null, to {@code out}:
     * Parquet, or CSV with a header when {@code csv}. Returns the users scored.
     */
    public static long run(SparkSession spark, Path split, Path model, Path usersFile, int k, boolean csv, Path out, boolean force,
                           Consumer<String> progress) throws IOException {
        PrepareJob.requireComplete(split);
        CommittedDir target = CommittedDir.begin(out, force);
        try {
            spark.sparkContext().addFile(model.toAbsolutePath().toString());
            String name = model.getFileName().toString();
            // which model file this is, beyond its name: an executor JVM outlives a session (local mode, tests)
            String version = model.toAbsolutePath() + "@" + Files.getLastModifiedTime(model).toMillis() + "+" + Files.size(model);
            Dataset<Row> histories = histories(spark, split);
            if (usersFile != null) {
                histories = listed(spark, histories, usersFile, progress);
            }
            JavaRDD<Row> recs = histories.javaRDD().mapPartitions(users -> score(users, name, version, k));
            Dataset<Row> df = spark.createDataFrame(recs, SCHEMA);
            Path data = target.dir().resolve("recommendations");
            if (csv) {
                df.withColumn("score", org.apache.spark.sql.functions.udf((Float f) -> Float.toString(f), DataTypes.StringType)
                        .apply(col("score"))).write().option("header", "true").csv(data.toString());
            } else {
                df.write().parquet(data.toString());
            }
            long users = histories.count();
            progress.accept(String.format(Locale.ROOT, "recommended %d items to each of %,d users", k, users));
            target.commit();
            return users;
        } catch (IOException | RuntimeException e) {
            target.abandon();
            throw e;
        }
    }

    /** The histories of the users {@code file} lists (as {@code sparsecf recommend --users FILE} reads it). */
    private static Dataset<Row> listed(SparkSession spark, Dataset<Row> histories, Path file, Consumer<String> progress)
            throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("--users " + file + ": no such file");
        }
        Dataset<Row> ids = spark.read().textFile(file.toString())
                .select(trim(regexp_replace(col("value"), "^\uFEFF", "")).as("id")).filter(col("id").notEqual("")).distinct();
        Dataset<Row> unknown = ids.join(histories, ids.col("id").equalTo(histories.col("user")), "left_anti");
        long missing = unknown.count();
        if (missing > 0) {
            progress.accept(String.format(Locale.ROOT, "skipped %,d users of %s who are not in the split (first: '%s')", missing, file,
                    unknown.orderBy("id").first().getString(0)));
        }
        return histories.join(ids, histories.col("user").equalTo(ids.col("id")), "left_semi");
    }

    /** Every user of the split with their training-item indices, ascending: {@code (user, items)}. */
    public static Dataset<Row> histories(SparkSession spark, Path split) {
        Path parquet = split.resolve(PrepareJob.PARQUET_DIR);
        Dataset<Row> all = null;
        for (String f : new String[] {DataSplit.TRAIN_FILE, DataSplit.VALIDATION_FOLD_IN_FILE, DataSplit.VALIDATION_EVAL_FILE,
            DataSplit.TEST_FOLD_IN_FILE, DataSplit.TEST_EVAL_FILE}) {
            Dataset<Row> part = spark.read().parquet(parquet.resolve(f.substring(0, f.length() - 4)).toString()).select("user", "item_index");
            all = all == null ? part : all.union(part);
        }
        // held-out users with no training item still get recommendations: they are in the users files
        Dataset<Row> users = spark.read().textFile(split.resolve(DataSplit.VALIDATION_USERS_FILE).toString(),
                split.resolve(DataSplit.TEST_USERS_FILE).toString()).toDF("user");
        Dataset<Row> grouped = all.groupBy("user").agg(sort_array(collect_set("item_index")).as("items"));
        return users.join(grouped, users.col("user").equalTo(grouped.col("user")), "left_anti")
                .selectExpr("user", "cast(array() as array<int>) as items").union(grouped);
    }

    /** The model file loaded once per executor JVM (tasks of one job share it), known by its path, time and size. */
    private static final class Loaded {
        private static String loaded;
        private static ModelFile.LoadedEase model;

        static synchronized ModelFile.LoadedEase get(String file, String version) throws IOException {
            if (!version.equals(loaded)) {
                if (model != null) {
                    model.close();
                }
                ModelFile.Loaded l = ModelFile.load(Path.of(SparkFiles.get(file)), Kernels.get());
                if (!(l instanceof ModelFile.LoadedEase ease)) {
                    l.close();
                    throw new IllegalArgumentException("--model " + file + ": spark recommend scores EASE models; this is a Mult-VAE");
                }
                model = ease;
                loaded = version;
            }
            return model;
        }
    }

    /** A partition's users' recommendations, one batch of users scored at a time as the rows are consumed. */
    private static Iterator<Row> score(Iterator<Row> users, String file, String version, int k) throws IOException {
        ModelFile.LoadedEase loaded = Loaded.get(file, version);
        Kernels kernels = Kernels.get();
        int batch = loaded.model().batchRows();
        return new Iterator<>() {
            private final List<Row> rows = new ArrayList<>();
            private int next;

            @Override
            public boolean hasNext() {
                if (next < rows.size()) {
                    return true;
                }
                rows.clear();
                next = 0;
                List<String> ids = new ArrayList<>(batch);
                List<int[]> seen = new ArrayList<>(batch);
                while (ids.size() < batch && users.hasNext()) {
                    Row r = users.next();
                    List<Integer> l = r.getList(1);
                    ids.add(r.getString(0));
                    seen.add(l.stream().mapToInt(Integer::intValue).toArray());
                }
                if (!ids.isEmpty()) {
                    synchronized (Loaded.class) { // the model's score buffer is one per model, tasks share the model
                        scoreBatch(loaded.model(), kernels, loaded.items(), ids, seen, k, rows);
                    }
                }
                return !rows.isEmpty();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return rows.get(next++);
            }
        };
    }

    /** Scores the users {@code ids} with histories {@code seen} and adds their top {@code k} unseen items to {@code out}. */
    private static void scoreBatch(EaseModel model, Kernels kernels, IdMap items, List<String> ids, List<int[]> seen, int k,
                                   List<Row> out) {
        int n = items.size();
        int kb = Math.min(k, n);
        int m = ids.size();
        int[] rowPtr = new int[m + 1];
        for (int r = 0; r < m; r++) {
            rowPtr[r + 1] = rowPtr[r] + seen.get(r).length;
        }
        int[] colIdx = seen.stream().flatMapToInt(Arrays::stream).toArray();
        int[] top = new int[m * kb];
        try (CsrMatrix rows = CsrMatrix.binary(m, n, rowPtr, colIdx)) {
            DenseMatrix scores = model.score(rows);
            kernels.topK(scores, rows, kb, top);
            for (int r = 0; r < m; r++) {
                int kk = Math.min(k, n - seen.get(r).length); // as sparsecf recommend: at most the unseen items
                for (int j = 0; j < kk; j++) {
                    int item = top[r * kb + j];
                    out.add(RowFactory.create(ids.get(r), j + 1, items.id(item), scores.get(r, item)));
                }
            }
        }
    }
}
