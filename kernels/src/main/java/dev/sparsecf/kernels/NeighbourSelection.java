package dev.sparsecf.kernels;

import java.util.Arrays;

/**
 * Per item j, the {@code k} items that co-occur with j most often (j excluded): higher count first, ties to the
 * lower item index; fewer than k when j co-occurs with fewer items (none for an item alone in every row). With
 * {@code k >= n - 1} every other item, co-occurring or not: neighbourhood EASE is then exactly dense EASE.
 */
final class NeighbourSelection {

    private NeighbourSelection() {
    }

    /** Row j of the result is N(j), columns sorted by item index (binary {@code n x n} CSR). */
    static CsrMatrix select(SparseGram gram, int k, KernelThreads pool) {
        CsrMatrix g = gram.offDiagonal();
        int n = gram.items();
        if (k >= n - 1) {
            return allOthers(n);
        }
        int[] rowPtr = new int[n + 1];
        for (int j = 0; j < n; j++) {
            rowPtr[j + 1] = Math.toIntExact((long) rowPtr[j] + Math.min(k, g.rowNnz(j)));
        }
        int[] cols = new int[rowPtr[n]];
        pool.forRange(n, 1, (from, to) -> {
            long[] keys = new long[0];
            for (int j = from; j < to; j++) {
                int start = g.rowStart(j);
                int len = g.rowNnz(j);
                int at = rowPtr[j];
                if (len <= k) {
                    for (int p = 0; p < len; p++) {
                        cols[at + p] = g.col(start + p);
                    }
                    continue;
                }
                if (keys.length < len) {
                    keys = new long[len];
                }
                for (int p = 0; p < len; p++) {
                    // ascending keys = descending count, then ascending item: counts are exact non-negative integers
                    long count = (long) g.value(start + p);
                    keys[p] = ((Integer.MAX_VALUE - count) << 32) | g.col(start + p);
                }
                Arrays.sort(keys, 0, len);
                for (int p = 0; p < k; p++) {
                    cols[at + p] = (int) keys[p];
                }
                Arrays.sort(cols, at, at + k);
            }
        });
        return CsrMatrix.binary(n, n, rowPtr, cols);
    }

    private static CsrMatrix allOthers(int n) {
        int[] rowPtr = new int[n + 1];
        int[] cols = new int[Math.multiplyExact(n, Math.max(0, n - 1))];
        for (int j = 0, at = 0; j < n; j++) {
            for (int i = 0; i < n; i++) {
                if (i != j) {
                    cols[at++] = i;
                }
            }
            rowPtr[j + 1] = at;
        }
        return CsrMatrix.binary(n, n, rowPtr, cols);
    }
}
