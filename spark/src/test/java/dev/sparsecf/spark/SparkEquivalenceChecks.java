package dev.sparsecf.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsecf.data.DataSplit;
import dev.sparsecf.data.FileOptions;
import dev.sparsecf.data.IdMap;
import dev.sparsecf.data.InteractionFiles;
import dev.sparsecf.data.Interactions;
import dev.sparsecf.data.SplitConfig;
import dev.sparsecf.eval.EvaluationResult;
import dev.sparsecf.eval.Metric;
import dev.sparsecf.kernels.CsrMatrix;
import dev.sparsecf.kernels.DenseMatrix;
import dev.sparsecf.kernels.Kernels;
import dev.sparsecf.models.ModelFile;
import dev.sparsecf.models.ease.EaseFitter;
import dev.sparsecf.models.ease.EaseModel;
import dev.sparsecf.models.ease.Precision;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark path against the single-node code on one dataset (skipped when the data is absent), in local mode with
 * two cores: one prepared split shared by the tests, each step compared with its single-node twin: the split's
 * files and fingerprint, the Gram, EASE's B, the test metrics and every user's recommendations.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SparkEquivalenceChecks {

    private static final SplitConfig SPLIT = SplitConfig.defaults(1);
    static final double LAMBDA = 200;
    private static final int K = 10;

    Path tmp;
    SparkSession spark;
    /** The single-node loader's positives and report, loaded once. */
    private InteractionFiles.Loaded loaded;
    DataSplit single;
    private String singleFingerprint;
    private PrepareJob.Result prepared;
    Path split;

    /** The click log (or a skipped assumption when it is absent). */
    abstract Path dataOrSkip();

    /** The positive rule: every filter at work. */
    abstract FileOptions rule();

    @BeforeAll
    void prepare(@TempDir Path dir) throws IOException {
        tmp = dir;
        Path data = dataOrSkip();
        spark = SparkSessions.start("test", "local[2]");
        loaded = InteractionFiles.load(data, rule());
        single = DataSplit.create(loaded.positives(), SPLIT);
        singleFingerprint = single.export(tmp.resolve("single"));
        split = tmp.resolve("spark");
        prepared = PrepareJob.run(spark, data, rule(), SPLIT, split, false, line -> { });
    }

    @AfterAll
    void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    @Test
    void theSplitHasTheSingleNodeFingerprintAndFiles() throws IOException {
        assertEquals(singleFingerprint, prepared.fingerprint());
        assertEquals(Files.readString(tmp.resolve("single").resolve(DataSplit.CHECKSUM_FILE)),
                Files.readString(split.resolve(DataSplit.CHECKSUM_FILE)));
        assertTrue(prepared.report().contains("positives kept: " + String.format(java.util.Locale.ROOT, "%,d",
                loaded.report().positives())), prepared.report());
        assertEquals(single.train().size(), spark.read().parquet(split.resolve("parquet/train").toString()).count());
    }

    @Test
    void theGramAndNeighboursEqualTheKernelsGrams() throws IOException {
        Interactions train = single.train();
        int n = train.numItems();
        Path out = tmp.resolve("cooccur");
        // 97 rows per block: a few dozen blocks, the last one short
        CooccurJob.Result r = CooccurJob.run(spark, split, K, 97L * n, out, false, line -> { });
        long[] counts = new long[n * n];
        Iterator<Row> rows = spark.read().parquet(out.resolve(CooccurJob.GRAM_DIR).toString()).toLocalIterator();
        while (rows.hasNext()) {
            Row t = rows.next();
            assertTrue(t.getInt(0) <= t.getInt(1), t.toString());
            assertEquals(0, counts[t.getInt(0) * n + t.getInt(1)], "one row per pair: " + t);
            counts[t.getInt(0) * n + t.getInt(1)] = t.getLong(2);
        }
        try (Arena arena = Arena.ofShared(); CsrMatrix x = train.toCsr()) {
            MemorySegment g = arena.allocate((long) n * n * Double.BYTES, 64);
            Kernels.get().gram(x, g, n);
            long nonZero = 0;
            for (int i = 0; i < n; i++) {
                for (int j = i; j < n; j++) {
                    double expected = g.getAtIndex(ValueLayout.JAVA_DOUBLE, (long) i * n + j);
                    if (expected != counts[i * n + j]) {
                        assertEquals(expected, counts[i * n + j], "G[" + i + "][" + j + "]");
                    }
                    nonZero += expected != 0 ? 1 : 0;
                }
            }
            assertEquals(nonZero, r.pairs(), "the sparse Gram holds exactly the non-zero entries");
            long occurrences = 0;
            int largest = 0;
            for (int u = 0; u < train.numUsers(); u++) {
                long m = train.itemsOf(u).length;
                occurrences += m * (m + 1) / 2;
                largest = Math.max(largest, (int) m);
            }
            assertEquals(new CooccurJob.Result(n, train.numUsers(), nonZero, occurrences, largest), r);
            Map<Integer, List<String>> neighbours = new HashMap<>();
            for (Row t : spark.read().parquet(out.resolve(CooccurJob.NEIGHBOURS_DIR).toString()).orderBy("item", "rank").collectAsList()) {
                neighbours.computeIfAbsent(t.getInt(0), i -> new ArrayList<>()).add(t.getInt(2) + "=" + t.getLong(3));
            }
            for (int i = 0; i < n; i++) {
                int item = i;
                // the oracle: row i of the dense Gram, off the diagonal, non-zero, count descending then index ascending
                List<String> expected = IntStream.range(0, n).filter(j -> j != item)
                        .mapToObj(j -> new long[] {j, (long) g.getAtIndex(ValueLayout.JAVA_DOUBLE,
                                (long) Math.min(item, j) * n + Math.max(item, j))}) // the kernel fills the upper triangle
                        .filter(e -> e[1] > 0).sorted((p, q) -> p[1] != q[1] ? Long.compare(q[1], p[1]) : Long.compare(p[0], q[0]))
                        .limit(K).map(e -> e[0] + "=" + e[1]).toList();
                assertEquals(expected, neighbours.getOrDefault(i, List.of()), "neighbours of item " + i);
            }
        }
    }

    @Test
    void easeFromTheSparkGramHasTheSingleNodeWeightsMetricsAndRecommendations() throws IOException {
        Path model = tmp.resolve("ease.sparsecf");
        Kernels kernels = Kernels.get();
        EaseJob.run(spark, split, LAMBDA, 0, Precision.FLOAT64, kernels, model, false, line -> { });
        try (CsrMatrix x = single.train().toCsr(); EaseModel expected = EaseFitter.fit(x, LAMBDA, kernels, line -> { });
             ModelFile.Loaded loaded = ModelFile.load(model, kernels)) {
            EaseModel actual = ((ModelFile.LoadedEase) loaded).model();
            assertEquals(single.items(), ((ModelFile.LoadedEase) loaded).items());
            // the same Gram (integer counts, exact in double) through the same fit: B is the same to the bit
            DenseMatrix b = expected.weights();
            DenseMatrix a = actual.weights();
            for (int i = 0; i < b.rows(); i++) {
                for (int j = 0; j < b.cols(); j++) {
                    if (Float.floatToIntBits(b.get(i, j)) != Float.floatToIntBits(a.get(i, j))) {
                        assertEquals(b.get(i, j), a.get(i, j), 0f, "B[" + i + "][" + j + "]");
                    }
                }
            }
            assertSameTestMetrics(expected, actual);
            assertEquals(singleNodeRecommendations(expected, kernels), sparkRecommendations(model));
        }
    }

    /** {@code sparsecf eval}'s test metrics, user by user: {@code actual} on the Spark split as read back from its files. */
    void assertSameTestMetrics(EaseModel expected, EaseModel actual) throws IOException {
        EvaluationResult want = expected.evaluate(single.test());
        EvaluationResult got = actual.evaluate(DataSplit.readVerified(split).test());
        assertEquals(want.users(), got.users());
        for (Metric metric : Metric.values()) {
            for (int k : want.ks()) {
                assertArrayEquals(want.perUser(metric, k), got.perUser(metric, k), 0, metric.at(k));
            }
        }
        assertTrue(want.mean(Metric.NDCG, 100) > 0.1, "a working model: " + want.mean(Metric.NDCG, 100));
    }

    /**
     * Each user's top 10 as {@code sparsecf recommend --users all} makes it: all their positives on the model's
     * items, scored in batches of the model's batch size.
     */
    Map<String, List<String>> singleNodeRecommendations(EaseModel model, Kernels kernels) throws IOException {
        Interactions positives = loaded.positives();
        IdMap items = single.items();
        Set<String> users = new LinkedHashSet<>(single.train().users().ids());
        for (DataSplit.HeldOut h : List.of(single.validation(), single.test())) {
            users.addAll(h.users().ids());
        }
        List<String> order = List.copyOf(users);
        Map<String, List<String>> out = new HashMap<>();
        int batch = model.batchRows();
        for (int from = 0; from < order.size(); from += batch) {
            List<String> ids = order.subList(from, Math.min(order.size(), from + batch));
            int[] rowPtr = new int[ids.size() + 1];
            List<int[]> seen = new ArrayList<>();
            for (int r = 0; r < ids.size(); r++) {
                int u = positives.users().index(ids.get(r));
                seen.add(Arrays.stream(positives.itemsOf(u)).map(i -> items.index(positives.items().id(i))).filter(i -> i >= 0)
                        .sorted().toArray());
                rowPtr[r + 1] = rowPtr[r] + seen.get(r).length;
            }
            int[] top = new int[ids.size() * 10];
            try (CsrMatrix rows = CsrMatrix.binary(ids.size(), items.size(), rowPtr,
                    seen.stream().flatMapToInt(Arrays::stream).toArray())) {
                DenseMatrix scores = model.score(rows);
                kernels.topK(scores, rows, 10, top);
                for (int r = 0; r < ids.size(); r++) {
                    int row = r;
                    out.put(ids.get(r), Arrays.stream(top, r * 10, r * 10 + 10).mapToObj(i -> items.id(i) + "=" + scores.get(row, i))
                            .toList());
                }
            }
        }
        return out;
    }

    Map<String, List<String>> sparkRecommendations(Path model) throws IOException {
        return sparkRecommendations(model, null, false);
    }

    /** {@code spark recommend}'s top 10 per user (of {@code users} if not null), written as CSV or Parquet and read back. */
    Map<String, List<String>> sparkRecommendations(Path model, Path users, boolean csv) throws IOException {
        Path out = tmp.resolve("recs-" + model.getFileName() + (csv ? "-csv" : ""));
        long scored = RecommendJob.run(spark, split, model, users, 10, csv, out, false, line -> { });
        String data = out.resolve("recommendations").toString();
        List<Row> rows = csv ? spark.read().option("header", "true").schema("user string, rank int, item string, score string").csv(data)
                .collectAsList() : spark.read().parquet(data).collectAsList();
        Map<String, String[]> lists = new HashMap<>();
        for (Row r : rows) {
            lists.computeIfAbsent(r.getString(0), u -> new String[10])[r.getInt(1) - 1] = r.getString(2) + "=" + r.get(3);
        }
        assertEquals(scored, lists.size());
        Map<String, List<String>> byUser = new HashMap<>();
        lists.forEach((u, l) -> byUser.put(u, List.of(l)));
        return byUser;
    }
}
