package dev.sparsecf.spark;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.udf;

import dev.sparsecf.data.DataSplit;
import dev.sparsecf.data.FileOptions;
import dev.sparsecf.data.SplitConfig;
import dev.sparsecf.data.SplitDraws;
import dev.sparsecf.models.ModelFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code spark prepare}: a click log to the held-out-user split of {@link DataSplit#create}, with the same users,
 * items and fingerprint. The log's work (parsing, merging, the count filters, the training pairs) is distributed;
 * the driver keeps what the seeded draws need: the eligible users' ids (for the shuffle), the held-out users'
 * rows (at most {@value SplitConfig#MAX_HELD_OUT_USERS} users per set) and the training items.
 */
public final class PrepareJob {

    /** Training pairs and each held-out part, as the export names them (without {@code .txt}). */
    public static final String PARQUET_DIR = "parquet";

    /**
     * The split's settings, next to its files (not among the check-summed ones), under the model file's metadata
     * keys ({@link ModelFile#DATA} etc.), which {@code spark ease} copies into the model it writes.
     */
    public static final String ABOUT_FILE = "prepare.properties";

    /** What was written. */
    public record Result(String fingerprint, String summary, String report, int validationUsers, int testUsers) {
    }

    private PrepareJob() {
    }

    /**
     * Reads {@code file}, applies {@code options} and {@code config}, and writes the split to {@code out} (atomically:
     * a sibling renamed into place). Progress lines go to {@code progress}.
     */
    public static Result run(SparkSession spark, Path file, FileOptions options, SplitConfig config, Path out, boolean force,
                             Consumer<String> progress) throws IOException {
        CommittedDir target = CommittedDir.begin(out, force);
        try {
            progress.accept("reading " + file);
            ClickLogs.Read read = ClickLogs.read(spark, file, options);
            PositiveRules.Positives p = PositiveRules.apply(file, read, options);
            progress.accept(String.format(Locale.ROOT, "%,d positives of %,d rows (%,d malformed lines skipped)",
                    p.report().positives(), p.report().rowsRead(), p.report().badLinesSkipped()));
            Result r = split(spark, p, config, target.dir(), progress);
            Properties about = new Properties();
            about.setProperty(ModelFile.DATA, file.toString());
            about.setProperty(ModelFile.SPLIT_SEED, Long.toString(config.seed()));
            about.setProperty(ModelFile.VALIDATION_USERS, Integer.toString(r.validationUsers()));
            about.setProperty(ModelFile.TEST_USERS, Integer.toString(r.testUsers()));
            about.setProperty(ModelFile.SPLIT_FINGERPRINT, r.fingerprint());
            try (var w = Files.newBufferedWriter(target.dir().resolve(ABOUT_FILE), StandardCharsets.UTF_8)) {
                about.store(w, "written by sparsecf spark prepare; read by spark ease for the model file's metadata");
            }
            target.commit();
            return new Result(r.fingerprint(), r.summary(), p.report().format(), r.validationUsers(), r.testUsers());
        } catch (IOException | RuntimeException e) {
            target.abandon();
            throw e;
        }
    }

    /**
     * Refuses a {@code --split} that {@code spark prepare} did not finish: its settings file is written last, inside
     * the temporary directory renamed into place, so a killed run's leftovers (or a partial copy) lack it.
     */
    public static void requireComplete(Path split) {
        if (!Files.isRegularFile(split.resolve(ABOUT_FILE)) || !Files.isRegularFile(split.resolve(DataSplit.CHECKSUM_FILE))) {
            throw new IllegalArgumentException("--split " + split + ": not a complete split (no " + ABOUT_FILE + " or "
                    + DataSplit.CHECKSUM_FILE + "; spark prepare writes them last, so a killed run leaves none); run spark prepare");
        }
    }

    private static Result split(SparkSession spark, PositiveRules.Positives p, SplitConfig config, Path dir,
                                Consumer<String> progress) throws IOException {
        Dataset<Row> x = p.pairs();
        boolean numericUsers = p.numericUsers();
        boolean numericItems = p.numericItems();
        Dataset<Row> eligible = x.groupBy("user").count().filter(col("count").geq(config.minUserItems())).select("user");
        String[] users = CanonicalKey.sorted(eligible.as(Encoders.STRING()).collectAsList().toArray(String[]::new), numericUsers);
        SplitDraws draws = SplitDraws.of(users.length, config, p.source());
        List<String> validationUsers = ids(users, draws.validationUsers());
        List<String> testUsers = ids(users, draws.testUsers());
        List<String> trainUsers = ids(users, draws.trainUsers());
        progress.accept(String.format(Locale.ROOT, "%,d of the users have >= %d items: %,d validation + %,d test users held out",
                users.length, config.minUserItems(), validationUsers.size(), testUsers.size()));

        List<Row> heldOutRows = new ArrayList<>();
        validationUsers.forEach(u -> heldOutRows.add(RowFactory.create(u)));
        testUsers.forEach(u -> heldOutRows.add(RowFactory.create(u)));
        Dataset<Row> heldOut = broadcast(spark.createDataFrame(heldOutRows, new StructType().add("held", DataTypes.StringType)));
        Dataset<Row> train = x.join(eligible.select(col("user").as("eligible")), col("user").equalTo(col("eligible")), "left_semi")
                .join(heldOut, col("user").equalTo(col("held")), "left_anti").localCheckpoint();
        String[] items = CanonicalKey.sorted(train.select("item").distinct().as(Encoders.STRING()).collectAsList()
                .toArray(String[]::new), numericItems);
        Map<String, Integer> itemIndex = HashMap.newHashMap(items.length);
        for (int i = 0; i < items.length; i++) {
            itemIndex.put(items[i], i);
        }
        Map<String, List<String>> heldItems = new HashMap<>();
        for (Row r : x.join(heldOut, col("user").equalTo(col("held")), "left_semi").collectAsList()) {
            if (itemIndex.containsKey(r.getString(1))) {
                heldItems.computeIfAbsent(r.getString(0), u -> new ArrayList<>()).add(r.getString(1));
            }
        }
        HeldOutParts validation = holdOut(validationUsers, heldItems, draws, numericItems);
        HeldOutParts test = holdOut(testUsers, heldItems, draws, numericItems);

        progress.accept(String.format(Locale.ROOT, "writing %,d training users' pairs over %,d items to %s", trainUsers.size(),
                items.length, dir));
        UserDefinedFunction userKey = udf((String id) -> CanonicalKey.of(id, numericUsers), DataTypes.BinaryType);
        UserDefinedFunction itemKey = udf((String id) -> CanonicalKey.of(id, numericItems), DataTypes.BinaryType);
        Dataset<Row> ordered = train.orderBy(userKey.apply(col("user")), itemKey.apply(col("item")));
        SplitExport export = new SplitExport(dir);
        long trainPairs = writePairs(export, DataSplit.TRAIN_FILE, ordered);
        export.write(DataSplit.VALIDATION_FOLD_IN_FILE, validation.foldIn);
        export.write(DataSplit.VALIDATION_EVAL_FILE, validation.eval);
        export.write(DataSplit.TEST_FOLD_IN_FILE, test.foldIn);
        export.write(DataSplit.TEST_EVAL_FILE, test.eval);
        export.write(DataSplit.ITEMS_FILE, List.of(items));
        export.write(DataSplit.TRAIN_USERS_FILE, trainUsers);
        export.write(DataSplit.VALIDATION_USERS_FILE, validationUsers);
        export.write(DataSplit.TEST_USERS_FILE, testUsers);

        Broadcast<Map<String, Integer>> indexOf = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(itemIndex);
        UserDefinedFunction index = udf((String id) -> indexOf.value().get(id), DataTypes.IntegerType);
        Path parquet = dir.resolve(PARQUET_DIR);
        ordered.withColumn("item_index", index.apply(col("item"))).write().parquet(parquet.resolve(stem(DataSplit.TRAIN_FILE)).toString());
        for (var part : Map.of(DataSplit.VALIDATION_FOLD_IN_FILE, validation.foldIn, DataSplit.VALIDATION_EVAL_FILE, validation.eval,
                DataSplit.TEST_FOLD_IN_FILE, test.foldIn, DataSplit.TEST_EVAL_FILE, test.eval).entrySet()) {
            List<Row> rows = new ArrayList<>(part.getValue().size());
            for (String line : part.getValue()) {
                int space = line.indexOf(' ');
                String item = line.substring(space + 1);
                rows.add(RowFactory.create(line.substring(0, space), item, itemIndex.get(item)));
            }
            spark.createDataFrame(rows, new StructType().add("user", DataTypes.StringType).add("item", DataTypes.StringType)
                    .add("item_index", DataTypes.IntegerType)).coalesce(1).write().parquet(parquet.resolve(stem(part.getKey())).toString());
        }
        String provenance = String.format(Locale.ROOT,
                "%s; %d of the users have >= %d items; seed %d; %d validation + %d test users held out;"
                        + " %.0f%% of each held-out user's training items evaluated (users with >= %d such items)",
                p.source(), users.length, config.minUserItems(), config.seed(), validationUsers.size(), testUsers.size(),
                100 * config.evalFraction(), config.minUserItems());
        String summary = String.format(Locale.ROOT, "  items (seen in training): %,d%n  train:      %,7d users, %,10d pairs%n",
                items.length, trainUsers.size(), trainPairs)
                + validation.summary("validation:") + test.summary("test:");
        return new Result(export.finish(provenance, summary), provenance + "\n" + summary, null, validationUsers.size(), testUsers.size());
    }

    private static String stem(String file) {
        return file.substring(0, file.length() - ".txt".length());
    }

    private static List<String> ids(String[] users, int[] ranks) {
        List<String> out = new ArrayList<>(ranks.length);
        for (int r : ranks) {
            out.add(users[r]);
        }
        return out;
    }

    /** Streams the ordered pairs to the driver into {@code name}; returns their count. */
    private static long writePairs(SplitExport export, String name, Dataset<Row> ordered) throws IOException {
        Iterator<String> lines = ordered.map((MapFunction<Row, String>) r -> r.getString(0) + " " + r.getString(1), Encoders.STRING())
                .toLocalIterator();
        long[] n = {0};
        export.write(name, new Iterator<>() {
            @Override
            public boolean hasNext() {
                return lines.hasNext();
            }

            @Override
            public String next() {
                n[0]++;
                return lines.next();
            }
        });
        return n[0];
    }

    /** A held-out set's fold-in and evaluation lines ({@code user item}) in export order. */
    private record HeldOutParts(List<String> foldIn, List<String> eval, int users, int evaluated) {
        String summary(String label) {
            return String.format(Locale.ROOT, "  %-11s %,7d users (%,d evaluated), %,10d fold-in + %,d evaluation pairs%n",
                    label, users, evaluated, foldIn.size(), eval.size());
        }
    }

    /** Draws each user's evaluation items in canonical user and item order, as {@link DataSplit#create} does. */
    private static HeldOutParts holdOut(List<String> users, Map<String, List<String>> heldItems, SplitDraws draws, boolean numericItems) {
        List<String> foldIn = new ArrayList<>();
        List<String> eval = new ArrayList<>();
        int evaluated = 0;
        for (String u : users) {
            String[] items = CanonicalKey.sorted(heldItems.getOrDefault(u, List.of()).toArray(String[]::new), numericItems);
            boolean[] mask = draws.nextEvalMask(items.length);
            boolean any = false;
            for (int t = 0; t < items.length; t++) {
                (mask[t] ? eval : foldIn).add(u + " " + items[t]);
                any |= mask[t];
            }
            evaluated += any ? 1 : 0;
        }
        return new HeldOutParts(foldIn, eval, users.size(), evaluated);
    }
}
