package dev.sparsecf.kernels;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Objects;

/**
 * A {@code rows x cols} sparse matrix in compressed sparse row form, off-heap.
 *
 * <p>Row {@code i} holds the entries at positions {@code [rowStart(i), rowEnd(i))} of the column-index and
 * value segments; columns are strictly increasing within a row. Without a value segment the matrix is
 * <em>binary</em>: every stored entry is 1 (implicit feedback). Construction validates the structure once,
 * so kernels can trust it. Row-range views share memory with their parent and never free it.
 */
public final class CsrMatrix implements AutoCloseable {

    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT;

    private final int rows;
    private final int cols;
    private final MemorySegment rowPtr; // rows + 1 ints, absolute positions into colIdx/values
    private final MemorySegment colIdx;
    private final MemorySegment values; // null when binary
    private final Arena arena; // null for views

    private CsrMatrix(int rows, int cols, MemorySegment rowPtr, MemorySegment colIdx, MemorySegment values, Arena arena) {
        this.rows = rows;
        this.cols = cols;
        this.rowPtr = rowPtr;
        this.colIdx = colIdx;
        this.values = values;
        this.arena = arena;
    }

    /**
     * Copies and validates CSR arrays: {@code rowPtr} has {@code rows + 1} entries starting at 0 and never
     * decreasing, every column is in {@code [0, cols)} and strictly increasing within its row, and
     * {@code values} is null (binary) or has one finite value per entry.
     *
     * @throws IllegalArgumentException naming the row, position and value that break the structure
     */
    public static CsrMatrix of(int rows, int cols, int[] rowPtr, int[] colIdx, float[] values) {
        Objects.requireNonNull(rowPtr, "rowPtr");
        Objects.requireNonNull(colIdx, "colIdx");
        validate(rows, cols, rowPtr, colIdx, values);
        int nnz = rowPtr[rows];
        Arena arena = Arena.ofShared();
        try {
            MemorySegment rp = arena.allocate(INT, rows + 1L);
            MemorySegment ci = arena.allocate(INT, Math.max(1, nnz));
            MemorySegment.copy(rowPtr, 0, rp, INT, 0, rows + 1);
            MemorySegment.copy(colIdx, 0, ci, INT, 0, nnz);
            MemorySegment vs = null;
            if (values != null) {
                vs = arena.allocate(FLOAT, Math.max(1, nnz));
                MemorySegment.copy(values, 0, vs, FLOAT, 0, nnz);
            }
            return new CsrMatrix(rows, cols, rp, ci, vs, arena);
        } catch (RuntimeException | OutOfMemoryError e) {
            arena.close();
            throw e;
        }
    }

    /** Binary CSR from arrays; see {@link #of(int, int, int[], int[], float[])}. */
    public static CsrMatrix binary(int rows, int cols, int[] rowPtr, int[] colIdx) {
        return of(rows, cols, rowPtr, colIdx, null);
    }

    private static void validate(int rows, int cols, int[] rowPtr, int[] colIdx, float[] values) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("negative CSR shape " + rows + "x" + cols);
        }
        if (rowPtr.length != rows + 1) {
            throw new IllegalArgumentException("rowPtr has " + rowPtr.length + " entries, expected rows + 1 = " + (rows + 1));
        }
        if (rowPtr[0] != 0) {
            throw new IllegalArgumentException("rowPtr[0] is " + rowPtr[0] + ", expected 0");
        }
        for (int i = 0; i < rows; i++) {
            if (rowPtr[i + 1] < rowPtr[i]) {
                throw new IllegalArgumentException("row " + i + ": rowPtr decreases from " + rowPtr[i] + " to "
                        + rowPtr[i + 1] + " (rowPtr must be non-decreasing)");
            }
        }
        int nnz = rowPtr[rows];
        if (colIdx.length < nnz) {
            throw new IllegalArgumentException("colIdx has " + colIdx.length + " entries but rowPtr[rows] says " + nnz);
        }
        if (values != null && values.length < nnz) {
            throw new IllegalArgumentException("values has " + values.length + " entries but rowPtr[rows] says " + nnz);
        }
        for (int i = 0; i < rows; i++) {
            int prev = -1;
            for (int p = rowPtr[i]; p < rowPtr[i + 1]; p++) {
                int c = colIdx[p];
                if (c < 0 || c >= cols) {
                    throw new IllegalArgumentException("row " + i + ": column " + c + " at position " + p
                            + " is out of range [0, " + cols + ")");
                }
                if (c == prev) {
                    throw new IllegalArgumentException("row " + i + ": duplicate column " + c + " at position " + p);
                }
                if (c < prev) {
                    throw new IllegalArgumentException("row " + i + ": column " + c + " at position " + p
                            + " follows column " + prev + " (columns must be sorted within a row)");
                }
                if (values != null && !Float.isFinite(values[p])) {
                    throw new IllegalArgumentException("row " + i + ", column " + c + ": value " + values[p]
                            + " at position " + p + " is not finite");
                }
                prev = c;
            }
        }
    }

    /** Starts a builder for a matrix with {@code cols} columns, filled row by row. */
    public static Builder builder(int cols) {
        return new Builder(cols);
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    /** Number of stored entries. */
    public long nnz() {
        return rows == 0 ? 0 : rowEnd(rows - 1) - rowStart(0);
    }

    /** True when there is no value segment: every stored entry is 1. */
    public boolean isBinary() {
        return values == null;
    }

    /** Position of row {@code i}'s first entry in {@link #colIdx()} / {@link #values()}. */
    public int rowStart(int i) {
        return rowPtr.getAtIndex(INT, i);
    }

    /** One past the position of row {@code i}'s last entry. */
    public int rowEnd(int i) {
        return rowPtr.getAtIndex(INT, i + 1L);
    }

    /** Number of entries in row {@code i}. */
    public int rowNnz(int i) {
        return rowEnd(i) - rowStart(i);
    }

    /** Column index stored at position {@code p}. */
    public int col(int p) {
        return colIdx.getAtIndex(INT, p);
    }

    /** Value stored at position {@code p} (1 for a binary matrix). */
    public float value(int p) {
        return values == null ? 1f : values.getAtIndex(FLOAT, p);
    }

    /** The row pointers: {@code rows + 1} ints (absolute positions, also in views). */
    public MemorySegment rowPtr() {
        return rowPtr;
    }

    /** The column indices (ints), indexed by absolute position. */
    public MemorySegment colIdx() {
        return colIdx;
    }

    /** The values (floats) indexed by absolute position, or null for a binary matrix. */
    public MemorySegment values() {
        return values;
    }

    /** A view of rows {@code [from, to)} sharing this matrix's memory. */
    public CsrMatrix rows(int from, int to) {
        Objects.checkFromToIndex(from, to, rows);
        MemorySegment rp = rowPtr.asSlice((long) from * Integer.BYTES, (to - from + 1L) * Integer.BYTES);
        return new CsrMatrix(to - from, cols, rp, colIdx, values, null);
    }

    /** Whether this matrix owns (and {@link #close()} frees) its memory. */
    public boolean ownsMemory() {
        return arena != null;
    }

    /** Frees the memory of an owning matrix; a no-op for views. */
    @Override
    public void close() {
        if (arena != null) {
            arena.close();
        }
    }

    @Override
    public String toString() {
        return "CsrMatrix[" + rows + "x" + cols + ", nnz=" + nnz() + (isBinary() ? ", binary" : ", weighted") + "]";
    }

    /** Accumulates rows on the heap, then copies them off-heap once in {@link #build()}. */
    public static final class Builder {
        private final int cols;
        private int rows;
        private int[] rowPtr = new int[16];
        private int[] colIdx = new int[64];
        private float[] values; // allocated on the first weighted row
        private int nnz;

        private Builder(int cols) {
            if (cols < 0) {
                throw new IllegalArgumentException("negative column count " + cols);
            }
            this.cols = cols;
        }

        /** Appends a binary row; columns may come in any order but must be distinct and in range. */
        public Builder addRow(int... columns) {
            return addRow(columns, null);
        }

        /** Appends a weighted row ({@code weights[t]} belongs to {@code columns[t]}); columns in any order. */
        public Builder addRow(int[] columns, float[] weights) {
            Objects.requireNonNull(columns, "columns");
            if (weights != null && weights.length != columns.length) {
                throw new IllegalArgumentException("row " + rows + ": " + columns.length + " columns but "
                        + weights.length + " weights");
            }
            if (weights != null && values == null) {
                values = new float[colIdx.length];
                Arrays.fill(values, 0, nnz, 1f);
            }
            Integer[] order = null;
            boolean sorted = true;
            for (int t = 1; t < columns.length && sorted; t++) {
                sorted = columns[t - 1] < columns[t];
            }
            if (!sorted) {
                order = new Integer[columns.length];
                for (int t = 0; t < order.length; t++) {
                    order[t] = t;
                }
                Arrays.sort(order, (x, y) -> Integer.compare(columns[x], columns[y]));
            }
            ensureCapacity(nnz + columns.length);
            int prev = -1;
            for (int t = 0; t < columns.length; t++) {
                int src = order == null ? t : order[t];
                int c = columns[src];
                if (c < 0 || c >= cols) {
                    throw new IllegalArgumentException("row " + rows + ": column " + c + " is out of range [0, " + cols + ")");
                }
                if (c == prev) {
                    throw new IllegalArgumentException("row " + rows + ": duplicate column " + c);
                }
                colIdx[nnz + t] = c;
                if (values != null) {
                    values[nnz + t] = weights == null ? 1f : weights[src];
                }
                prev = c;
            }
            nnz += columns.length;
            if (rows + 2 > rowPtr.length) {
                rowPtr = Arrays.copyOf(rowPtr, rowPtr.length * 2);
            }
            rows++;
            rowPtr[rows] = nnz;
            return this;
        }

        private void ensureCapacity(int needed) {
            if (needed > colIdx.length) {
                int cap = Math.max(needed, colIdx.length * 2);
                colIdx = Arrays.copyOf(colIdx, cap);
                if (values != null) {
                    values = Arrays.copyOf(values, cap);
                }
            }
        }

        /** Number of rows added so far. */
        public int rows() {
            return rows;
        }

        /** Validates and copies the rows off-heap. */
        public CsrMatrix build() {
            return of(rows, cols, Arrays.copyOf(rowPtr, rows + 1), colIdx, values);
        }
    }
}
