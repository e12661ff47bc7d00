package dev.sparsecf.bench;

import dev.sparsecf.data.DataSplit;
import dev.sparsecf.data.Datasets;
import dev.sparsecf.data.SplitConfig;
import dev.sparsecf.kernels.CsrMatrix;
import dev.sparsecf.kernels.DenseMatrix;
import dev.sparsecf.kernels.Kernels;
import dev.sparsecf.models.ease.EaseFitter;
import dev.sparsecf.models.ease.EaseModel;
import dev.sparsecf.models.ease.Neighbourhoods;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * The exactness check of neighbourhood EASE on a whole dataset, for the record: dense EASE and neighbourhood EASE with
 * K = n - 1 (every other item) at one lambda on Liang et al.'s split, the largest difference of B relative to B's
 * largest magnitude, and how many test users get the same top-100 list. K = n - 1 costs {@code n^4 / 3} flops.
 * Not JMH: it measures agreement, not speed.
 *
 * <p>Run: {@code java --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp
 * bench/target/sparsecf-bench.jar dev.sparsecf.bench.EaseExactness --dataset ml-100k [--lambda 300] [--blas openblas]}.
 */
public final class EaseExactness {

    private static final int TOP = 100;

    private EaseExactness() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> opt = EaseFitBenchmark.options(args, Map.of("--dataset", "ml-100k", "--data-dir",
                Datasets.defaultDataDir().toString(), "--lambda", "300", "--blas", "openblas", "--kernels", "panama",
                "--threads", "2"));
        Kernels kernels = Kernels.create(opt.get("--kernels"), opt.get("--blas"), Integer.parseInt(opt.get("--threads")));
        double lambda = Double.parseDouble(opt.get("--lambda"));
        DataSplit split = DataSplit.create(Datasets.load(opt.get("--dataset"), Path.of(opt.get("--data-dir"))),
                SplitConfig.defaults(0));
        try (CsrMatrix x = split.train().toCsr(); CsrMatrix foldIn = split.test().foldIn().toCsr();
             EaseModel dense = EaseFitter.fit(x, lambda, kernels, System.out::println);
             Neighbourhoods nb = Neighbourhoods.prepare(x, x.cols() - 1, kernels, System.out::println);
             EaseModel sparse = nb.fit(lambda, System.out::println)) {
            int n = x.cols();
            DenseMatrix b = dense.weights();
            CsrMatrix s = sparse.sparseWeights();
            double max = 0;
            double diff = 0;
            for (int i = 0; i < n; i++) {
                float[] row = new float[n];
                for (int p = s.rowStart(i); p < s.rowEnd(i); p++) {
                    row[s.col(p)] = s.value(p);
                }
                for (int j = 0; j < n; j++) {
                    max = Math.max(max, Math.abs(b.get(i, j)));
                    diff = Math.max(diff, Math.abs(b.get(i, j) - row[j]));
                }
            }
            int[] topDense = dense.topK(foldIn, TOP);
            int[] topSparse = sparse.topK(foldIn, TOP);
            int same = 0;
            for (int u = 0; u < foldIn.rows(); u++) {
                same += Arrays.equals(topDense, u * TOP, (u + 1) * TOP, topSparse, u * TOP, (u + 1) * TOP) ? 1 : 0;
            }
            System.out.printf(Locale.ROOT, "%s, %,d items, lambda %s, solves on %s: max |B_sparse - B_dense| / max |B| ="
                            + " %.3g; identical top-%d lists for %d of %d test users%n", opt.get("--dataset"), n,
                    opt.get("--lambda"), kernels.denseImplementationName(), diff / max, TOP, same, foldIn.rows());
        }
    }
}
