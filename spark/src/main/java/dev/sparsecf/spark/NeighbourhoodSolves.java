package dev.sparsecf.spark;

import dev.sparsecf.kernels.CsrMatrix;
import dev.sparsecf.kernels.Kernels;
import dev.sparsecf.kernels.SparseGram;
import dev.sparsecf.models.ease.EaseModel;
import dev.sparsecf.models.ease.Neighbourhoods;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;

/**
 * {@code spark ease --neighbors K}: neighbourhood EASE with its per-item solves distributed over items. The driver
 * turns the Spark-counted Gram into the single-node {@link SparseGram} and broadcasts it; each task builds the same
 * {@link Neighbourhoods} (the same K neighbours per item) and solves one range of items with
 * {@link Neighbourhoods#columns}; the driver assembles B with {@link Neighbourhoods#model}, so the model is the one
 * {@code sparsecf train --model ease --neighbors K} fits on the same split. Every executor holds the sparse Gram
 * (8 bytes per co-occurring pair), as the single-node fit does.
 */
final class NeighbourhoodSolves {

    /** The sparse Gram as plain arrays, for the broadcast: symmetric CSR off the diagonal, and the diagonal. */
    record GramArrays(int n, int[] rowPtr, int[] cols, float[] values, int[] diagonal) implements Serializable {

        SparseGram open() {
            return new SparseGram(CsrMatrix.of(n, n, rowPtr, cols, values), diagonal);
        }
    }

    private NeighbourhoodSolves() {
    }

    /** The symmetric sparse Gram of {@code n} items from the upper-triangle rows {@code (i, j, count)} of {@link CooccurJob}. */
    static GramArrays gram(Iterator<Row> upper, int n) {
        int[] diagonal = new int[n];
        long[] pairs = new long[1024]; // i << 32 | j, i < j
        int[] counts = new int[1024];
        int m = 0;
        int[] rowPtr = new int[n + 1];
        while (upper.hasNext()) {
            Row t = upper.next();
            int i = t.getInt(0);
            int j = t.getInt(1);
            int c = Math.toIntExact(t.getLong(2));
            if (i == j) {
                diagonal[i] = c;
                continue;
            }
            if (m == pairs.length) {
                pairs = Arrays.copyOf(pairs, 2 * m);
                counts = Arrays.copyOf(counts, 2 * m);
            }
            pairs[m] = (long) i << 32 | j;
            counts[m++] = c;
            rowPtr[i + 1]++;
            rowPtr[j + 1]++;
        }
        for (int i = 0; i < n; i++) {
            rowPtr[i + 1] += rowPtr[i];
        }
        // each row's columns sorted: entries (col << 32 | count) sorted per row
        long[] entries = new long[rowPtr[n]];
        int[] fill = Arrays.copyOf(rowPtr, n);
        for (int p = 0; p < m; p++) {
            int i = (int) (pairs[p] >>> 32);
            int j = (int) pairs[p];
            entries[fill[i]++] = (long) j << 32 | counts[p];
            entries[fill[j]++] = (long) i << 32 | counts[p];
        }
        int[] cols = new int[entries.length];
        float[] values = new float[entries.length];
        for (int i = 0; i < n; i++) {
            Arrays.sort(entries, rowPtr[i], rowPtr[i + 1]);
            for (int p = rowPtr[i]; p < rowPtr[i + 1]; p++) {
                cols[p] = (int) (entries[p] >>> 32);
                values[p] = (int) entries[p];
            }
        }
        return new GramArrays(n, rowPtr, cols, values, diagonal);
    }

    /**
     * Fits neighbourhood EASE with {@code k} neighbours and {@code lambda} on {@code gram} ({@code users} users,
     * {@code clicks} clicks): the solves in {@code tasks} item ranges on the executors.
     */
    static EaseModel fit(JavaSparkContext sc, GramArrays gram, int k, double lambda, int users, long clicks, int tasks, Kernels kernels,
                         Consumer<String> progress) {
        Broadcast<GramArrays> shared = sc.broadcast(gram);
        Neighbourhoods driver = Neighbourhoods.of(gram.open(), k, kernels, users, clicks, progress);
        try {
            int n = gram.n();
            List<int[]> ranges = new ArrayList<>();
            int step = Math.max(1, (n + tasks - 1) / tasks);
            for (int from = 0; from < n; from += step) {
                ranges.add(new int[] {from, Math.min(n, from + step)});
            }
            progress.accept(String.format(Locale.ROOT, "EASE: %,d neighbourhood solves (K = %,d) in %,d tasks", n, driver.k(), ranges.size()));
            long t0 = System.nanoTime();
            List<float[]> parts = sc.parallelize(ranges, ranges.size()).map(r -> {
                try (Neighbourhoods nh = Neighbourhoods.of(shared.value().open(), k, Kernels.get(), users, clicks, line -> { })) {
                    return nh.columns(lambda, r[0], r[1], line -> { });
                }
            }).collect();
            long solveNanos = System.nanoTime() - t0;
            int size = parts.stream().mapToInt(p -> p.length).sum();
            float[] columns = new float[size];
            int at = 0;
            for (float[] p : parts) {
                System.arraycopy(p, 0, columns, at, p.length);
                at += p.length;
            }
            return driver.model(lambda, columns, solveNanos, progress);
        } finally {
            driver.close();
            shared.destroy();
        }
    }
}
