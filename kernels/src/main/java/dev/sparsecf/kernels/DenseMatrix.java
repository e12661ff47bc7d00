package dev.sparsecf.kernels;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * A float32 row-major matrix in an off-heap {@link MemorySegment}.
 *
 * <p>Rows start {@link #ld()} floats apart; {@code ld} is {@code cols} rounded up to {@link #ROW_ALIGN_FLOATS}
 * (64 bytes, one cache line and a whole number of vectors for every x86 and most ARM species), and the
 * padding is zero at allocation. A matrix made by {@link #allocate} owns its {@link Arena} and frees it on
 * {@link #close()}; views from {@link #rows(int, int)} share the memory and never free it.
 */
public final class DenseMatrix implements AutoCloseable {

    /** Row stride granularity in floats: 16 floats = 64 bytes. */
    public static final int ROW_ALIGN_FLOATS = 16;

    private static final long ALIGN_BYTES = ROW_ALIGN_FLOATS * Float.BYTES;

    private final int rows;
    private final int cols;
    private final int ld;
    private final MemorySegment segment;
    private final Arena arena; // null for views and wrapped segments

    private DenseMatrix(int rows, int cols, int ld, MemorySegment segment, Arena arena) {
        this.rows = rows;
        this.cols = cols;
        this.ld = ld;
        this.segment = segment;
        this.arena = arena;
    }

    /** Allocates a zeroed {@code rows x cols} matrix in its own shared arena (usable from any thread). */
    public static DenseMatrix allocate(int rows, int cols) {
        checkShape(rows, cols);
        int ld = paddedStride(cols);
        Arena arena = Arena.ofShared();
        try {
            MemorySegment seg = arena.allocate(Math.max(1L, (long) rows * ld * Float.BYTES), ALIGN_BYTES);
            return new DenseMatrix(rows, cols, ld, seg, arena);
        } catch (RuntimeException | OutOfMemoryError e) {
            arena.close();
            throw e;
        }
    }

    /** Allocates a {@code rows x cols} matrix in the caller's arena; the caller frees it by closing the arena. */
    public static DenseMatrix allocate(Arena arena, int rows, int cols) {
        Objects.requireNonNull(arena, "arena");
        checkShape(rows, cols);
        int ld = paddedStride(cols);
        MemorySegment seg = arena.allocate(Math.max(1L, (long) rows * ld * Float.BYTES), ALIGN_BYTES);
        return new DenseMatrix(rows, cols, ld, seg, null);
    }

    /** Allocates a matrix holding a copy of {@code values} (row-major, {@code rows * cols} floats). */
    public static DenseMatrix of(int rows, int cols, float[] values) {
        Objects.requireNonNull(values, "values");
        if (values.length != (long) rows * cols) {
            throw new IllegalArgumentException("values has " + values.length + " floats, expected rows*cols = "
                    + rows + "*" + cols + " = " + (long) rows * cols);
        }
        DenseMatrix m = allocate(rows, cols);
        for (int i = 0; i < rows; i++) {
            MemorySegment.copy(values, i * cols, m.segment, ValueLayout.JAVA_FLOAT, m.offset(i, 0), cols);
        }
        return m;
    }

    /** Wraps an existing segment laid out with row stride {@code ld}; the caller keeps ownership. */
    public static DenseMatrix wrap(MemorySegment segment, int rows, int cols, int ld) {
        Objects.requireNonNull(segment, "segment");
        checkShape(rows, cols);
        if (ld < cols) {
            throw new IllegalArgumentException("ld " + ld + " < cols " + cols);
        }
        long needed = rows == 0 ? 0 : ((long) (rows - 1) * ld + cols) * Float.BYTES;
        if (segment.byteSize() < needed) {
            throw new IllegalArgumentException("segment of " + segment.byteSize() + " bytes is too small for "
                    + rows + "x" + cols + " with ld " + ld + " (" + needed + " bytes)");
        }
        return new DenseMatrix(rows, cols, ld, segment, null);
    }

    /** Row stride used for a matrix with {@code cols} columns. */
    public static int paddedStride(int cols) {
        return Math.max(ROW_ALIGN_FLOATS, (cols + ROW_ALIGN_FLOATS - 1) / ROW_ALIGN_FLOATS * ROW_ALIGN_FLOATS);
    }

    private static void checkShape(int rows, int cols) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("negative matrix shape " + rows + "x" + cols);
        }
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    /** Leading dimension: floats between the starts of consecutive rows. */
    public int ld() {
        return ld;
    }

    /** The backing segment; element (i, j) is at float index {@code i * ld + j}. */
    public MemorySegment segment() {
        return segment;
    }

    /** Byte offset of element (i, j) in {@link #segment()}. */
    public long offset(int i, int j) {
        return ((long) i * ld + j) * Float.BYTES;
    }

    /** The {@code cols} floats of row {@code i} as a segment slice (no copy). */
    public MemorySegment row(int i) {
        Objects.checkIndex(i, rows);
        return segment.asSlice(offset(i, 0), (long) cols * Float.BYTES);
    }

    public float get(int i, int j) {
        Objects.checkIndex(i, rows);
        Objects.checkIndex(j, cols);
        return segment.get(ValueLayout.JAVA_FLOAT, offset(i, j));
    }

    public void set(int i, int j, float value) {
        Objects.checkIndex(i, rows);
        Objects.checkIndex(j, cols);
        segment.set(ValueLayout.JAVA_FLOAT, offset(i, j), value);
    }

    /** A view of rows {@code [from, to)} sharing this matrix's memory. */
    public DenseMatrix rows(int from, int to) {
        Objects.checkFromToIndex(from, to, rows);
        // a wrapped segment may end right after the last row's cols floats: clamp, or an empty view at the end
        // (from == rows) would start past it
        long start = Math.min(offset(from, 0), segment.byteSize());
        long bytes = Math.min((long) (to - from) * ld * Float.BYTES, segment.byteSize() - start);
        return new DenseMatrix(to - from, cols, ld, segment.asSlice(start, bytes), null);
    }

    /** Sets every element in the valid columns to {@code value}; the row padding is left as it is. */
    public void fill(float value) {
        for (int i = 0; i < rows; i++) {
            MemorySegment row = segment.asSlice(offset(i, 0), (long) cols * Float.BYTES);
            if (value == 0f && Float.floatToRawIntBits(value) == 0) {
                row.fill((byte) 0);
            } else {
                for (int j = 0; j < cols; j++) {
                    row.setAtIndex(ValueLayout.JAVA_FLOAT, j, value);
                }
            }
        }
    }

    /** Copies {@code src} (same shape) into this matrix. */
    public void copyFrom(DenseMatrix src) {
        if (src.rows != rows || src.cols != cols) {
            throw new IllegalArgumentException("shape mismatch: " + src.rows + "x" + src.cols + " into " + rows + "x" + cols);
        }
        for (int i = 0; i < rows; i++) {
            MemorySegment.copy(src.segment, src.offset(i, 0), segment, offset(i, 0), (long) cols * Float.BYTES);
        }
    }

    /** A row-major heap copy of the valid elements ({@code rows * cols} floats). */
    public float[] toArray() {
        float[] out = new float[Math.multiplyExact(rows, cols)];
        for (int i = 0; i < rows; i++) {
            MemorySegment.copy(segment, ValueLayout.JAVA_FLOAT, offset(i, 0), out, i * cols, cols);
        }
        return out;
    }

    /** Whether this matrix owns (and {@link #close()} frees) its memory. */
    public boolean ownsMemory() {
        return arena != null;
    }

    /** Frees the memory of an owning matrix; a no-op for views and wrapped segments. */
    @Override
    public void close() {
        if (arena != null) {
            arena.close();
        }
    }

    @Override
    public String toString() {
        return "DenseMatrix[" + rows + "x" + cols + ", ld=" + ld + "]";
    }
}
