package dev.sparsecf.spark;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Exact counts of rows {@code [lo, hi)} of the Gram {@code X^T X} in a dense {@code int} block of
 * {@code (hi - lo) x n}, with the non-zero positions listed as they first appear, so draining costs the non-zeros,
 * not the block. A user with {@code m} items adds {@code m} increments per own item in the block, each row's
 * increments in ascending column order; memory is the block, whatever the users' sizes.
 */
final class RowBlock {

    /** A drained part of a block: positions {@code (i - lo) * n + j} and their counts. */
    record Chunk(int block, int[] offsets, int[] counts) implements Serializable {
    }

    private final int n;
    private final int rows;
    private final int[] counts;
    private int[] touched = new int[1024];
    private int size;
    private int block;
    private int lo;
    private int hi;

    /** A block of {@code rows} rows of an {@code n x n} Gram. */
    RowBlock(int n, int rows) {
        this.n = n;
        this.rows = rows;
        this.counts = new int[Math.multiplyExact(rows, n)];
    }

    /** Rows per block for an {@code n}-item Gram when a block may hold {@code entries} counts: at least one. */
    static int rowsPerBlock(int n, long entries) {
        return (int) Math.max(1, Math.min(n, entries / n));
    }

    /** Starts counting block number {@code b} (rows {@code b * rows} on); the block must be empty. */
    void start(int b) {
        block = b;
        lo = Math.multiplyExact(b, rows);
        hi = Math.min(n, lo + rows);
    }

    /** Adds the pairs of one user's items {@code items} (ascending, distinct) whose first item is in the block. */
    void add(int[] items) {
        if (items.length == 0 || items[items.length - 1] < lo || items[0] >= hi) {
            return;
        }
        int from = lowerBound(items, lo);
        int to = lowerBound(items, hi);
        for (int a = from; a < to; a++) {
            int base = (items[a] - lo) * n;
            for (int j : items) {
                if (counts[base + j]++ == 0) {
                    touch(base + j);
                }
            }
        }
    }

    /** Adds a drained chunk of the same block (another partition's counts). */
    void add(Chunk c) {
        int[] offsets = c.offsets();
        int[] cs = c.counts();
        for (int t = 0; t < offsets.length; t++) {
            int o = offsets[t];
            if (counts[o] == 0) {
                touch(o);
            }
            counts[o] = Math.addExact(counts[o], cs[t]);
        }
    }

    private void touch(int offset) {
        if (size == touched.length) {
            touched = Arrays.copyOf(touched, Math.min(counts.length, 2 * size));
        }
        touched[size++] = offset;
    }

    /** The block's first row. */
    int lo() {
        return lo;
    }

    int n() {
        return n;
    }

    /** The non-zero positions in order: rows, then columns, ascending. */
    int[] sortedOffsets() {
        if (size > counts.length / 16) { // a dense block: one scan costs less than sorting the list
            int[] o = new int[size];
            int m = 0;
            for (int p = 0; p < counts.length; p++) {
                if (counts[p] != 0) {
                    o[m++] = p;
                }
            }
            return o;
        }
        int[] o = Arrays.copyOf(touched, size);
        Arrays.sort(o);
        return o;
    }

    int count(int offset) {
        return counts[offset];
    }

    /**
     * The non-zeros in chunks of at most {@code max}, in no particular order (the reduce side sums them into its own
     * block), leaving the block empty for the next {@link #start}.
     */
    java.util.List<Chunk> drain(int max) {
        int[] o = touched;
        java.util.List<Chunk> out = new java.util.ArrayList<>();
        for (int from = 0; from < size; from += max) {
            int[] offsets = Arrays.copyOfRange(o, from, Math.min(size, from + max));
            int[] cs = new int[offsets.length];
            for (int t = 0; t < offsets.length; t++) {
                cs[t] = counts[offsets[t]];
            }
            out.add(new Chunk(block, offsets, cs));
        }
        clear();
        return out;
    }

    /** Zeroes the touched counts only. */
    void clear() {
        for (int t = 0; t < size; t++) {
            counts[touched[t]] = 0;
        }
        size = 0;
    }

    private static int lowerBound(int[] a, int key) {
        int l = 0;
        int h = a.length;
        while (l < h) {
            int m = (l + h) >>> 1;
            if (a[m] < key) {
                l = m + 1;
            } else {
                h = m;
            }
        }
        return l;
    }
}
