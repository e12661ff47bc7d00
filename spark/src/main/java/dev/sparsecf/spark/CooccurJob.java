package dev.sparsecf.spark;

import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.sort_array;

import dev.sparsecf.data.DataSplit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

/**
 * {@code spark cooccur}: the item-item co-occurrence counts {@code G = X^T X} of a prepared split's training
 * users, exactly, kept sparse as {@code (i, j, count)} with {@code i <= j}; and with {@code --top-k} each item's K
 * most co-occurring other items.
 *
 * <p>How: the Gram's rows are cut into blocks of {@link RowBlock} ({@code blockEntries} counts each, 32 MB by
 * default). Each map task holds its users' item lists and, block after block, counts their pairs densely and hands
 * the block's non-zeros to one shuffle keyed by block; each reduce task sums the blocks it gets and emits the upper
 * triangle, or each row's top K (the rows are whole there, so no second shuffle). The shuffle carries at most one
 * record per map task and non-zero, not one per co-occurrence.
 *
 * <p>Very active users are counted exactly, never capped or sampled: a user with {@code m} items costs
 * {@code m^2} increments (time), while memory is the block, whatever {@code m}; the job's report names the largest
 * user's item count.
 */
public final class CooccurJob {

    /** Counts one dense block holds by default: 2^23 ints, 32 MB per task. */
    public static final long BLOCK_ENTRIES = 1L << 23;

    /** Non-zeros per shuffle record. */
    private static final int CHUNK = 1 << 20;

    /** The Gram's parquet directory and the neighbours' inside the output. */
    public static final String GRAM_DIR = "gram";
    public static final String NEIGHBOURS_DIR = "neighbours";

    /** The Gram's rows: {@code i <= j}, count >= 1. */
    public static final StructType GRAM_SCHEMA = new StructType().add("i", DataTypes.IntegerType).add("j", DataTypes.IntegerType)
            .add("count", DataTypes.LongType);

    /** The neighbours' rows: rank 1 is the most co-occurring other item, ties to the lower index. */
    public static final StructType NEIGHBOURS_SCHEMA = new StructType().add("item", DataTypes.IntegerType)
            .add("rank", DataTypes.IntegerType).add("neighbour", DataTypes.IntegerType).add("count", DataTypes.LongType);

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

    /**
     * The block-keyed shuffle input of an {@code n}-item Gram: each map task (one per core) counts its users' pairs
     * block by block ({@code blockEntries} counts per block). Reuse the result for several outputs: Spark keeps the
     * shuffle files, so each output re-reads them instead of counting again.
     */
    static Blocks blocks(JavaRDD<int[]> baskets, int n, long blockEntries) {
        int rows = RowBlock.rowsPerBlock(n, blockEntries);
        int blocks = (n + rows - 1) / rows;
        int cores = baskets.context().defaultParallelism();
        JavaRDD<int[]> users = baskets.getNumPartitions() > cores ? baskets.coalesce(cores) : baskets;
        JavaPairRDD<Integer, RowBlock.Chunk> counted = users.mapPartitionsToPair(it -> {
            List<int[]> mine = new ArrayList<>();
            it.forEachRemaining(mine::add);
            RowBlock block = new RowBlock(n, rows);
            return IntStream.range(0, blocks).boxed().flatMap(b -> {
                block.start(b);
                mine.forEach(block::add);
                return block.drain(CHUNK).stream().map(c -> new Tuple2<>(b, c));
            }).iterator();
        });
        return new Blocks(counted.repartitionAndSortWithinPartitions(new HashPartitioner(Math.min(blocks, 4 * cores))), n, rows);
    }

    /** The counted blocks of {@link #blocks}, sorted by block within each partition. */
    record Blocks(JavaPairRDD<Integer, RowBlock.Chunk> shuffled, int n, int rows) {

        /** The upper triangle and diagonal of {@code X^T X}: rows of {@link #GRAM_SCHEMA}. */
        JavaRDD<Row> gram() {
            int n = this.n;
            int rows = this.rows;
            return shuffled.mapPartitions(in -> summed(in, n, rows, CooccurJob::upperTriangle));
        }

        /** Each item's {@code k} most co-occurring other items: rows of {@link #NEIGHBOURS_SCHEMA}. */
        JavaRDD<Row> neighbours(int k) {
            int n = this.n;
            int rows = this.rows;
            return shuffled.mapPartitions(in -> summed(in, n, rows, b -> topK(b, k)));
        }
    }

    /** The rows a summed block gives (read before the next block is summed). */
    private interface Emit extends java.io.Serializable {
        Iterator<Row> rows(RowBlock block);
    }

    /** Sums each block's chunks (they arrive grouped by block) and emits its rows, one block at a time. */
    private static Iterator<Row> summed(Iterator<Tuple2<Integer, RowBlock.Chunk>> in, int n, int rows, Emit emit) {
        RowBlock acc = new RowBlock(n, rows);
        return new Iterator<>() {
            private Tuple2<Integer, RowBlock.Chunk> pending = in.hasNext() ? in.next() : null;
            private Iterator<Row> current = Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!current.hasNext()) {
                    if (pending == null) {
                        return false;
                    }
                    acc.clear();
                    int b = pending._1();
                    acc.start(b);
                    while (pending != null && pending._1() == b) {
                        acc.add(pending._2());
                        pending = in.hasNext() ? in.next() : null;
                    }
                    current = emit.rows(acc);
                }
                return true;
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return current.next();
            }
        };
    }

    private static Iterator<Row> upperTriangle(RowBlock b) {
        int n = b.n();
        int lo = b.lo();
        return Arrays.stream(b.sortedOffsets()).filter(o -> o % n >= lo + o / n)
                .mapToObj(o -> RowFactory.create(lo + o / n, o % n, (long) b.count(o))).iterator();
    }

    /** Each row's top {@code k} off-diagonal entries: count descending, then column ascending. */
    private static Iterator<Row> topK(RowBlock b, int k) {
        int n = b.n();
        int lo = b.lo();
        int[] offsets = b.sortedOffsets();
        List<Row> out = new ArrayList<>();
        for (int from = 0; from < offsets.length; ) {
            int row = offsets[from] / n;
            int to = from;
            while (to < offsets.length && offsets[to] / n == row) {
                to++;
            }
            long[] keys = new long[to - from];
            int m = 0;
            for (int t = from; t < to; t++) {
                int j = offsets[t] % n;
                if (j != lo + row) { // count descending, then column ascending, in one ascending long
                    keys[m++] = (long) (Integer.MAX_VALUE - b.count(offsets[t])) << 32 | j;
                }
            }
            Arrays.sort(keys, 0, m);
            for (int r = 0; r < Math.min(k, m); r++) {
                out.add(RowFactory.create(lo + row, r + 1, (int) keys[r], (long) (Integer.MAX_VALUE - (int) (keys[r] >>> 32))));
            }
            from = to;
        }
        return out.iterator();
    }

    /** Writes {@code split}'s Gram (and top-K neighbours when {@code topK > 0}) as Parquet under {@code out}. */
    public static Result run(SparkSession spark, Path split, int topK, long blockEntries, Path out, boolean force,
                             Consumer<String> progress) throws IOException {
        PrepareJob.requireComplete(split);
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
            Blocks blocks = blocks(baskets, items, blockEntries);
            spark.createDataFrame(blocks.gram(), GRAM_SCHEMA).write().parquet(target.dir().resolve(GRAM_DIR).toString());
            long pairs = spark.read().parquet(target.dir().resolve(GRAM_DIR).toString()).count();
            progress.accept(String.format(Locale.ROOT, "%,d distinct pairs written", pairs));
            if (topK > 0) {
                spark.createDataFrame(blocks.neighbours(topK), NEIGHBOURS_SCHEMA).write()
                        .parquet(target.dir().resolve(NEIGHBOURS_DIR).toString());
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

    static long lines(Path file) throws IOException {
        try (var s = Files.lines(file)) {
            return s.count();
        }
    }
}
