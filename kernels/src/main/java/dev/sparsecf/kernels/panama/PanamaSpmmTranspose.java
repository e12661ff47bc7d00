package dev.sparsecf.kernels.panama;

import static dev.sparsecf.kernels.panama.PanamaVectorConstants.FLOATS;

import dev.sparsecf.kernels.CsrMatrix;
import dev.sparsecf.kernels.DenseMatrix;
import dev.sparsecf.kernels.SpmmTransposeKernel;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * {@code G += A^T * D} with the Vector API: for each CSR entry (i, j), row j of G gets {@code a_ij * D[i]}
 * over this task's column range. The D row stays in L1 across row i's entries; G rows stream. Binary
 * entries use add and weighted ones FMA, in full vectors and in the masked tail alike, so an element's
 * result does not depend on where a thread's column range starts.
 */
final class PanamaSpmmTranspose implements SpmmTransposeKernel {

    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    @Override
    public void spmmTransposeAccumulate(CsrMatrix a, DenseMatrix d, DenseMatrix g, int colFrom, int colTo) {
        MemorySegment ds = d.segment();
        MemorySegment gs = g.segment();
        long ldgBytes = (long) g.ld() * Float.BYTES;
        boolean binary = a.isBinary();
        int width = colTo - colFrom;
        int bound = FLOATS.loopBound(width);
        long colBytes = (long) colFrom * Float.BYTES;
        for (int i = 0; i < a.rows(); i++) {
            long dRow = d.offset(i, 0) + colBytes;
            for (int p = a.rowStart(i); p < a.rowEnd(i); p++) {
                long gRow = a.col(p) * ldgBytes + colBytes;
                if (binary) {
                    addRow(ds, dRow, gs, gRow, bound, width);
                } else {
                    fmaRow(ds, dRow, a.value(p), gs, gRow, bound, width);
                }
            }
        }
    }

    // The tail mask is made here, not passed in: when C2 does not inline these methods, a mask argument
    // is boxed at every call, 48 bytes per CSR entry and column chunk (26.7 MB per ml20m-vae call, seen
    // with bench gate's allocation check).
    private static void addRow(MemorySegment ds, long dRow, MemorySegment gs, long gRow, int bound, int width) {
        int j = 0;
        for (; j < bound; j += FLOATS.length()) {
            long o = (long) j * Float.BYTES;
            FloatVector.fromMemorySegment(FLOATS, gs, gRow + o, ORDER)
                    .add(FloatVector.fromMemorySegment(FLOATS, ds, dRow + o, ORDER))
                    .intoMemorySegment(gs, gRow + o, ORDER);
        }
        if (j < width) {
            long o = (long) j * Float.BYTES;
            VectorMask<Float> tail = FLOATS.indexInRange(j, width);
            FloatVector.fromMemorySegment(FLOATS, gs, gRow + o, ORDER, tail)
                    .add(FloatVector.fromMemorySegment(FLOATS, ds, dRow + o, ORDER, tail))
                    .intoMemorySegment(gs, gRow + o, ORDER, tail);
        }
    }

    private static void fmaRow(MemorySegment ds, long dRow, float w, MemorySegment gs, long gRow, int bound,
                               int width) {
        FloatVector wv = FloatVector.broadcast(FLOATS, w);
        int j = 0;
        for (; j < bound; j += FLOATS.length()) {
            long o = (long) j * Float.BYTES;
            FloatVector g = FloatVector.fromMemorySegment(FLOATS, gs, gRow + o, ORDER);
            FloatVector.fromMemorySegment(FLOATS, ds, dRow + o, ORDER).fma(wv, g).intoMemorySegment(gs, gRow + o, ORDER);
        }
        if (j < width) {
            long o = (long) j * Float.BYTES;
            VectorMask<Float> tail = FLOATS.indexInRange(j, width);
            FloatVector g = FloatVector.fromMemorySegment(FLOATS, gs, gRow + o, ORDER, tail);
            FloatVector.fromMemorySegment(FLOATS, ds, dRow + o, ORDER, tail).fma(wv, g).intoMemorySegment(gs, gRow + o, ORDER, tail);
        }
    }
}
