package dev.sparsecf.kernels.panama;

import static dev.sparsecf.kernels.panama.PanamaVectorConstants.FLOATS;
import static dev.sparsecf.kernels.panama.PanamaVectorConstants.LANES;

import dev.sparsecf.kernels.DenseMatrix;
import dev.sparsecf.kernels.GemmKernel;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * GEMM in the GotoBLAS/BLIS layout, with the roles mapped to row-major C (vectors run along C's rows).
 *
 * <p>Loops, outermost first: {@code MC} rows of C, a {@code KC} slice of k (A packed into MR-row micro-panels),
 * {@code NC} columns (B packed into NR-column micro-panels, {@code KC x NC} floats ~ 1 MB, L2-resident), then
 * one MR-row A micro-panel ({@code MR x KC}, L1-resident) against every B micro-panel streaming from L2. The
 * register tile keeps MR x NR sums of C in vector registers: per k step it loads NR/LANES B vectors and
 * broadcasts MR scalars of A, for MR * NR/LANES FMAs. Packed panels live in heap arrays because C2 hoists the
 * range checks of an array-indexed loop; the same loop over MemorySegments kept per-access checks and spilled.
 *
 * <p>Packing zero-pads partial panels, so the inner loop never needs masks; only the store of a partial tile is
 * masked. Every element of C sums the same KC slices in the same order whatever block contains it, so results
 * do not depend on how C is split across threads. Scratch (packed panels) is allocated once per concurrently
 * running task and reused across calls.
 */
final class PanamaGemm implements GemmKernel {

    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;

    /**
     * Longest k slice; k is cut into equal slices of at most this. The A micro-panel ({@code MR x KC}, 16 KB at
     * MR = 8) stays in L1 next to the streaming B, and few slices mean few read-modify-write passes over C.
     */
    static final int KC = 512;
    /** Rows per A block; large, because only the A micro-panel needs to stay in cache and B is packed per block. */
    static final int MC = 1152;
    /** Columns per B block: {@code KC x NC} floats = 960 KB stays in L2 (2 MB per core here); a multiple of every NR. */
    static final int NC = 480;

    /** Register tiles: MR rows of C (broadcast A scalars) x NV vectors of C columns (packed B vectors). */
    enum Tile {
        /** 8 x 3 vectors: 24 accumulators, 3 B vectors and 1 broadcast fit AVX-512's 32 registers without spills. */
        WIDE(8, 3),
        /** 6 x 2 vectors: 12 accumulators, 2 B vectors and 1 broadcast fit 16 registers (AVX2). */
        NARROW(6, 2);

        final int mr;
        final int nv;

        Tile(int mr, int nv) {
            this.mr = mr;
            this.nv = nv;
        }

        /** The largest tile that fits the register file: 512-bit vectors come with 32 registers (AVX-512, SVE). */
        static Tile forLanes(int lanes) {
            return lanes >= 16 ? WIDE : NARROW;
        }
    }

    private final Tile tile;
    private final int mr;
    private final int nr;
    private final ConcurrentLinkedQueue<Scratch> scratch = new ConcurrentLinkedQueue<>();

    PanamaGemm() {
        this(Tile.forLanes(LANES));
    }

    /** A kernel with an explicit register tile (tests cover both tiles on any CPU). */
    PanamaGemm(Tile tile) {
        this.tile = tile;
        this.mr = tile.mr;
        this.nr = tile.nv * LANES;
    }

    /** Packed panels, staging rows and gather maps of one running task. */
    private static final class Scratch {
        final float[] aPack;
        final float[] bPack;
        final float[] tile;
        final float[] stage = new float[MC]; // one row of A, transposed case
        /** Up to NR rows of KC floats, staged for an interleaving gather. */
        final float[] rows;
        final GatherMap mapA = new GatherMap();
        final GatherMap mapB = new GatherMap();

        Scratch(int mr, int nr) {
            aPack = new float[(MC + mr) * KC];
            bPack = new float[(NC + nr) * KC];
            tile = new float[mr * nr];
            rows = new float[Math.max(mr, nr) * KC];
        }
    }

    /**
     * Gather indices that interleave {@code rows} staged rows of length {@code kc}: packed element t comes from
     * {@code (t % rows) * kc + t / rows}. The pattern repeats every {@code period = lcm(rows, LANES)} elements,
     * shifted by {@code period / rows}, so one period of indices serves a whole panel.
     */
    private static final class GatherMap {
        int rows = -1;
        int kc = -1;
        int period;
        int[] index = new int[0];

        GatherMap forShape(int rows, int kc) {
            if (rows != this.rows || kc != this.kc) {
                this.rows = rows;
                this.kc = kc;
                int g = gcd(rows, LANES);
                period = rows / g * LANES;
                index = new int[period];
                for (int t = 0; t < period; t++) {
                    index[t] = (t % rows) * kc + t / rows;
                }
            }
            return this;
        }

        private static int gcd(int x, int y) {
            return y == 0 ? x : gcd(y, x % y);
        }
    }

    @Override
    public void gemm(boolean transA, boolean transB, float alpha, DenseMatrix a, DenseMatrix b, float beta, DenseMatrix c,
                     int rowFrom, int rowTo, int colFrom, int colTo) {
        if (rowFrom >= rowTo || colFrom >= colTo) {
            return;
        }
        int k = transA ? a.rows() : a.cols();
        if (k == 0 || alpha == 0f) {
            scale(beta, c, rowFrom, rowTo, colFrom, colTo);
            return;
        }
        Scratch s = scratch.poll();
        if (s == null) {
            s = new Scratch(mr, nr);
        }
        try {
            for (int ic = rowFrom; ic < rowTo; ic += MC) {
                int mc = Math.min(MC, rowTo - ic);
                int slices = (k + KC - 1) / KC;
                int kcEven = (k + slices - 1) / slices; // equal slices: no short last slice paying a full C pass
                for (int pc = 0; pc < k; pc += kcEven) {
                    int kc = Math.min(kcEven, k - pc);
                    // the first k slice applies beta; later slices add to what the earlier ones stored
                    float sliceBeta = pc == 0 ? beta : 1f;
                    packA(transA, a, ic, mc, pc, kc, s);
                    for (int jc = colFrom; jc < colTo; jc += NC) {
                        int nc = Math.min(NC, colTo - jc);
                        packB(transB, b, pc, kc, jc, nc, s);
                        macroKernel(kc, mc, nc, alpha, sliceBeta, c, ic, jc, s);
                    }
                }
            }
        } finally {
            scratch.offer(s);
        }
    }

    /** One packed A block against one packed B block: every MR x NR tile of the {@code mc x nc} block of C. */
    private void macroKernel(int kc, int mc, int nc, float alpha, float beta, DenseMatrix c, int ic, int jc, Scratch s) {
        for (int ir = 0; ir < mc; ir += mr) {
            int aOff = ir * kc; // panel ir / mr starts at (ir / mr) * mr * kc
            for (int jr = 0; jr < nc; jr += nr) {
                int bOff = jr * kc;
                microTile(kc, s, aOff, bOff, Math.min(mr, mc - ir), Math.min(nr, nc - jr), alpha, beta, c, ic + ir, jc + jr);
            }
        }
    }

    /**
     * One register tile: the kernel spills its accumulators to {@code tile} and {@link #storeTile} applies alpha and
     * beta. Storing straight from the registers took a call per accumulator, which C2 stopped inlining inside the
     * large kernel, so every accumulator was boxed (113 MB per call at the Mult-VAE output layer); the spill is 24
     * vector stores and loads in L1 against {@code 24 kc} FMAs.
     */
    private void microTile(int kc, Scratch s, int aOff, int bOff, int rows, int cols, float alpha, float beta, DenseMatrix c,
                           int i0, int j0) {
        if (tile == Tile.WIDE) {
            kernel8x3(kc, s.aPack, aOff, s.bPack, bOff, s.tile);
        } else {
            kernel6x2(kc, s.aPack, aOff, s.bPack, bOff, s.tile);
        }
        storeTile(s.tile, rows, cols, alpha, beta, c, i0, j0);
    }

    /**
     * Packs rows {@code [ic, ic + mc)} x columns {@code [pc, pc + kc)} of op(A) into MR-row micro-panels: element
     * (i, p) goes to {@code (i / mr) * mr * kc + p * mr + i % mr}; rows past {@code mc} are zero.
     */
    private void packA(boolean transA, DenseMatrix a, int ic, int mc, int pc, int kc, Scratch s) {
        MemorySegment as = a.segment();
        float[] pack = s.aPack;
        if (!transA) {
            // rows of op(A) are contiguous: stage mr of them (zero rows past mc), then interleave them by gathers
            GatherMap map = s.mapA.forShape(mr, kc);
            for (int ir = 0; ir < mc; ir += mr) {
                for (int r = 0; r < mr; r++) {
                    if (ir + r < mc) {
                        MemorySegment.copy(as, F, a.offset(ic + ir + r, pc), s.rows, r * kc, kc);
                    } else {
                        Arrays.fill(s.rows, r * kc, (r + 1) * kc, 0f);
                    }
                }
                interleave(s.rows, map, mr * kc, pack, ir * kc);
            }
            return;
        }
        // a column of op(A) is a row of A: MR consecutive floats per panel and k step
        float[] stage = s.stage;
        for (int p = 0; p < kc; p++) {
            MemorySegment.copy(as, F, a.offset(pc + p, ic), stage, 0, mc);
            for (int i = 0; i < mc; i++) {
                pack[(i - i % mr) * kc + p * mr + i % mr] = stage[i];
            }
        }
        int tail = mc % mr;
        if (tail != 0) {
            int base = (mc - tail) * kc;
            for (int p = 0; p < kc; p++) {
                Arrays.fill(pack, base + p * mr + tail, base + (p + 1) * mr, 0f);
            }
        }
    }

    /**
     * Packs rows {@code [pc, pc + kc)} x columns {@code [jc, jc + nc)} of op(B) into NR-column micro-panels:
     * element (p, j) goes to {@code (j / nr) * nr * kc + p * nr + j % nr}; columns past {@code nc} are zero.
     */
    private void packB(boolean transB, DenseMatrix b, int pc, int kc, int jc, int nc, Scratch s) {
        MemorySegment bs = b.segment();
        float[] pack = s.bPack;
        if (!transB) {
            // a row of op(B) is contiguous: whole vectors; the masked load of the edge also writes the zero padding
            for (int p = 0; p < kc; p++) {
                long row = b.offset(pc + p, jc);
                for (int jr = 0; jr < nc; jr += nr) {
                    int dst = jr * kc + p * nr;
                    for (int v = 0; v < nr; v += LANES) {
                        int j = jr + v;
                        long o = row + (long) j * Float.BYTES;
                        FloatVector x = j + LANES <= nc
                                ? FloatVector.fromMemorySegment(FLOATS, bs, o, ORDER)
                                : FloatVector.fromMemorySegment(FLOATS, bs, o, ORDER, FLOATS.indexInRange(j, nc));
                        x.intoArray(pack, dst + v);
                    }
                }
            }
            return;
        }
        // a column of op(B) is a row of B: stage nr of them (zero rows past nc), then interleave them by gathers
        GatherMap map = s.mapB.forShape(nr, kc);
        for (int jr = 0; jr < nc; jr += nr) {
            for (int c = 0; c < nr; c++) {
                if (jr + c < nc) {
                    MemorySegment.copy(bs, F, b.offset(jc + jr + c, pc), s.rows, c * kc, kc);
                } else {
                    Arrays.fill(s.rows, c * kc, (c + 1) * kc, 0f);
                }
            }
            interleave(s.rows, map, nr * kc, pack, jr * kc);
        }
    }

    /**
     * {@code pack[dst + t] = rows[map.index(t)]} for {@code t < total}: one vector gather per LANES packed floats
     * instead of LANES scalar stores with a stride.
     */
    private static void interleave(float[] rows, GatherMap map, int total, float[] pack, int dst) {
        int period = map.period;
        int shift = period / map.rows;
        int full = total - total % LANES;
        int t = 0;
        for (int base = 0; t < full; base += shift) {
            for (int m = 0; m < period && t < full; m += LANES, t += LANES) {
                FloatVector.fromArray(FLOATS, rows, base, map.index, m).intoArray(pack, dst + t);
            }
        }
        for (; t < total; t++) {
            pack[dst + t] = rows[(t % map.rows) * map.kc + t / map.rows];
        }
    }

    /**
     * {@code C = alpha * tile + beta * C} over the valid {@code rows x cols} corner of a register tile; columns
     * past {@code cols} are masked off, so a partial tile never touches C's row padding.
     */
    private void storeTile(float[] t, int rows, int cols, float alpha, float beta, DenseMatrix c, int i0, int j0) {
        MemorySegment cs = c.segment();
        FloatVector alphaV = FloatVector.broadcast(FLOATS, alpha);
        FloatVector betaV = FloatVector.broadcast(FLOATS, beta);
        for (int r = 0; r < rows; r++) {
            long row = c.offset(i0 + r, j0);
            for (int j = 0; j < cols; j += LANES) {
                long o = row + (long) j * Float.BYTES;
                FloatVector acc = FloatVector.fromArray(FLOATS, t, r * nr + j).mul(alphaV);
                if (j + LANES <= cols) {
                    if (beta != 0f) {
                        acc = FloatVector.fromMemorySegment(FLOATS, cs, o, ORDER).fma(betaV, acc);
                    }
                    acc.intoMemorySegment(cs, o, ORDER);
                } else {
                    VectorMask<Float> m = FLOATS.indexInRange(j, cols);
                    if (beta != 0f) {
                        acc = FloatVector.fromMemorySegment(FLOATS, cs, o, ORDER, m).fma(betaV, acc);
                    }
                    acc.intoMemorySegment(cs, o, ORDER, m);
                }
            }
        }
    }

    /** {@code C = beta * C} on a block (k = 0 or alpha = 0); {@code beta == 0} writes zeros without reading C. */
    private static void scale(float beta, DenseMatrix c, int rowFrom, int rowTo, int colFrom, int colTo) {
        if (beta == 1f) {
            return;
        }
        MemorySegment cs = c.segment();
        FloatVector betaV = FloatVector.broadcast(FLOATS, beta);
        int width = colTo - colFrom;
        for (int i = rowFrom; i < rowTo; i++) {
            long row = c.offset(i, colFrom);
            if (beta == 0f) {
                cs.asSlice(row, (long) width * Float.BYTES).fill((byte) 0);
                continue;
            }
            for (int j = 0; j < width; j += LANES) {
                long o = row + (long) j * Float.BYTES;
                VectorMask<Float> m = FLOATS.indexInRange(j, width);
                FloatVector.fromMemorySegment(FLOATS, cs, o, ORDER, m).mul(betaV).intoMemorySegment(cs, o, ORDER, m);
            }
        }
    }

    /**
     * The 8 x 3-vector register tile: 24 accumulators, 3 B vectors and 1 broadcast (28 of 32 zmm registers),
     * spilled to {@code tile} at the end.
     */
    private static void kernel8x3(int kc, float[] a, int aOff, float[] b, int bOff, float[] tile) {
        FloatVector z = FloatVector.zero(FLOATS);
        FloatVector c00 = z, c01 = z, c02 = z;
        FloatVector c10 = z, c11 = z, c12 = z;
        FloatVector c20 = z, c21 = z, c22 = z;
        FloatVector c30 = z, c31 = z, c32 = z;
        FloatVector c40 = z, c41 = z, c42 = z;
        FloatVector c50 = z, c51 = z, c52 = z;
        FloatVector c60 = z, c61 = z, c62 = z;
        FloatVector c70 = z, c71 = z, c72 = z;
        for (int p = 0; p < kc; p++) {
            int bp = bOff + p * 3 * LANES;
            FloatVector b0 = FloatVector.fromArray(FLOATS, b, bp);
            FloatVector b1 = FloatVector.fromArray(FLOATS, b, bp + 1 * LANES);
            FloatVector b2 = FloatVector.fromArray(FLOATS, b, bp + 2 * LANES);
            int ap = aOff + p * 8;
            FloatVector x;
            x = FloatVector.broadcast(FLOATS, a[ap]);
            c00 = b0.fma(x, c00); c01 = b1.fma(x, c01); c02 = b2.fma(x, c02);
            x = FloatVector.broadcast(FLOATS, a[ap + 1]);
            c10 = b0.fma(x, c10); c11 = b1.fma(x, c11); c12 = b2.fma(x, c12);
            x = FloatVector.broadcast(FLOATS, a[ap + 2]);
            c20 = b0.fma(x, c20); c21 = b1.fma(x, c21); c22 = b2.fma(x, c22);
            x = FloatVector.broadcast(FLOATS, a[ap + 3]);
            c30 = b0.fma(x, c30); c31 = b1.fma(x, c31); c32 = b2.fma(x, c32);
            x = FloatVector.broadcast(FLOATS, a[ap + 4]);
            c40 = b0.fma(x, c40); c41 = b1.fma(x, c41); c42 = b2.fma(x, c42);
            x = FloatVector.broadcast(FLOATS, a[ap + 5]);
            c50 = b0.fma(x, c50); c51 = b1.fma(x, c51); c52 = b2.fma(x, c52);
            x = FloatVector.broadcast(FLOATS, a[ap + 6]);
            c60 = b0.fma(x, c60); c61 = b1.fma(x, c61); c62 = b2.fma(x, c62);
            x = FloatVector.broadcast(FLOATS, a[ap + 7]);
            c70 = b0.fma(x, c70); c71 = b1.fma(x, c71); c72 = b2.fma(x, c72);
        }
        c00.intoArray(tile, 0 * LANES); c01.intoArray(tile, 1 * LANES); c02.intoArray(tile, 2 * LANES);
        c10.intoArray(tile, 3 * LANES); c11.intoArray(tile, 4 * LANES); c12.intoArray(tile, 5 * LANES);
        c20.intoArray(tile, 6 * LANES); c21.intoArray(tile, 7 * LANES); c22.intoArray(tile, 8 * LANES);
        c30.intoArray(tile, 9 * LANES); c31.intoArray(tile, 10 * LANES); c32.intoArray(tile, 11 * LANES);
        c40.intoArray(tile, 12 * LANES); c41.intoArray(tile, 13 * LANES); c42.intoArray(tile, 14 * LANES);
        c50.intoArray(tile, 15 * LANES); c51.intoArray(tile, 16 * LANES); c52.intoArray(tile, 17 * LANES);
        c60.intoArray(tile, 18 * LANES); c61.intoArray(tile, 19 * LANES); c62.intoArray(tile, 20 * LANES);
        c70.intoArray(tile, 21 * LANES); c71.intoArray(tile, 22 * LANES); c72.intoArray(tile, 23 * LANES);
    }

    /**
     * The 6 x 2-vector register tile: 12 accumulators, 2 B vectors and 1 broadcast (15 of 16 ymm registers),
     * spilled to {@code tile} at the end.
     */
    private static void kernel6x2(int kc, float[] a, int aOff, float[] b, int bOff, float[] tile) {
        FloatVector z = FloatVector.zero(FLOATS);
        FloatVector c00 = z, c01 = z;
        FloatVector c10 = z, c11 = z;
        FloatVector c20 = z, c21 = z;
        FloatVector c30 = z, c31 = z;
        FloatVector c40 = z, c41 = z;
        FloatVector c50 = z, c51 = z;
        for (int p = 0; p < kc; p++) {
            int bp = bOff + p * 2 * LANES;
            FloatVector b0 = FloatVector.fromArray(FLOATS, b, bp);
            FloatVector b1 = FloatVector.fromArray(FLOATS, b, bp + 1 * LANES);
            int ap = aOff + p * 6;
            FloatVector x;
            x = FloatVector.broadcast(FLOATS, a[ap]);
            c00 = b0.fma(x, c00); c01 = b1.fma(x, c01);
            x = FloatVector.broadcast(FLOATS, a[ap + 1]);
            c10 = b0.fma(x, c10); c11 = b1.fma(x, c11);
            x = FloatVector.broadcast(FLOATS, a[ap + 2]);
            c20 = b0.fma(x, c20); c21 = b1.fma(x, c21);
            x = FloatVector.broadcast(FLOATS, a[ap + 3]);
            c30 = b0.fma(x, c30); c31 = b1.fma(x, c31);
            x = FloatVector.broadcast(FLOATS, a[ap + 4]);
            c40 = b0.fma(x, c40); c41 = b1.fma(x, c41);
            x = FloatVector.broadcast(FLOATS, a[ap + 5]);
            c50 = b0.fma(x, c50); c51 = b1.fma(x, c51);
        }
        c00.intoArray(tile, 0 * LANES); c01.intoArray(tile, 1 * LANES);
        c10.intoArray(tile, 2 * LANES); c11.intoArray(tile, 3 * LANES);
        c20.intoArray(tile, 4 * LANES); c21.intoArray(tile, 5 * LANES);
        c30.intoArray(tile, 6 * LANES); c31.intoArray(tile, 7 * LANES);
        c40.intoArray(tile, 8 * LANES); c41.intoArray(tile, 9 * LANES);
        c50.intoArray(tile, 10 * LANES); c51.intoArray(tile, 11 * LANES);
    }
}
