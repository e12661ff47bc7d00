package dev.sparsecf.kernels;

import java.util.Objects;

/**
 * The Gram matrix {@code G = X^T X} of a binary {@code m x n} matrix X kept sparse: {@code offDiagonal} is an
 * {@code n x n} CSR matrix whose row i holds every item j != i that shares a row of X with i, columns sorted, the
 * value the exact co-occurrence count (float, exact below 2^24 users); {@code diagonal[i]} is item i's count of
 * rows (its popularity). Closing it frees the CSR matrix.
 */
public record SparseGram(CsrMatrix offDiagonal, int[] diagonal) implements AutoCloseable {

    /** Checks the shapes agree: a square CSR matrix with values and one diagonal count per item. */
    public SparseGram {
        Objects.requireNonNull(offDiagonal, "offDiagonal");
        Objects.requireNonNull(diagonal, "diagonal");
        if (offDiagonal.rows() != offDiagonal.cols() || diagonal.length != offDiagonal.rows() || offDiagonal.isBinary()) {
            throw new IllegalArgumentException("SparseGram: needs a square weighted CSR matrix and one diagonal count per"
                    + " row, got " + offDiagonal + " and " + diagonal.length + " counts");
        }
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
