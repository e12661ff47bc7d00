package dev.sparsecf.kernels;

import java.util.Objects;

/**
 * The Gram matrix {@code G = X^T X} of a binary {@code m x n} matrix X kept sparse: {@code offDiagonal} is an
 * {@code n x n} CSR matrix whose row i holds every item j != i that shares a row of X with i, columns sorted, the
 * value the exact co-occurrence count (float, exact below 2^24 users); {@code diagonal[i]} is item i's count of
 * rows (its popularity). Counted with a {@code cap} M, a row with more than M co-occurring items keeps only its M
 * most co-occurring (higher count first, ties to the lower item index) and {@code dropped[i]} bounds the counts it
 * lost (the smallest kept count; 0 for a whole row), so G is then exact where j is among i's top M and no longer
 * symmetric. Closing it frees the CSR matrix.
 */
public record SparseGram(CsrMatrix offDiagonal, int[] diagonal, int cap, int[] dropped) implements AutoCloseable {

    /** The whole Gram matrix (no cap). */
    public SparseGram(CsrMatrix offDiagonal, int[] diagonal) {
        this(offDiagonal, diagonal, Integer.MAX_VALUE, new int[diagonal.length]);
    }

    /** Checks the shapes agree: a square CSR matrix with values, one diagonal count and one drop bound per row. */
    public SparseGram {
        Objects.requireNonNull(offDiagonal, "offDiagonal");
        Objects.requireNonNull(diagonal, "diagonal");
        Objects.requireNonNull(dropped, "dropped");
        if (offDiagonal.rows() != offDiagonal.cols() || diagonal.length != offDiagonal.rows() || offDiagonal.isBinary()
                || cap < 1 || dropped.length != diagonal.length) {
            throw new IllegalArgumentException("SparseGram: needs a square weighted CSR matrix, one diagonal count and one"
                    + " drop bound per row and a positive cap, got " + offDiagonal + ", " + diagonal.length + " counts, "
                    + dropped.length + " bounds, cap " + cap);
        }
    }

    /** Rows that lost co-occurring items to the cap. */
    public int cappedRows() {
        int rows = 0;
        for (int d : dropped) {
            rows += d > 0 ? 1 : 0;
        }
        return rows;
    }

    /** Number of items n. */
    public int items() {
        return diagonal.length;
    }

    /** Element {@code G[i][j]} (a binary search in row i off the diagonal). */
    public double get(int i, int j) {
        if (i == j) {
            return diagonal[i];
        }
        int lo = offDiagonal.rowStart(i);
        int hi = offDiagonal.rowEnd(i) - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = offDiagonal.col(mid);
            if (c == j) {
                return offDiagonal.value(mid);
            }
            if (c < j) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return 0;
    }

    @Override
    public void close() {
        offDiagonal.close();
    }
}
