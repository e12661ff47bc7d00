package dev.sparsecf.models;

import static dev.sparsecf.models.EaseTest.kernels;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sparsecf.data.DataSplit;
import dev.sparsecf.data.Dataset;
import dev.sparsecf.data.Datasets;
import dev.sparsecf.data.SharedData;
import dev.sparsecf.data.SplitConfig;
import dev.sparsecf.kernels.CsrMatrix;
import dev.sparsecf.kernels.Kernels;
import dev.sparsecf.models.ease.EaseFitter;
import dev.sparsecf.models.ease.EaseModel;
import dev.sparsecf.models.ease.Neighbourhoods;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * The exactness criterion of neighbourhood EASE on MovieLens 100K (Liang et al.'s split, seed 0; skipped when the
 * shared data directory is absent): with K = n - 1 it reproduces dense EASE's B within 1e-6 of B's largest
 * magnitude (both solve in float64) and the same top-100 list for every test user. K = n - 1 costs n solves of
 * order n - 1, {@code n^4 / 3} flops; to keep the test to seconds it runs on the training users' clicks on the
 * {@value #ITEMS} most popular items (the whole catalogue is a recorded check, see results/sparse-ease).
 */
class NeighbourhoodEaseMl100kTest {

    private static final double LAMBDA = 300;
    private static final int ITEMS = 400;

    @Test
    void everyOtherItemReproducesDenseEase() throws IOException {
        DataSplit s = DataSplit.create(Datasets.load("ml-100k", SharedData.dirWithOrSkip(Dataset.ML_100K)),
                SplitConfig.defaults(0));
        Kernels kernels = kernels("java");
        try (CsrMatrix all = s.train().toCsr(); CsrMatrix x = mostPopular(all, ITEMS);
             CsrMatrix allFoldIn = s.test().foldIn().toCsr(); CsrMatrix foldIn = keep(allFoldIn, popular(all, ITEMS));
             EaseModel dense = EaseFitter.fit(x, LAMBDA, kernels, msg -> { });
             Neighbourhoods nb = Neighbourhoods.prepare(x, x.cols() - 1, kernels, msg -> { });
             EaseModel sparse = nb.fit(LAMBDA, msg -> { })) {
            int n = x.cols();
            float[] want = dense.weights().toArray();
            float[] got = NeighbourhoodEaseTest.dense(sparse.sparseWeights());
            double max = 0;
            for (float v : want) {
                max = Math.max(max, Math.abs(v));
            }
            for (int t = 0; t < want.length; t++) {
                if (!(Math.abs(got[t] - want[t]) <= 1e-6 * max)) {
                    fail("B[" + t / n + "][" + t % n + "] = " + got[t] + ", dense EASE " + want[t] + " (max |B| " + max + ")");
                }
            }
            assertArrayEquals(dense.topK(foldIn, 100), sparse.topK(foldIn, 100));
        }
    }

    /** The {@code n} items with the most clicks in {@code x} (ties to the lower index), as a map old -> new or -1. */
    private static int[] popular(CsrMatrix x, int n) {
        int[] counts = new int[x.cols()];
        for (int p = x.rowStart(0); p < x.rowEnd(x.rows() - 1); p++) {
            counts[x.col(p)]++;
        }
        int[] order = java.util.stream.IntStream.range(0, x.cols()).boxed()
                .sorted(java.util.Comparator.comparingInt((Integer i) -> -counts[i]).thenComparingInt(i -> i))
                .mapToInt(Integer::intValue).limit(n).sorted().toArray();
        int[] map = new int[x.cols()];
        java.util.Arrays.fill(map, -1);
        for (int t = 0; t < order.length; t++) {
            map[order[t]] = t;
        }
        return map;
    }

    private static CsrMatrix mostPopular(CsrMatrix x, int n) {
        return keep(x, popular(x, n));
    }

    /** The rows of {@code x} restricted to the mapped columns, renumbered. */
    private static CsrMatrix keep(CsrMatrix x, int[] map) {
        int cols = (int) java.util.Arrays.stream(map).filter(c -> c >= 0).count();
        CsrMatrix.Builder b = CsrMatrix.builder(cols);
        for (int u = 0; u < x.rows(); u++) {
            b.addRow(java.util.stream.IntStream.range(x.rowStart(u), x.rowEnd(u)).map(p -> map[x.col(p)]).filter(c -> c >= 0)
                    .toArray());
        }
        return b.build();
    }
}
