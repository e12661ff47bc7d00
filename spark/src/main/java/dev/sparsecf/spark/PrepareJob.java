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
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Properties;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaSparkContext;
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

    /**
     * Spark setting: the most eligible users whose ids are broadcast to the join that keeps their pairs (roughly
     * 100 bytes a user on every executor, estimated); above it the join shuffles. Default {@value #DEFAULT_BROADCAST_USERS}.
     */
    public static final String BROADCAST_USERS = "spark.sparsecf.broadcastUsers";

    /** {@link #BROADCAST_USERS}'s default. */
    public static final long DEFAULT_BROADCAST_USERS = 2_000_000;

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
        // counted once and kept (one row per user): the driver's ids and the join read the same rows
        Dataset<Row> userPairs = p.userPairs() != null ? p.userPairs() : x.groupBy("user").count();
        Dataset<Row> eligible = userPairs.filter(col("count").geq(config.minUserItems()))
                .select(col("user").as("eligible")).localCheckpoint();
        String[] users = CanonicalKey.sorted(eligible.as(Encoders.STRING()).collectAsList().toArray(String[]::new), numericUsers);
        SplitDraws draws = SplitDraws.of(users.length, config, p.source());
        List<String> validationUsers = ids(users, draws.validationUsers());
        List<String> testUsers = ids(users, draws.testUsers());
        List<String> trainUsers = ids(users, draws.trainUsers());
        Set<String> heldOut = new HashSet<>(validationUsers);
        heldOut.addAll(testUsers);
        progress.accept(String.format(Locale.ROOT, "%,d of the users have >= %d items: %,d validation + %,d test users held out",
                users.length, config.minUserItems(), validationUsers.size(), testUsers.size()));

        // every eligible user's pairs in the export's order, sorted once and kept: the text export streams them
        // through the driver, Parquet writes the training users' part of the same rows
        boolean broadcastUsers = users.length <= spark.conf().get(BROADCAST_USERS, Long.toString(DEFAULT_BROADCAST_USERS))
                .transform(Long::parseLong);
        Dataset<Row> kept = x.join(broadcastUsers ? broadcast(eligible) : eligible, col("user").equalTo(col("eligible")), "left_semi");
        UserDefinedFunction userKey = udf((String id) -> CanonicalKey.of(id, numericUsers), DataTypes.BinaryType);
        UserDefinedFunction itemKey = udf((String id) -> CanonicalKey.of(id, numericItems), DataTypes.BinaryType);
        // the keys are columns, computed once a row: as sort expressions they would be recomputed at every comparison
        // (at 10 M clicks the sort's reduce took 1.55 times as long so, for all its 2.5 times smaller shuffle)
        Dataset<Row> ordered = kept.select(col("user"), col("item"), userKey.apply(col("user")).as("user_key"),
                        itemKey.apply(col("item")).as("item_key"))
                .orderBy("user_key", "item_key").select("user", "item").localCheckpoint();
        progress.accept(String.format(Locale.ROOT, "writing %,d training users' pairs to %s", trainUsers.size(), dir));
        SplitExport export = new SplitExport(dir);
        TrainLines train = new TrainLines(ordered.toLocalIterator(), heldOut);
        export.write(DataSplit.TRAIN_FILE, train);
        String[] items = CanonicalKey.sorted(train.items.toArray(String[]::new), numericItems);
        Map<String, Integer> itemIndex = HashMap.newHashMap(items.length);
        for (int i = 0; i < items.length; i++) {
            itemIndex.put(items[i], i);
        }
        train.heldItems.values().forEach(l -> l.removeIf(item -> !itemIndex.containsKey(item)));
        HeldOutParts validation = holdOut(validationUsers, train.heldItems, draws, numericItems);
        HeldOutParts test = holdOut(testUsers, train.heldItems, draws, numericItems);
        export.write(DataSplit.VALIDATION_FOLD_IN_FILE, validation.foldIn);
        export.write(DataSplit.VALIDATION_EVAL_FILE, validation.eval);
        export.write(DataSplit.TEST_FOLD_IN_FILE, test.foldIn);
        export.write(DataSplit.TEST_EVAL_FILE, test.eval);
        export.write(DataSplit.ITEMS_FILE, List.of(items));
        export.write(DataSplit.TRAIN_USERS_FILE, trainUsers);
        export.write(DataSplit.VALIDATION_USERS_FILE, validationUsers);
        export.write(DataSplit.TEST_USERS_FILE, testUsers);

        progress.accept(String.format(Locale.ROOT, "writing Parquet (%,d training pairs over %,d items)", train.pairs, items.length));
        Broadcast<Map<String, Integer>> indexOf = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(itemIndex);
        UserDefinedFunction index = udf((String id) -> indexOf.value().get(id), DataTypes.IntegerType);
        Path parquet = dir.resolve(PARQUET_DIR);
        // a broadcast set rather than 20,000 literals (isInCollection) for Spark to analyse and carry in every task
        Broadcast<Set<String>> held = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(heldOut);
        UserDefinedFunction training = udf((String id) -> !held.value().contains(id), DataTypes.BooleanType);
        ordered.filter(training.apply(col("user"))).withColumn("item_index", index.apply(col("item")))
                .write().parquet(parquet.resolve(stem(DataSplit.TRAIN_FILE)).toString());
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
                items.length, trainUsers.size(), train.pairs)
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

    /**
     * The training pairs' lines ({@code user item}) of the ordered pairs streamed to the driver; on the way, the
     * training items (the item index) and the held-out users' items.
     */
    private static final class TrainLines implements Iterator<String> {
        private final Iterator<Row> rows;
        private final Set<String> heldOut;
        final Set<String> items = new HashSet<>();
        final Map<String, List<String>> heldItems = new HashMap<>();
        long pairs;
        private String next;

        TrainLines(Iterator<Row> rows, Set<String> heldOut) {
            this.rows = rows;
            this.heldOut = heldOut;
        }

        @Override
        public boolean hasNext() {
            while (next == null && rows.hasNext()) {
                Row r = rows.next();
                String user = r.getString(0);
                String item = r.getString(1);
                if (heldOut.contains(user)) {
                    heldItems.computeIfAbsent(user, u -> new ArrayList<>()).add(item);
                } else {
                    items.add(item);
                    pairs++;
                    next = user + " " + item;
                }
            }
            return next != null;
        }

        @Override
        public String next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            String line = next;
            next = null;
            return line;
        }
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
