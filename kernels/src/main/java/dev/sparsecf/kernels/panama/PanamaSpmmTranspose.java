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
 * {@code G += A^T * D} item by item: an item-to-rows index of A (a counting sort of its entries, built per call)
 * lists, for each row c of G, the rows of A that hold column c, in increasing order. Each touched G row is then
 * read once into registers (four vectors at a time), every listed D row (D is L2-sized: the batch's output
 * gradient) is added to it, and it is written back once. The scatter-add of row-by-row order read and wrote a G row
 * once per click instead: 2 x nnz x n floats of traffic against 2 x (touched G rows) x n here.
 *
 * <p>Each element still sums its terms in row order of A, by FMA with weight 1 for binary entries (the same bits
 * as an add), in full vectors and the masked tail alike, so the result does not depend on where a column range
 * starts or how many threads split the columns; and it is the same as the row-order kernel's.
 */
final class PanamaSpmmTranspose implements SpmmTransposeKernel {

    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    @Override
    public void spmmTransposeAccumulate(CsrMatrix a, DenseMatrix d, DenseMatrix g, int colFrom, int colTo) {
        int items = a.cols();
        int nnz = Math.toIntExact(a.nnz());
        int base = a.rows() == 0 ? 0 : a.rowStart(0); // views keep absolute positions
        // counting sort of the entries by column: rows[itemPtr[c] .. itemPtr[c + 1]) hold column c, in row order
        int[] itemPtr = new int[items + 1];
        for (int p = base; p < base + nnz; p++) {
            itemPtr[a.col(p) + 1]++;
        }
        for (int c = 0; c < items; c++) {
            itemPtr[c + 1] += itemPtr[c];
        }
        int[] rows = new int[nnz];
        float[] weights = a.isBinary() ? null : new float[nnz];
        for (int i = 0; i < a.rows(); i++) {
            for (int p = a.rowStart(i); p < a.rowEnd(i); p++) {
                int slot = itemPtr[a.col(p)]++; // itemPtr[c] ends at the start of column c + 1 ...
                rows[slot] = i;
                if (weights != null) {
                    weights[slot] = a.value(p);
                }
            }
        }
        MemorySegment ds = d.segment();
        MemorySegment gs = g.segment();
        long lddBytes = (long) d.ld() * Float.BYTES;
        long colBytes = (long) colFrom * Float.BYTES;
        int width = colTo - colFrom;
        int start = 0;
        for (int c = 0; c < items; c++) {
            int end = itemPtr[c]; // ... so column c's entries are [start, end)
            if (end > start) {
                accumulateRow(ds, lddBytes, colBytes, rows, weights, start, end, gs, g.offset(c, colFrom), width);
            }
            start = end;
        }
    }

    /** {@code G[c, cols] += sum_e w_e D[rows[e], cols]} for e in [from, to), in e order, one G read and write. */
    private static void accumulateRow(MemorySegment ds, long lddBytes, long colBytes, int[] rows, float[] weights,
                                      int from, int to, MemorySegment gs, long gRow, int width) {
        int lanes = FLOATS.length();
        int bound = FLOATS.loopBound(width);
        int j = 0;
        // four independent accumulators hide the FMA latency: the chain over e is per element
        for (; j + 4 * lanes <= bound; j += 4 * lanes) {
            long o = (long) j * Float.BYTES;
            long vb = FLOATS.vectorByteSize();
            FloatVector g0 = FloatVector.fromMemorySegment(FLOATS, gs, gRow + o, ORDER);
            FloatVector g1 = FloatVector.fromMemorySegment(FLOATS, gs, gRow + o + vb, ORDER);
            FloatVector g2 = FloatVector.fromMemorySegment(FLOATS, gs, gRow + o + 2 * vb, ORDER);
            FloatVector g3 = FloatVector.fromMemorySegment(FLOATS, gs, gRow + o + 3 * vb, ORDER);
            for (int e = from; e < to; e++) {
                long dAt = rows[e] * lddBytes + colBytes + o;
                FloatVector w = FloatVector.broadcast(FLOATS, weights == null ? 1f : weights[e]);
                g0 = FloatVector.fromMemorySegment(FLOATS, ds, dAt, ORDER).fma(w, g0);
                g1 = FloatVector.fromMemorySegment(FLOATS, ds, dAt + vb, ORDER).fma(w, g1);
                g2 = FloatVector.fromMemorySegment(FLOATS, ds, dAt + 2 * vb, ORDER).fma(w, g2);
                g3 = FloatVector.fromMemorySegment(FLOATS, ds, dAt + 3 * vb, ORDER).fma(w, g3);
            }
            g0.intoMemorySegment(gs, gRow + o, ORDER);
            g1.intoMemorySegment(gs, gRow + o + vb, ORDER);
            g2.intoMemorySegment(gs, gRow + o + 2 * vb, ORDER);
            g3.intoMemorySegment(gs, gRow + o + 3 * vb, ORDER);
        }
        for (; j < bound; j += lanes) {
            long o = (long) j * Float.BYTES;
            FloatVector acc = FloatVector.fromMemorySegment(FLOATS, gs, gRow + o, ORDER);
            for (int e = from; e < to; e++) {
                FloatVector w = FloatVector.broadcast(FLOATS, weights == null ? 1f : weights[e]);
                acc = FloatVector.fromMemorySegment(FLOATS, ds, rows[e] * lddBytes + colBytes + o, ORDER).fma(w, acc);
            }
            acc.intoMemorySegment(gs, gRow + o, ORDER);
        }
        if (j < width) {
            // the tail mask is made here, not passed in: a mask argument of a method C2 does not inline is boxed
            VectorMask<Float> tail = FLOATS.indexInRange(j, width);
            long o = (long) j * Float.BYTES;
            FloatVector acc = FloatVector.fromMemorySegment(FLOATS, gs, gRow + o, ORDER, tail);
            for (int e = from; e < to; e++) {
                FloatVector w = FloatVector.broadcast(FLOATS, weights == null ? 1f : weights[e]);
                acc = FloatVector.fromMemorySegment(FLOATS, ds, rows[e] * lddBytes + colBytes + o, ORDER, tail).fma(w, acc);
            }
            acc.intoMemorySegment(gs, gRow + o, ORDER, tail);
        }
    }
}
