package dev.sparsecf.kernels;

import java.util.Arrays;

/**
 * Row i of G from the item-to-users index (Gram kernel's idea): every user of item i adds one to an int counter per
 * item of their row, the touched counters are then sorted and emitted. Threads own chunks of items. Both tiers use
 * it: like {@code PanamaGram}'s dense counting, the work is bound by scattered counter accesses, not arithmetic.
 */
final class ScalarCooccurrence implements CooccurrenceKernel {

    /** Item chunks per thread: enough to balance the heavy rows of popular items. */
    private static final int CHUNKS_PER_THREAD = 16;

    @Override
    public SparseGram sparseGram(CsrMatrix x, KernelThreads pool) {
        int n = x.cols();
        int m = x.rows();
        int[] itemPtr = new int[n + 1];
        for (int u = 0; u < m; u++) {
            for (int p = x.rowStart(u); p < x.rowEnd(u); p++) {
                itemPtr[x.col(p) + 1]++;
            }
        }
        int[] diagonal = new int[n];
        for (int i = 0; i < n; i++) {
            diagonal[i] = itemPtr[i + 1];
            itemPtr[i + 1] += itemPtr[i];
        }
        int[] users = new int[itemPtr[n]];
        int[] fill = Arrays.copyOf(itemPtr, n);
        for (int u = 0; u < m; u++) {
            for (int p = x.rowStart(u); p < x.rowEnd(u); p++) {
                users[fill[x.col(p)]++] = u;
            }
        }
        int chunks = Math.max(1, Math.min(n, pool.threads() * CHUNKS_PER_THREAD));
        int[][] chunkCols = new int[chunks][];
        float[][] chunkCounts = new float[chunks][];
        int[] rowNnz = new int[n];
        pool.forRange(chunks, 1, (from, to) -> {
            int[] acc = new int[n];
            int[] touched = new int[n];
            for (int c = from; c < to; c++) {
                int first = (int) ((long) n * c / chunks);
                int last = (int) ((long) n * (c + 1) / chunks);
                int[] cols = new int[16];
                float[] counts = new float[16];
                int size = 0;
                for (int i = first; i < last; i++) {
                    int t = 0;
                    for (int e = itemPtr[i]; e < itemPtr[i + 1]; e++) {
                        int u = users[e];
                        for (int p = x.rowStart(u); p < x.rowEnd(u); p++) {
                            int j = x.col(p);
                            if (acc[j]++ == 0) {
                                touched[t++] = j;
                            }
                        }
                    }
                    Arrays.sort(touched, 0, t);
                    if (size + t > cols.length) {
                        int grown = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(2L * cols.length, (long) size + t));
                        cols = Arrays.copyOf(cols, grown);
                        counts = Arrays.copyOf(counts, grown);
                    }
                    for (int s = 0; s < t; s++) {
                        int j = touched[s];
                        if (j != i) {
                            cols[size] = j;
                            counts[size++] = acc[j];
                        }
                        acc[j] = 0;
                    }
                    rowNnz[i] = t - (diagonal[i] > 0 ? 1 : 0);
                }
                chunkCols[c] = Arrays.copyOf(cols, size);
                chunkCounts[c] = Arrays.copyOf(counts, size);
            }
        });
        int[] rowPtr = new int[n + 1];
        long total = 0;
        for (int i = 0; i < n; i++) {
            total += rowNnz[i];
            if (total > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("sparseGram: X^T X has more than 2^31 off-diagonal non-zeros (" + n
                        + " items, " + x.nnz() + " clicks); a sparse matrix with int positions cannot hold it");
            }
            rowPtr[i + 1] = (int) total;
        }
        int[] cols = new int[(int) total];
        float[] counts = new float[(int) total];
        for (int c = 0; c < chunks; c++) {
            int at = rowPtr[(int) ((long) n * c / chunks)];
            System.arraycopy(chunkCols[c], 0, cols, at, chunkCols[c].length);
            System.arraycopy(chunkCounts[c], 0, counts, at, chunkCounts[c].length);
            chunkCols[c] = null;
            chunkCounts[c] = null;
        }
        return new SparseGram(CsrMatrix.of(n, n, rowPtr, cols, counts), diagonal);
    }
}
