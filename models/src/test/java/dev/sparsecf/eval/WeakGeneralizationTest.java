package dev.sparsecf.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsecf.data.DataSplit;
import dev.sparsecf.data.FileOptions;
import dev.sparsecf.data.PerUserSplit;
import dev.sparsecf.kernels.DenseMatrix;
import dev.sparsecf.kernels.Kernels;
import dev.sparsecf.models.VaeTrainer;
import dev.sparsecf.models.ease.EaseModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-user ("weak generalization") protocol on a hand-made split, scored by a hand-made EASE model whose
 * rankings are known, against recall and NDCG worked out by hand as LightGCN's code defines them:
 * recall@K = hits / |test items|, NDCG@K = sum over hit positions r (0-based) of 1/log2(r + 2) divided by the same sum
 * over positions 0..min(|test items|, K)-1.
 */
class WeakGeneralizationTest {

    private static final double TOL = 1e-15;
    /** 1/log2(3), the gain of a hit at the second position. */
    private static final double G2 = 0.6309297535714575;

    @TempDir
    Path dir;

    /**
     * Items i1..i6 are training items (indices 0..5). u3 has a test line but no items (skipped); u7 is not a training
     * user (counted, left out); i9 is no training item (a miss); u2's test item i2 is one of u2's training items (excluded,
     * so a miss).
     */
    private PerUserSplit.Loaded read(String validation) throws IOException {
        Path train = Files.writeString(dir.resolve("train.txt"), "u1 i1 i2 i3\nu2 i2 i4 i6\nu3 i1 i5 i6\nu4 i3 i4 i5 i6 i1\n");
        Path test = Files.writeString(dir.resolve("test.txt"), "u1 i4 i5 i9\nu2 i1 i2\nu3\nu7 i2\n");
        Path v = validation == null ? null : Files.writeString(dir.resolve("valid.txt"), validation);
        return PerUserSplit.read(train, test, v, FileOptions.DEFAULT, 0);
    }

    /** Every row of B is w = (0.6, 0.5, ..., 0.1), so every user ranks the items not excluded in the order i1 > i2 > ... > i6. */
    private static EvaluationResult evaluate(DataSplit.HeldOut test) {
        float[] w = {0.6f, 0.5f, 0.4f, 0.3f, 0.2f, 0.1f};
        float[] b = new float[36];
        for (int j = 0; j < 6; j++) {
            System.arraycopy(w, 0, b, 6 * j, 6);
        }
        try (EaseModel model = EaseModel.of(DenseMatrix.of(6, 6, b), 1, Kernels.get())) {
            return model.evaluate(test, 1, 2, 3);
        }
    }

    @Test
    void drawnValidationMatchesTheHandComputedMetrics() throws IOException {
        PerUserSplit.Loaded loaded = read(null);
        DataSplit split = loaded.split();
        assertEquals(DataSplit.Protocol.PER_USER, split.protocol());
        assertEquals(new PerUserSplit.Counts(1, 1, 1, 1, 1, 0, 0), loaded.counts());
        // only u4 has >= 5 items: max(1, floor(10% of 5)) = 1 of them is drawn for validation, the model is fit on the rest
        assertEquals(1, split.validation().users().size());
        assertEquals("u4", split.validation().users().id(0));
        assertEquals(1, split.validation().eval().size());
        assertEquals(3 + 3 + 3 + 5 - 1, split.train().size());
        assertEquals(2, split.test().users().size()); // u1, u2; not u3 (no test items), not u7 (not a training user)

        EvaluationResult r = evaluate(split.test());
        // u1: i1, i2, i3 excluded -> ranking i4, i5, i6; test {i4, i5, i9}, |T| = 3
        //   @1: 1 hit: recall 1/3; NDCG 1/1 = 1; Liang's recall 1/min(1, 3) = 1
        //   @2: 2 hits: recall 2/3; NDCG (1 + G2)/(1 + G2) = 1; Liang 2/2 = 1
        //   @3: 2 hits: recall 2/3; NDCG (1 + G2)/(1 + G2 + 1/2) = 1.6309297535714575/2.1309297535714578 = 0.7653606369886217;
        //       Liang 2/3
        // u2: i2, i4, i6 excluded -> ranking i1, i3, i5; test {i1, i2}, |T| = 2 (i2 excluded: a miss)
        //   @1: 1 hit: recall 1/2; NDCG 1; Liang 1
        //   @2, @3: 1 hit: recall 1/2; NDCG 1/(1 + G2) = 0.6131471927654584 (ideal over min(2, K) = 2 positions); Liang 1/2
        assertEquals(2, r.users());
        assertArrayEquals(new double[] {1.0 / 3, 0.5}, r.perUser(Metric.FULL_RECALL, 1), TOL);
        assertArrayEquals(new double[] {2.0 / 3, 0.5}, r.perUser(Metric.FULL_RECALL, 2), TOL);
        assertArrayEquals(new double[] {2.0 / 3, 0.5}, r.perUser(Metric.FULL_RECALL, 3), TOL);
        assertArrayEquals(new double[] {1, 1}, r.perUser(Metric.NDCG, 1), TOL);
        assertArrayEquals(new double[] {1, 1 / (1 + G2)}, r.perUser(Metric.NDCG, 2), TOL);
        assertArrayEquals(new double[] {0.7653606369886217, 0.6131471927654584}, r.perUser(Metric.NDCG, 3), TOL);
        assertArrayEquals(new double[] {1, 1}, r.perUser(Metric.RECALL, 1), TOL);
        assertArrayEquals(new double[] {1, 0.5}, r.perUser(Metric.RECALL, 2), TOL);
        assertArrayEquals(new double[] {2.0 / 3, 0.5}, r.perUser(Metric.RECALL, 3), TOL);
        // averaged over the two test users: recall@3 (2/3 + 1/2)/2 = 0.5833333333333333,
        // NDCG@3 (0.7653606369886217 + 0.6131471927654584)/2 = 0.68925391487704
        assertEquals(0.5833333333333333, r.mean(Metric.FULL_RECALL, 3), TOL);
        assertEquals(0.68925391487704, r.mean(Metric.NDCG, 3), TOL);
    }

    @Test
    void validationItemsAreExcludedWhenTesting() throws IOException {
        PerUserSplit.Loaded loaded = read("u1 i4\n");
        DataSplit split = loaded.split();
        assertEquals(3 + 3 + 3 + 5, split.train().size(), "with a validation file the model is fit on every training pair");
        // the input stays the training row, the validation item is excluded too
        assertArrayEquals(new int[] {0, 1, 2}, split.test().foldIn().itemsOf(0));
        assertArrayEquals(new int[] {0, 1, 2, 3}, split.test().exclude().itemsOf(0));

        EvaluationResult r = evaluate(split.test());
        // u1: i1..i4 excluded -> ranking i5, i6 (and an empty slot); test {i4, i5, i9}, |T| = 3, i4 now a miss
        //   @1: recall 1/3, NDCG 1; @2: recall 1/3, NDCG 1/(1 + G2) = 0.6131471927654584;
        //   @3: recall 1/3, NDCG 1/(1 + G2 + 1/2) = 1/2.1309297535714578 = 0.46927872602275644
        // u2 as before
        assertArrayEquals(new double[] {1.0 / 3, 0.5}, r.perUser(Metric.FULL_RECALL, 3), TOL);
        assertArrayEquals(new double[] {1, 1}, r.perUser(Metric.NDCG, 1), TOL);
        assertArrayEquals(new double[] {0.6131471927654584, 0.6131471927654584}, r.perUser(Metric.NDCG, 2), TOL);
        assertArrayEquals(new double[] {0.46927872602275644, 0.6131471927654584}, r.perUser(Metric.NDCG, 3), TOL);
    }

    @Test
    void theAutoencoderPathExcludesValidationItemsBatchByBatch() throws IOException {
        DataSplit.HeldOut test = read("u1 i4\n").split().test();
        float[] w = {0.6f, 0.5f, 0.4f, 0.3f, 0.2f, 0.1f};
        try (DenseMatrix scores = DenseMatrix.allocate(1, 6)) {
            for (int i = 0; i < 6; i++) {
                scores.set(0, i, w[i]);
            }
            // batches of one user: the exclusion rows must follow the batch (Mult-VAE scores fold-in rows the same way)
            EvaluationResult r = VaeTrainer.evaluate(Kernels.get(), (input, rowScale) -> {
                assertEquals(1, input.rows());
                return scores;
            }, 1, test);
            // at K = 20 every rankable item is ranked: u1 ranks i5, i6 (i1..i4 excluded), one hit of |T| = 3:
            // recall 1/3, NDCG 1/(1 + G2 + 1/2) = 0.46927872602275644; u2 ranks i1, i3, i5, one hit of |T| = 2:
            // recall 1/2, NDCG 1/(1 + G2) = 0.6131471927654584
            assertArrayEquals(new double[] {1.0 / 3, 0.5}, r.perUser(Metric.FULL_RECALL, 20), TOL);
            assertArrayEquals(new double[] {0.46927872602275644, 0.6131471927654584}, r.perUser(Metric.NDCG, 20), TOL);
        }
    }

    @Test
    void aTestFileOfOtherUsersIsAnError() throws IOException {
        Path train = Files.writeString(dir.resolve("train.txt"), "u1 i1 i2\nu2 i2 i3 i4\n");
        Path test = Files.writeString(dir.resolve("test.txt"), "x1 i1\nx2 i2\n");
        IOException e = assertThrows(IOException.class, () -> PerUserSplit.read(train, test, null, FileOptions.DEFAULT, 0));
        assertEquals(test + ": none of its 2 users is a user of " + train + "; under the per-user protocol the test users"
                + " are training users (for held-out users use --split)", e.getMessage());
    }

    @Test
    void countFiltersWouldChangeAPublishedSplit() throws IOException {
        Path train = Files.writeString(dir.resolve("train.txt"), "u1 i1 i2\nu2 i2 i3 i4\n");
        FileOptions fiveCore = new FileOptions(null, FileOptions.Layout.AUTO, null, null, null, null, Double.NaN, 5, 5, true, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PerUserSplit.read(train, train, null, fiveCore, 0));
        assertTrue(e.getMessage().startsWith("--min-user-clicks, --min-item-clicks and --k-core"), e.getMessage());
    }

    @Test
    void otherLayoutsWorkToo() throws IOException {
        // the same split as user,item rows with a header
        Path train = Files.writeString(dir.resolve("train.csv"), "user_id,item_id\nu1,i1\nu1,i2\nu1,i3\nu2,i2\nu2,i4\nu2,i6\n");
        Path test = Files.writeString(dir.resolve("test.csv"), "user_id,item_id\nu1,i4\nu2,i1\n");
        DataSplit split = PerUserSplit.read(train, test, null, FileOptions.DEFAULT, 0).split();
        assertEquals(6, split.train().size(), "no user has 5 items: nothing drawn");
        assertEquals(2, split.test().eval().size());
        assertEquals(0, split.validation().users().size());
    }
}
