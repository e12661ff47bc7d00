package dev.sparsecf.kernels;

import java.util.Arrays;

/**
 * Row i of G from the item-to-users index (Gram kernel's idea): every user of item i adds one to an int counter per
 * item of their row, the touched counters are then sorted and emitted. Threads own chunks of items. Both tiers use
 * it: like {@code PanamaGram}'s dense counting, the work is bound by scattered counter accesses, not arithmetic.
 * A row with more co-occurring items than the cap keeps its top ones, found without sorting: a histogram of its
 * counts gives the cap-th largest count c, the items above c are kept and, of those at c, the lowest indices (a
 * bitmap of n bits scanned in order, which also emits the kept columns sorted).
 */
final class ScalarCooccurrence implements CooccurrenceKernel {

    /** Item chunks per thread: enough to balance the heavy rows of popular items. */
    private static final int CHUNKS_PER_THREAD = 16;

    @Override
    public SparseGram sparseGram(CsrMatrix x, int cap, KernelThreads pool) {
        if (cap < 1) {
            throw new IllegalArgumentException("sparseGram: the cap must be >= 1, got " + cap);
        }
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
        int[] dropped = new int[n];
        int maxCount = 0;
        for (int d : diagonal) {
            maxCount = Math.max(maxCount, d);
        }
        int histogramLength = maxCount + 1;
        pool.forRange(chunks, 1, (from, to) -> {
            int[] acc = new int[n];
            int[] touched = new int[n];
            Selection top = cap < n - 1 ? new Selection(n, histogramLength) : null;
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
                    int self = diagonal[i] > 0 ? 1 : 0; // i is among its own users' items
                    if (t - self > cap) {
                        if (size + cap > cols.length) {
                            int grown = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(2L * cols.length, (long) size + cap));
                            cols = Arrays.copyOf(cols, grown);
                            counts = Arrays.copyOf(counts, grown);
                        }
                        dropped[i] = top.keep(i, acc, touched, t, cap, diagonal[i], cols, counts, size);
                        size += cap;
                        rowNnz[i] = cap;
                        continue;
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
        return new SparseGram(CsrMatrix.of(n, n, rowPtr, cols, counts), diagonal, cap, dropped);
    }

    /** One thread's buffers for keeping a row's top {@code cap} co-occurring items. */
    private static final class Selection {

        private final int[] histogram;
        private final long[] kept;
        private final long[] ties;

        Selection(int n, int histogramLength) {
            histogram = new int[histogramLength];
            kept = new long[(n + 63) / 64];
            ties = new long[kept.length];
        }

        /**
         * Writes row i's top {@code cap} items (count desc, ties to the lower index), columns sorted, at
         * {@code cols/counts[at...]}; resets {@code acc} for every touched item. {@code maxCount} bounds the counts.
         * Returns the smallest kept count, which bounds every dropped one.
         */
        int keep(int i, int[] acc, int[] touched, int t, int cap, int maxCount, int[] cols, float[] counts, int at) {
            for (int s = 0; s < t; s++) {
                if (touched[s] != i) {
                    histogram[acc[touched[s]]]++;
                }
            }
            int c = maxCount;
            int above = 0;
            while (above + histogram[c] < cap) { // c stays >= 1: more than cap items have a count >= 1
                above += histogram[c--];
            }
            int tiesWanted = cap - above;
            for (int s = 0; s < t; s++) {
                int j = touched[s];
                histogram[acc[j]] = 0;
                if (j != i && acc[j] >= c) {
                    long[] bits = acc[j] > c ? kept : ties;
                    bits[j >>> 6] |= 1L << j;
                }
            }
            for (int w = 0; w < ties.length; w++) { // the lowest-index ties join the kept items
                long word = ties[w];
                ties[w] = 0;
                while (word != 0 && tiesWanted > 0) {
                    long low = word & -word;
                    kept[w] |= low;
                    word ^= low;
                    tiesWanted--;
                }
            }
            int out = at;
            for (int w = 0; w < kept.length; w++) {
                long word = kept[w];
                kept[w] = 0;
                while (word != 0) {
                    int j = (w << 6) + Long.numberOfTrailingZeros(word);
                    word &= word - 1;
                    cols[out] = j;
                    counts[out++] = acc[j];
                }
            }
            for (int s = 0; s < t; s++) {
                acc[touched[s]] = 0;
            }
            return c;
        }
    }
}
