package dev.sparsecf.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsecf.data.DataSplit;
import dev.sparsecf.data.FileOptions;
import dev.sparsecf.data.IdMap;
import dev.sparsecf.data.InteractionFiles;
import dev.sparsecf.data.Interactions;
import dev.sparsecf.data.SplitConfig;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark path against the single-node code on ML-100K (skipped when the data is absent), in local mode with two
 * cores: one prepared split shared by the tests, each step compared with its single-node twin.
 */
class SparkEquivalenceTest {

    /** A rule with every filter at work: binarised, 5-core (several rounds on ML-100K), seed 1. */
    private static final FileOptions RULE = new FileOptions(null, FileOptions.Layout.AUTO, null, null, null, null, 3, 5, 5, true, 0);
    private static final SplitConfig SPLIT = SplitConfig.defaults(1);
    private static final double LAMBDA = 200;

    @TempDir
    static Path tmp;

    private static SparkSession spark;
    private static Path data;
    private static DataSplit single;
    private static String singleFingerprint;
    private static PrepareJob.Result prepared;
    private static Path split;

    @BeforeAll
    static void prepare() throws IOException {
        data = TestData.ml100kOrSkip();
        spark = SparkSessions.start("test", "local[2]");
        single = DataSplit.create(InteractionFiles.load(data, RULE).positives(), SPLIT);
        singleFingerprint = single.export(tmp.resolve("single"));
        split = tmp.resolve("spark");
        prepared = PrepareJob.run(spark, data, RULE, SPLIT, split, false, line -> { });
    }

    @AfterAll
    static void stop() {
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
                InteractionFiles.load(data, RULE).report().positives())), prepared.report());
        assertEquals(single.train().size(), spark.read().parquet(split.resolve("parquet/train").toString()).count());
    }

    @Test
    void theGramEqualsTheKernelsGram() {
        Interactions train = single.train();
        int n = train.numItems();
        Map<Long, Long> counts = new HashMap<>();
        for (var t : CooccurJob.gram(CooccurJob.baskets(spark, split)).collect()) {
            counts.put(t._1(), t._2());
        }
        try (Arena arena = Arena.ofShared(); CsrMatrix x = train.toCsr()) {
            MemorySegment g = arena.allocate((long) n * n * Double.BYTES, 64);
            Kernels.get().gram(x, g, n);
            long nonZero = 0;
            for (int i = 0; i < n; i++) {
                for (int j = i; j < n; j++) {
                    double expected = g.getAtIndex(ValueLayout.JAVA_DOUBLE, (long) i * n + j);
                    long actual = counts.getOrDefault(PairCounts.pack(i, j), 0L);
                    if (expected != actual) {
                        assertEquals(expected, actual, "G[" + i + "][" + j + "]");
                    }
                    nonZero += expected != 0 ? 1 : 0;
                }
            }
            assertEquals(nonZero, counts.size(), "the sparse Gram holds exactly the non-zero entries");
        }
    }

    @Test
    void easeFromTheSparkGramHasTheSingleNodeWeightsAndRecommendations() throws IOException {
        Path model = tmp.resolve("ease.sparsecf");
        Kernels kernels = Kernels.get();
        EaseJob.run(spark, split, LAMBDA, Precision.FLOAT64, kernels, model, false, line -> { });
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
            assertEquals(singleNodeRecommendations(actual, kernels), sparkRecommendations(model));
        }
    }

    /** Each user's top 10 as {@code sparsecf recommend} makes it: one user at a time, positives on the model's items. */
    private static Map<String, List<String>> singleNodeRecommendations(EaseModel model, Kernels kernels) throws IOException {
        Interactions positives = InteractionFiles.load(data, RULE).positives();
        IdMap items = single.items();
        Map<String, List<String>> out = new HashMap<>();
        for (DataSplit.HeldOut h : List.of(single.validation(), single.test())) {
            h.users().ids().forEach(u -> out.put(u, null));
        }
        single.train().users().ids().forEach(u -> out.put(u, null));
        for (String user : List.copyOf(out.keySet())) {
            int u = positives.users().index(user);
            int[] seen = java.util.Arrays.stream(positives.itemsOf(u)).map(i -> items.index(positives.items().id(i)))
                    .filter(i -> i >= 0).sorted().toArray();
            int[] top = new int[10];
            try (CsrMatrix row = CsrMatrix.binary(1, items.size(), new int[] {0, seen.length}, seen)) {
                DenseMatrix scores = model.score(row);
                kernels.topK(scores, row, 10, top);
                out.put(user, java.util.Arrays.stream(top).mapToObj(i -> items.id(i) + "=" + scores.get(0, i)).toList());
            }
        }
        return out;
    }

    private static Map<String, List<String>> sparkRecommendations(Path model) throws IOException {
        Path out = tmp.resolve("recs");
        long users = RecommendJob.run(spark, split, model, 10, false, out, false, line -> { });
        Map<String, String[]> lists = new HashMap<>();
        for (Row r : spark.read().parquet(out.resolve("recommendations").toString()).collectAsList()) {
            lists.computeIfAbsent(r.getString(0), u -> new String[10])[r.getInt(1) - 1] = r.getString(2) + "=" + r.getFloat(3);
        }
        assertEquals(users, lists.size());
        Map<String, List<String>> byUser = new HashMap<>();
        lists.forEach((u, l) -> byUser.put(u, List.of(l)));
        return byUser;
    }
}
