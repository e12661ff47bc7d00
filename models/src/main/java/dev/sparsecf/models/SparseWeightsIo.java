package dev.sparsecf.models;

import dev.sparsecf.kernels.CsrMatrix;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.function.Function;

/** A sparse EASE B in the model file: shape, non-zero count, row pointers, columns, values (big-endian, in chunks). */
final class SparseWeightsIo {

    private static final ValueLayout.OfInt STORED_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfFloat STORED_FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    /** Elements per write or read: 256 KB buffers. */
    private static final int CHUNK = 1 << 16;

    private SparseWeightsIo() {
    }

    /** int rows, int cols, int nnz, then row pointers (rows + 1), columns and values (nnz each). */
    static void write(DataOutputStream out, CsrMatrix b) throws IOException {
        int nnz = Math.toIntExact(b.nnz());
        out.writeInt(b.rows());
        out.writeInt(b.cols());
        out.writeInt(nnz);
        int base = b.rowStart(0);
        int[] rowPtr = new int[b.rows() + 1];
        for (int i = 0; i <= b.rows(); i++) {
            rowPtr[i] = (i == b.rows() ? b.rowEnd(i - 1) : b.rowStart(i)) - base;
        }
        copyOut(out, MemorySegment.ofArray(rowPtr), ValueLayout.JAVA_INT, STORED_INT, rowPtr.length);
        copyOut(out, b.colIdx().asSlice((long) base * Integer.BYTES), ValueLayout.JAVA_INT, STORED_INT, nnz);
        copyOut(out, b.values().asSlice((long) base * Float.BYTES), ValueLayout.JAVA_FLOAT, STORED_FLOAT, nnz);
    }

    /**
     * Reads what {@link #write} wrote for {@code n} items; a wrong shape or a broken CSR structure is an
     * {@link IOException} from {@code corrupt}.
     */
    static CsrMatrix read(DataInputStream in, int n, Function<String, IOException> corrupt) throws IOException {
        int rows = in.readInt();
        int cols = in.readInt();
        int nnz = in.readInt();
        if (rows != n || cols != n || nnz < 0) {
            throw corrupt.apply("EASE's sparse B is stored as " + rows + "x" + cols + " with " + nnz
                    + " non-zeros, the item count needs " + n + "x" + n);
        }
        int[] rowPtr = new int[n + 1];
        int[] colIdx = new int[nnz];
        float[] values = new float[nnz];
        copyIn(in, MemorySegment.ofArray(rowPtr), ValueLayout.JAVA_INT, STORED_INT, rowPtr.length);
        copyIn(in, MemorySegment.ofArray(colIdx), ValueLayout.JAVA_INT, STORED_INT, nnz);
        copyIn(in, MemorySegment.ofArray(values), ValueLayout.JAVA_FLOAT, STORED_FLOAT, nnz);
        if (rowPtr[n] != nnz) {
            throw corrupt.apply("EASE's sparse B: the row pointers end at " + rowPtr[n] + ", not at its " + nnz + " non-zeros");
        }
        try {
            return CsrMatrix.of(n, n, rowPtr, colIdx, values);
        } catch (IllegalArgumentException e) {
            throw corrupt.apply("EASE's sparse B: " + e.getMessage());
        }
    }

    private static void copyOut(DataOutputStream out, MemorySegment from, ValueLayout layout, ValueLayout stored, int count)
            throws IOException {
        byte[] buf = new byte[CHUNK * 4];
        MemorySegment bytes = MemorySegment.ofArray(buf);
        for (int at = 0; at < count; at += CHUNK) {
            int len = Math.min(CHUNK, count - at);
            MemorySegment.copy(from, layout, (long) at * 4, bytes, stored, 0, len);
            out.write(buf, 0, len * 4);
        }
    }

    private static void copyIn(DataInputStream in, MemorySegment to, ValueLayout layout, ValueLayout stored, int count)
            throws IOException {
        byte[] buf = new byte[CHUNK * 4];
        MemorySegment bytes = MemorySegment.ofArray(buf);
        for (int at = 0; at < count; at += CHUNK) {
            int len = Math.min(CHUNK, count - at);
            in.readFully(buf, 0, len * 4);
            MemorySegment.copy(bytes, stored, 0, to, layout, (long) at * 4, len);
        }
    }
}
