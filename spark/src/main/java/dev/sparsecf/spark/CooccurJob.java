package dev.sparsecf.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sort_array;

import dev.sparsecf.data.DataSplit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

/**
 * {@code spark cooccur}: the item-item co-occurrence counts {@code G = X^T X} of a prepared split's training
 * users, from one pass over the users (each user's items give all pairs {@code i <= j}, counted per partition in
 * {@link PairCounts}, then summed by one shuffle), kept sparse as {@code (i, j, count)} with {@code i <= j}; and
 * with {@code --top-k} each item's K most co-occurring other items.
 *
 * <p>Very active users are counted exactly, never capped or sampled: a user with {@code n} items contributes
 * {@code n (n + 1) / 2} pairs, streamed into the partition's map (memory bounded by the map, not by {@code n^2}),
 * so their cost is time, quadratic in their item count; {@code CooccurJob.costliestUsers} in the job's report says
 * who dominates.
 */
public final class CooccurJob {

    /** Distinct pairs a task holds before it hands them to the shuffle (16 bytes each). */
    private static final int PAIRS_PER_TASK = 1 << 20;

    /** The Gram's parquet directory and the neighbours' inside the output. */
    public static final String GRAM_DIR = "gram";
    public static final String NEIGHBOURS_DIR = "neighbours";

    /** What a run computed: items, training users, distinct pairs, pair occurrences, the largest user's items. */
    public record Result(int items, long users, long pairs, long cooccurrences, long largestUser) {
    }

    private CooccurJob() {
    }

    /** Each training user's item indices, ascending, from a prepared split {@code split}. */
    public static JavaRDD<int[]> baskets(SparkSession spark, Path split) {
        Dataset<Row> train = spark.read().parquet(split.resolve(PrepareJob.PARQUET_DIR).resolve("train").toString());
        return train.groupBy("user").agg(sort_array(collect_list("item_index")).as("items")).javaRDD().map(r -> {
            List<Integer> l = r.getList(1);
            int[] a = new int[l.size()];
            for (int t = 0; t < a.length; t++) {
                a[t] = l.get(t);
            }
            return a;
        });
    }

    /** The upper triangle and diagonal of {@code X^T X}: {@code (i << 32 | j, count)}, {@code i <= j}, count >= 1. */
    public static JavaPairRDD<Long, Long> gram(JavaRDD<int[]> baskets) {
        return baskets.mapPartitionsToPair(users -> new PairStream(users, PAIRS_PER_TASK)).reduceByKey(Long::sum);
    }

    /**
     * A partition's pair counts, produced lazily: users' pairs go into a {@link PairCounts} until it is full (or
     * the users end), then its contents are handed out before counting resumes where it stopped, mid-user if need be.
     */
    private static final class PairStream implements Iterator<Tuple2<Long, Long>> {
        private final Iterator<int[]> users;
        private final PairCounts counts;
        private final long[] keys;
        private final long[] values;
        private int[] items = new int[0];
        private int a;
        private int b;
        private int filled;
        private int next;

        PairStream(Iterator<int[]> users, int maxPairs) {
            this.users = users;
            this.counts = new PairCounts(maxPairs);
            this.keys = new long[maxPairs];
            this.values = new long[maxPairs];
        }

        @Override
        public boolean hasNext() {
            if (next < filled) {
                return true;
            }
            next = 0;
            filled = 0;
            while (!counts.full()) {
                if (a == items.length) {
                    if (!users.hasNext()) {
                        break;
                    }
                    items = users.next();
                    a = 0;
                    b = 0;
                    continue;
                }
                counts.add(PairCounts.pack(items[a], items[b]));
                if (++b == items.length) {
                    b = ++a;
                }
            }
            counts.drain((k, c) -> {
                keys[filled] = k;
                values[filled++] = c;
                return 0;
            });
            return filled > 0;
        }

        @Override
        public Tuple2<Long, Long> next() {
            if (!hasNext()) {
                throw new java.util.NoSuchElementException();
            }
            return new Tuple2<>(keys[next], values[next++]);
        }
    }

    /** Writes {@code split}'s Gram (and top-K neighbours when {@code topK > 0}) as Parquet under {@code out}. */
    public static Result run(SparkSession spark, Path split, int topK, Path out, boolean force, Consumer<String> progress)
            throws IOException {
        int items = Math.toIntExact(lines(split.resolve(DataSplit.ITEMS_FILE)));
        CommittedDir target = CommittedDir.begin(out, force);
        try {
            JavaRDD<int[]> baskets = baskets(spark, split).cache();
            Row stats = spark.createDataFrame(baskets.map(a -> RowFactory.create((long) a.length,
                    (long) a.length * (a.length + 1) / 2)), new StructType().add("n", DataTypes.LongType).add("pairs", DataTypes.LongType))
                    .agg(org.apache.spark.sql.functions.count("n"), org.apache.spark.sql.functions.sum("pairs"),
                            org.apache.spark.sql.functions.max("n")).first();
            progress.accept(String.format(Locale.ROOT, "%,d training users, %,d item pairs to count (largest user: %,d items)",
                    stats.getLong(0), stats.getLong(1), stats.getLong(2)));
            Dataset<Row> gram = spark.createDataFrame(gram(baskets).map(t -> RowFactory.create((int) (t._1() >>> 32),
                    (int) (long) t._1(), t._2())), new StructType().add("i", DataTypes.IntegerType)
                    .add("j", DataTypes.IntegerType).add("count", DataTypes.LongType));
            gram.write().parquet(target.dir().resolve(GRAM_DIR).toString());
            Dataset<Row> written = spark.read().parquet(target.dir().resolve(GRAM_DIR).toString());
            long pairs = written.count();
            if (topK > 0) {
                neighbours(written, topK).write().parquet(target.dir().resolve(NEIGHBOURS_DIR).toString());
            }
            Files.copy(split.resolve(DataSplit.ITEMS_FILE), target.dir().resolve(DataSplit.ITEMS_FILE));
            baskets.unpersist();
            target.commit();
            return new Result(items, stats.getLong(0), pairs, stats.getLong(1), stats.getLong(2));
        } catch (IOException | RuntimeException e) {
            target.abandon();
            throw e;
        }
    }

    /** Each item's {@code k} most co-occurring other items: {@code (item, rank, neighbour, count)}, ties to the lower index. */
    public static Dataset<Row> neighbours(Dataset<Row> gram, int k) {
        Dataset<Row> off = gram.filter(col("i").notEqual(col("j")));
        Dataset<Row> both = off.select(col("i").as("item"), col("j").as("neighbour"), col("count"))
                .union(off.select(col("j").as("item"), col("i").as("neighbour"), col("count")));
        return both.withColumn("rank", row_number().over(Window.partitionBy("item").orderBy(col("count").desc(), col("neighbour"))))
                .filter(col("rank").leq(k)).select("item", "rank", "neighbour", "count");
    }

    static long lines(Path file) throws IOException {
        try (var s = Files.lines(file)) {
            return s.count();
        }
    }

    /** Collects the sparse Gram into an iterator of (i, j, count), for a driver that fills a dense matrix. */
    public static Iterator<Tuple2<Long, Long>> collect(JavaPairRDD<Long, Long> gram) {
        return gram.toLocalIterator();
    }
}
