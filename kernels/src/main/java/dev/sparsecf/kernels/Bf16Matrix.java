package dev.sparsecf.kernels;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A bf16 row-major matrix (the upper 16 bits of a float32, one {@code short} per element) in an off-heap
 * {@link MemorySegment}, laid out as a {@link DenseMatrix} of the same shape: rows {@link #ld()} elements apart, ld the
 * float matrix's padded stride. Made by {@link #allocate}, which owns its arena until {@link #close()}; views from
 * {@link #rows(int, int)} share the memory.
 */
public final class Bf16Matrix implements AutoCloseable {

    private final int rows;
    private final int cols;
    private final int ld;
    private final MemorySegment segment;
    private final Arena arena; // null for views

    private Bf16Matrix(int rows, int cols, int ld, MemorySegment segment, Arena arena) {
        this.rows = rows;
        this.cols = cols;
        this.ld = ld;
        this.segment = segment;
        this.arena = arena;
    }

    /** A zeroed {@code rows x cols} matrix in its own shared arena, with {@link DenseMatrix#paddedStride}. */
    public static Bf16Matrix allocate(int rows, int cols) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("negative matrix shape " + rows + "x" + cols);
        }
        int ld = DenseMatrix.paddedStride(cols);
        Arena arena = Arena.ofShared();
        try {
            return new Bf16Matrix(rows, cols, ld, arena.allocate(Math.max(1L, (long) rows * ld * Short.BYTES), 64), arena);
        } catch (RuntimeException | OutOfMemoryError e) {
            arena.close();
            throw e;
        }
    }

    /** Wraps {@code segment} (at least {@code ((rows - 1) * ld + cols)} shorts) with row stride {@code ld}; the caller owns it. */
    public static Bf16Matrix wrap(MemorySegment segment, int rows, int cols, int ld) {
        if (rows < 0 || cols < 0 || ld < cols) {
            throw new IllegalArgumentException("bad bf16 matrix shape " + rows + "x" + cols + " with ld " + ld);
        }
        long needed = rows == 0 ? 0 : ((long) (rows - 1) * ld + cols) * Short.BYTES;
        if (segment.byteSize() < needed) {
            throw new IllegalArgumentException("segment of " + segment.byteSize() + " bytes is too small for " + rows + "x"
                    + cols + " bf16 with ld " + ld + " (" + needed + " bytes)");
        }
        return new Bf16Matrix(rows, cols, ld, segment, null);
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    /** Elements between row starts. */
    public int ld() {
        return ld;
    }

    public MemorySegment segment() {
        return segment;
    }

    /** Byte offset of element {@code (i, j)}. */
    public long offset(int i, int j) {
        return ((long) i * ld + j) * Short.BYTES;
    }

    /** The bits of element {@code (i, j)}. */
    public short bits(int i, int j) {
        return segment.get(ValueLayout.JAVA_SHORT, offset(i, j));
    }

    /** Element {@code (i, j)} as the float it stands for. */
    public float get(int i, int j) {
        return Float.intBitsToFloat(bits(i, j) << 16);
    }

    /** A view of rows {@code [from, to)} sharing this memory. */
    public Bf16Matrix rows(int from, int to) {
        if (from < 0 || to < from || to > rows) {
            throw new IndexOutOfBoundsException("rows [" + from + ", " + to + ") of a " + rows + "-row matrix");
        }
        long bytes = from == to ? 0 : ((long) (to - from - 1) * ld + cols) * Short.BYTES;
        return new Bf16Matrix(to - from, cols, ld, segment.asSlice(offset(from, 0), bytes), null);
    }

    @Override
    public void close() {
        if (arena != null) {
            arena.close();
        }
    }

    @Override
    public String toString() {
        return "Bf16Matrix[" + rows + "x" + cols + ", ld=" + ld + "]";
    }
}
