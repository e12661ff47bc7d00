package dev.sparsecf.kernels.panama;

import static dev.sparsecf.kernels.panama.PanamaVectorConstants.FLOATS;

import dev.sparsecf.kernels.CsrMatrix;
import dev.sparsecf.kernels.DenseMatrix;
import dev.sparsecf.kernels.SpmmKernel;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * SpMM with the Vector API. Each output row stays in L1 while the B rows named by the CSR row stream
 * through four at a time: four contiguous read streams keep the hardware prefetchers busy and cost one
 * load/store of the C row per four B rows instead of per B row.
 */
final class PanamaSpmm implements SpmmKernel {

    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    @Override
    public void spmm(CsrMatrix a, DenseMatrix b, float[] rowScale, MemorySegment bias, DenseMatrix c, int rowFrom, int rowTo) {
        MemorySegment bs = b.segment();
        MemorySegment cs = c.segment();
        int n = c.cols();
        long ldbBytes = (long) b.ld() * Float.BYTES;
        boolean binary = a.isBinary();
        for (int i = rowFrom; i < rowTo; i++) {
            long cRow = c.offset(i, 0);
            cs.asSlice(cRow, (long) n * Float.BYTES).fill((byte) 0);
            int p = a.rowStart(i);
            int end = a.rowEnd(i);
            for (; p + 4 <= end; p += 4) {
                long b0 = a.col(p) * ldbBytes;
                long b1 = a.col(p + 1) * ldbBytes;
                long b2 = a.col(p + 2) * ldbBytes;
                long b3 = a.col(p + 3) * ldbBytes;
                if (binary) {
                    add4(bs, b0, b1, b2, b3, cs, cRow, n);
                } else {
                    fma4(bs, b0, a.value(p), b1, a.value(p + 1), b2, a.value(p + 2), b3, a.value(p + 3), cs, cRow, n);
                }
            }
            for (; p < end; p++) {
                fma1(bs, a.col(p) * ldbBytes, a.value(p), cs, cRow, n);
            }
            if (rowScale != null || bias != null) {
                scaleAndBias(cs, cRow, rowScale == null ? 1f : rowScale[i], bias, n);
            }
        }
    }

    /** C += B0 + B1 + B2 + B3 over one row; full vectors, then one masked tail. */
    private static void add4(MemorySegment bs, long b0, long b1, long b2, long b3, MemorySegment cs, long cRow, int n) {
        int bound = FLOATS.loopBound(n);
        int j = 0;
        for (; j < bound; j += FLOATS.length()) {
            long o = (long) j * Float.BYTES;
            FloatVector acc = FloatVector.fromMemorySegment(FLOATS, cs, cRow + o, ORDER)
                    .add(FloatVector.fromMemorySegment(FLOATS, bs, b0 + o, ORDER))
                    .add(FloatVector.fromMemorySegment(FLOATS, bs, b1 + o, ORDER))
                    .add(FloatVector.fromMemorySegment(FLOATS, bs, b2 + o, ORDER))
                    .add(FloatVector.fromMemorySegment(FLOATS, bs, b3 + o, ORDER));
            acc.intoMemorySegment(cs, cRow + o, ORDER);
        }
        if (j < n) {
            add4Tail(bs, b0, b1, b2, b3, cs, cRow, j, n);
        }
    }

    /**
     * The masked tail of {@link #add4}, in its own method: with it inline, C1 runs out of registers on add4
     * ("out of virtual registers in LIR generator") and the kernel stays interpreted until C2 compiles it.
     */
    private static void add4Tail(MemorySegment bs, long b0, long b1, long b2, long b3, MemorySegment cs, long cRow, int j, int n) {
        VectorMask<Float> m = FLOATS.indexInRange(j, n);
        long o = (long) j * Float.BYTES;
        FloatVector acc = FloatVector.fromMemorySegment(FLOATS, cs, cRow + o, ORDER, m)
                .add(FloatVector.fromMemorySegment(FLOATS, bs, b0 + o, ORDER, m))
                .add(FloatVector.fromMemorySegment(FLOATS, bs, b1 + o, ORDER, m))
                .add(FloatVector.fromMemorySegment(FLOATS, bs, b2 + o, ORDER, m))
                .add(FloatVector.fromMemorySegment(FLOATS, bs, b3 + o, ORDER, m));
        acc.intoMemorySegment(cs, cRow + o, ORDER, m);
    }

    /** C += w0*B0 + w1*B1 + w2*B2 + w3*B3 over one row, as a chain of FMAs. */
    private static void fma4(MemorySegment bs, long b0, float w0, long b1, float w1, long b2, float w2, long b3, float w3,
                             MemorySegment cs, long cRow, int n) {
        FloatVector v0 = FloatVector.broadcast(FLOATS, w0);
        FloatVector v1 = FloatVector.broadcast(FLOATS, w1);
        FloatVector v2 = FloatVector.broadcast(FLOATS, w2);
        FloatVector v3 = FloatVector.broadcast(FLOATS, w3);
        int bound = FLOATS.loopBound(n);
        int j = 0;
        for (; j < bound; j += FLOATS.length()) {
            long o = (long) j * Float.BYTES;
            FloatVector acc = FloatVector.fromMemorySegment(FLOATS, cs, cRow + o, ORDER);
            acc = FloatVector.fromMemorySegment(FLOATS, bs, b0 + o, ORDER).fma(v0, acc);
            acc = FloatVector.fromMemorySegment(FLOATS, bs, b1 + o, ORDER).fma(v1, acc);
            acc = FloatVector.fromMemorySegment(FLOATS, bs, b2 + o, ORDER).fma(v2, acc);
            acc = FloatVector.fromMemorySegment(FLOATS, bs, b3 + o, ORDER).fma(v3, acc);
            acc.intoMemorySegment(cs, cRow + o, ORDER);
        }
        if (j < n) {
            fma4Tail(bs, b0, v0, b1, v1, b2, v2, b3, v3, cs, cRow, j, n);
        }
    }

    /** The masked tail of {@link #fma4}, kept out of line for the same reason as {@link #add4Tail}. */
    private static void fma4Tail(MemorySegment bs, long b0, FloatVector v0, long b1, FloatVector v1, long b2, FloatVector v2,
                                 long b3, FloatVector v3, MemorySegment cs, long cRow, int j, int n) {
        VectorMask<Float> m = FLOATS.indexInRange(j, n);
        long o = (long) j * Float.BYTES;
        FloatVector acc = FloatVector.fromMemorySegment(FLOATS, cs, cRow + o, ORDER, m);
        acc = FloatVector.fromMemorySegment(FLOATS, bs, b0 + o, ORDER, m).fma(v0, acc);
        acc = FloatVector.fromMemorySegment(FLOATS, bs, b1 + o, ORDER, m).fma(v1, acc);
        acc = FloatVector.fromMemorySegment(FLOATS, bs, b2 + o, ORDER, m).fma(v2, acc);
        acc = FloatVector.fromMemorySegment(FLOATS, bs, b3 + o, ORDER, m).fma(v3, acc);
        acc.intoMemorySegment(cs, cRow + o, ORDER, m);
    }

    /** C += w*B0 over one row (the 1-3 leftover entries of a CSR row). */
    private static void fma1(MemorySegment bs, long b0, float w, MemorySegment cs, long cRow, int n) {
        FloatVector wv = FloatVector.broadcast(FLOATS, w);
        int bound = FLOATS.loopBound(n);
        int j = 0;
        for (; j < bound; j += FLOATS.length()) {
            long o = (long) j * Float.BYTES;
            FloatVector acc = FloatVector.fromMemorySegment(FLOATS, cs, cRow + o, ORDER);
            FloatVector.fromMemorySegment(FLOATS, bs, b0 + o, ORDER).fma(wv, acc).intoMemorySegment(cs, cRow + o, ORDER);
        }
        if (j < n) {
            VectorMask<Float> m = FLOATS.indexInRange(j, n);
            long o = (long) j * Float.BYTES;
            FloatVector acc = FloatVector.fromMemorySegment(FLOATS, cs, cRow + o, ORDER, m);
            FloatVector.fromMemorySegment(FLOATS, bs, b0 + o, ORDER, m).fma(wv, acc).intoMemorySegment(cs, cRow + o, ORDER, m);
        }
    }

    /** C = s * C + bias over one row (bias may be null). */
    private static void scaleAndBias(MemorySegment cs, long cRow, float s, MemorySegment bias, int n) {
        int bound = FLOATS.loopBound(n);
        int j = 0;
        for (; j < bound; j += FLOATS.length()) {
            long o = (long) j * Float.BYTES;
            FloatVector v = FloatVector.fromMemorySegment(FLOATS, cs, cRow + o, ORDER).mul(s);
            if (bias != null) {
                v = v.add(FloatVector.fromMemorySegment(FLOATS, bias, o, ORDER));
            }
            v.intoMemorySegment(cs, cRow + o, ORDER);
        }
        if (j < n) {
            VectorMask<Float> m = FLOATS.indexInRange(j, n);
            long o = (long) j * Float.BYTES;
            FloatVector v = FloatVector.fromMemorySegment(FLOATS, cs, cRow + o, ORDER, m).mul(s);
            if (bias != null) {
                v = v.add(FloatVector.fromMemorySegment(FLOATS, bias, o, ORDER, m));
            }
            v.intoMemorySegment(cs, cRow + o, ORDER, m);
        }
    }
}
