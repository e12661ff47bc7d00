package dev.sparsecf.kernels.panama;

import static dev.sparsecf.kernels.panama.PanamaVectorConstants.DOUBLES;
import static dev.sparsecf.kernels.panama.PanamaVectorConstants.DOUBLE_LANES;

import dev.sparsecf.kernels.CholeskyInverseKernel;
import dev.sparsecf.kernels.KernelThreads;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.function.DoubleConsumer;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;

/**
 * SPD inverse by blocked Gauss-Jordan sweeps, each pivot block factored by Cholesky: the same result and the same
 * n^3 flops as potrf + potri, but every step is one kind of work, a symmetric rank-b update of the whole matrix.
 *
 * <p>Sweeping the pivot block P (rows/columns {@code [k, k+b)}, the rest O) maps {@code P -> -inv(P)},
 * {@code A_PO -> inv(P) A_PO} and {@code A_OO -> A_OO - A_OP inv(P) A_PO}; after every block has been swept the
 * matrix holds {@code -inv(A)}, which the last pass negates. P at its turn is the Schur complement of the blocks
 * before it, so it is SPD exactly when A is, and its Cholesky pivots are those of A's Cholesky factorisation (a
 * failing one is reported by its global index). With {@code P = R^T R} and {@code Z = R^{-T} A_PO}, the update
 * is {@code A_OO -= Z^T Z}: a SYRK on the upper triangle, computed by a register-tiled FMA micro-kernel from Z
 * packed into column panels ({@code b x w} doubles, {@code w} = NV vectors); {@code R^{-1}} and its transpose are
 * kept in the same panel layout, so every operand of the micro-kernel has the row stride {@code w}, a constant
 * that lets C2 hoist the bounds checks out of its loop. Panels never straddle the pivot
 * block, so every panel maps to contiguous columns of A. Threads take panels (solves) and groups of column
 * panels (update); each element is computed by one thread in a fixed order, so results do not depend on the
 * thread count.
 */
final class PanamaCholeskyInverse implements CholeskyInverseKernel {

    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;

    /**
     * Pivot block size: the rank of each update (its flops per element of A: each sweep reads and writes all of A
     * once, so a larger b means less memory traffic per flop) and the depth of the micro-kernel's sum, one call per
     * tile of C (its {@code b x mr} broadcast slice, 24 KB, stays in L1 across a group's panels). 384 beat 256 by
     * about 7% at n = 4,096 on the AVX-512 Xeon; the serial pivot factorisation grows as b^3.
     */
    static final int NB = 384;
    /** Column panels per update task: their packed Z (GROUP x 72 KB at b = 384, w = 24) stays in L2 while row tiles sweep. */
    private static final int GROUP = 8;

    private final int mr;
    private final int w;

    PanamaCholeskyInverse() {
        this(DOUBLE_LANES >= 8);
    }

    /** {@code wide}: the 8 x 3-vector tile (32 registers); otherwise 4 x 2 (16 registers). */
    PanamaCholeskyInverse(boolean wide) {
        this.mr = wide ? 8 : 4;
        this.w = (wide ? 3 : 2) * DOUBLE_LANES; // NV vectors per panel row
    }

    @Override
    public void invertUpper(MemorySegment a, int n, int lda, KernelThreads pool) {
        invertUpper(a, n, lda, pool, done -> { });
    }

    /** Every sweep is a rank-b update of the whole matrix: the same work, one step of progress each. */
    @Override
    public void invertUpper(MemorySegment a, int n, int lda, KernelThreads pool, DoubleConsumer progress) {
        if (n == 0) {
            return;
        }
        int b0 = Math.min(NB, n);
        double[] zp = new double[(n / w + 2) * w * b0];
        for (int k = 0; k < n; k += NB) {
            int b = Math.min(NB, n - k);
            new Sweep(a, n, lda, k, b, zp).run(pool);
            progress.accept((double) (k + b) / n);
        }
        negateUpper(a, n, lda, pool);
    }

    /** One sweep: pivot block {@code [k, k+b)}; the other indices, in order, form the compact set O. */
    private final class Sweep {
        final MemorySegment a;
        final long lda;
        final int k;
        final int b;
        final double[] zp;
        final int leftPanels;
        final int panels;
        final int no;
        final double[] r;     // R, upper, b x b row-major: P = R^T R
        final double[] rinv;  // R^{-1}, upper, b x b row-major (built row by row)
        final double[] rinvP; // R^{-1} in column panels of width w (zero-padded): see panelIndex
        final double[] rinvTP; // (R^{-1})^T, likewise

        Sweep(MemorySegment a, int n, int lda, int k, int b, double[] zp) {
            this.a = a;
            this.lda = lda;
            this.k = k;
            this.b = b;
            this.zp = zp;
            this.no = n - b;
            this.leftPanels = (k + w - 1) / w;
            this.panels = leftPanels + (no - k + w - 1) / w;
            this.r = new double[b * b];
            this.rinv = new double[b * b];
            int padded = (b + w - 1) / w * w;
            // mr spare: a tile's rows past its panel read (and discard) up to mr - 1 entries past the last panel
            this.rinvP = new double[padded * b + mr];
            this.rinvTP = new double[padded * b + mr];
        }

        /** Compact index of the first column of panel q. */
        int start(int q) {
            return q < leftPanels ? q * w : k + (q - leftPanels) * w;
        }

        int width(int q) {
            return Math.min(w, (q < leftPanels ? k : no) - start(q));
        }

        /** Index in A of the first column of panel q: panels right of the pivot block skip it. */
        int orig(int q) {
            return q < leftPanels ? start(q) : start(q) + b;
        }

        void run(KernelThreads pool) {
            factorPivot();
            pool.forRange(panels, 1, (from, to) -> {
                double[] x = new double[b * w];
                double[] stage = new double[b];
                double[] tile = new double[mr * w];
                for (int q = from; q < to; q++) {
                    solvePanel(q, x, stage, tile);
                }
            });
            int groups = (panels + GROUP - 1) / GROUP;
            // heaviest groups (most rows above them) first, so the dynamic claiming ends on light ones
            pool.forRange(groups, 1, (from, to) -> {
                double[] tile = new double[mr * w];
                long[] rowOff = new long[mr];
                for (int t = from; t < to; t++) {
                    int g = groups - 1 - t;
                    update(g * GROUP, Math.min(panels, (g + 1) * GROUP), tile, rowOff);
                }
            });
            writePivotBlock();
        }

        /** Cholesky of the pivot block into {@link #r}, then its inverse; throws naming the first failing pivot. */
        void factorPivot() {
            for (int i = 0; i < b; i++) {
                MemorySegment.copy(a, D, ((k + i) * lda + k + i) * Double.BYTES, r, i * b + i, b - i);
            }
            for (int j = 0; j < b; j++) {
                double d = r[j * b + j];
                if (!(d > 0)) {
                    throw CholeskyInverseKernel.notPositiveDefinite(k + j, d);
                }
                double rjj = Math.sqrt(d);
                r[j * b + j] = rjj;
                double inv = 1 / rjj;
                for (int c = j + 1; c < b; c++) {
                    r[j * b + c] *= inv;
                }
                for (int i = j + 1; i < b; i++) {
                    axpy(-r[j * b + i], r, j * b + i, r, i * b + i, b - i);
                }
            }
            // R^{-1}, bottom row first: row j = -(sum_{s>j} R[j][s] Rinv[s]) / R[j][j] (rows s > j are done)
            for (int j = b - 1; j >= 0; j--) {
                double inv = 1 / r[j * b + j];
                rinv[j * b + j] = inv;
                for (int s = j + 1; s < b; s++) {
                    axpy(-r[j * b + s], rinv, s * b + s, rinv, j * b + s, b - s);
                }
                for (int c = j + 1; c < b; c++) {
                    rinv[j * b + c] *= inv;
                }
            }
            for (int i = 0; i < b; i++) {
                for (int j = i; j < b; j++) {
                    rinvP[panelIndex(i, j)] = rinv[i * b + j];
                    rinvTP[panelIndex(j, i)] = rinv[i * b + j];
                }
            }
        }

        /**
         * Rows of the register tile whose broadcast side is columns {@code [c0, c0 + rows)} of an R^{-1} panel: at
         * most mr, and never past the block or the panel (w need not be a multiple of mr).
         */
        int tileRows(int c0) {
            return Math.min(mr, Math.min(b - c0, w - c0 % w));
        }

        /** Element (row, col) of a b x b matrix stored as column panels of width w, each b rows of w doubles. */
        int panelIndex(int row, int col) {
            return col / w * b * w + row * w + col % w;
        }

        /**
         * Panel q of {@code X = A_PO}: {@code Z = R^{-T} X} into the packed panel, then {@code Y = R^{-1} Z =
         * inv(P) X} back into A's pivot rows (right of the block) or pivot columns (left of it).
         */
        void solvePanel(int q, double[] x, double[] stage, double[] tile) {
            int width = width(q);
            int col = orig(q);
            boolean left = q < leftPanels;
            Arrays.fill(x, 0);
            if (left) {
                // X[p][c] = A[col + c][k + p]: row col + c of A, stored transposed
                for (int c = 0; c < width; c++) {
                    MemorySegment.copy(a, D, ((col + c) * lda + k) * Double.BYTES, stage, 0, b);
                    for (int p = 0; p < b; p++) {
                        x[p * w + c] = stage[p];
                    }
                }
            } else {
                for (int p = 0; p < b; p++) {
                    MemorySegment.copy(a, D, ((k + p) * lda + col) * Double.BYTES, x, p * w, width);
                }
            }
            // Z = Rinv^T X: rows [p0, p0 + mr) of Z need rows s < p0 + mr of X (Rinv is upper triangular)
            int zBase = q * b * w;
            for (int p0 = 0, rows; p0 < b; p0 += rows) {
                rows = tileRows(p0);
                tile(p0 + rows, rinvP, panelIndex(0, p0), x, 0, tile);
                System.arraycopy(tile, 0, zp, zBase + p0 * w, rows * w);
            }
            // Y = Rinv Z = inv(P) X into x: rows [p0, p0 + mr) need rows s >= p0 of Z, via Rinv^T's rows
            for (int p0 = 0, rows; p0 < b; p0 += rows) {
                rows = tileRows(p0);
                tile(b - p0, rinvTP, panelIndex(p0, p0), zp, zBase + p0 * w, tile);
                System.arraycopy(tile, 0, x, p0 * w, rows * w);
            }
            if (left) {
                for (int c = 0; c < width; c++) {
                    for (int p = 0; p < b; p++) {
                        stage[p] = x[p * w + c];
                    }
                    MemorySegment.copy(stage, 0, a, D, ((col + c) * lda + k) * Double.BYTES, b);
                }
            } else {
                for (int p = 0; p < b; p++) {
                    MemorySegment.copy(x, p * w, a, D, ((k + p) * lda + col) * Double.BYTES, width);
                }
            }
        }

        /** {@code A_OO -= Z^T Z} on the upper triangle, for the column panels {@code [q0, q1)}. */
        void update(int q0, int q1, double[] tile, long[] rowOff) {
            for (int qi = 0; qi < q1; qi++) {
                int rowsInPanel = width(qi);
                for (int rr = 0; rr < rowsInPanel; rr += mr) {
                    int rows = Math.min(mr, rowsInPanel - rr);
                    for (int t = 0; t < mr; t++) {
                        // rows past the panel point at its last row: computed (zero Z) but never stored
                        rowOff[t] = ((orig(qi) + rr + Math.min(t, rows - 1)) * lda) * Double.BYTES;
                    }
                    int aBase = qi * b * w + rr;
                    for (int qj = Math.max(qi, q0); qj < q1; qj++) {
                        int cols = width(qj);
                        long colOff = (long) orig(qj) * Double.BYTES;
                        tile(b, zp, aBase, zp, qj * b * w, tile);
                        // on the diagonal panel, row rr + t starts at its own column: upper triangle only
                        storePartial(tile, rows, cols, qj == qi ? rr : -1, rowOff, colOff);
                    }
                }
            }
        }

        /**
         * {@code C -= tile} on the valid part of a tile; {@code diagonalRow >= 0} keeps columns
         * {@code >= diagonalRow + t}. Every tile goes through here: subtracting straight from the registers took a
         * call per accumulator, which C2 stopped inlining in the large kernel, boxing every vector (118 MB per
         * inverse at n = 2000).
         */
        void storePartial(double[] tile, int rows, int cols, int diagonalRow, long[] rowOff, long colOff) {
            for (int t = 0; t < rows; t++) {
                int first = diagonalRow < 0 ? 0 : diagonalRow + t;
                for (int j = 0; j < w; j += DOUBLE_LANES) {
                    VectorMask<Double> m = DOUBLES.indexInRange(j, cols).andNot(DOUBLES.indexInRange(j, first));
                    if (!m.anyTrue()) {
                        continue;
                    }
                    long o = rowOff[t] + colOff + (long) j * Double.BYTES;
                    DoubleVector acc = DoubleVector.fromArray(DOUBLES, tile, t * w + j);
                    DoubleVector.fromMemorySegment(DOUBLES, a, o, ORDER, m).sub(acc).intoMemorySegment(a, o, ORDER, m);
                }
            }
        }

        /**
         * {@code P -> -inv(P) = -Rinv Rinv^T}, upper triangle written into A: register tiles over
         * {@code inv(P)[i][j] = sum_{s >= max(i, j)} RinvT[s][i] RinvT[s][j]} (rows of RinvT, from its panels).
         */
        void writePivotBlock() {
            double[] tile = new double[mr * w];
            for (int i0 = 0, rows; i0 < b; i0 += rows) {
                rows = tileRows(i0);
                for (int j0 = i0 / w * w; j0 < b; j0 += w) {
                    int cols = Math.min(w, b - j0);
                    int s0 = Math.max(i0, j0);
                    tile(b - s0, rinvTP, panelIndex(s0, i0), rinvTP, panelIndex(s0, j0), tile);
                    for (int t = 0; t < rows; t++) {
                        int i = i0 + t;
                        long row = (k + i) * lda + k;
                        for (int c = Math.max(0, i - j0); c < cols; c++) {
                            a.setAtIndex(D, row + j0 + c, -tile[t * w + c]);
                        }
                    }
                }
            }
        }
    }

    /** The register tile of this kernel's shape: see {@link #kernel8x3}; both operands have row stride w. */
    private void tile(int steps, double[] a, int aBase, double[] b, int bBase, double[] tile) {
        if (mr == 8) {
            kernel8x3(steps, a, aBase, b, bBase, tile);
        } else {
            kernel4x2(steps, a, aBase, b, bBase, tile);
        }
    }

    /**
     * {@code y[yOff + j] += alpha * x[xOff + j]} for {@code j < len}, as vector FMAs (x and y may be rows of one
     * array, which keeps C2 from vectorizing the plain loop itself).
     */
    private static void axpy(double alpha, double[] x, int xOff, double[] y, int yOff, int len) {
        DoubleVector av = DoubleVector.broadcast(DOUBLES, alpha);
        int j = 0;
        for (; j <= len - DOUBLE_LANES; j += DOUBLE_LANES) {
            DoubleVector.fromArray(DOUBLES, x, xOff + j).fma(av, DoubleVector.fromArray(DOUBLES, y, yOff + j))
                    .intoArray(y, yOff + j);
        }
        for (; j < len; j++) {
            y[yOff + j] = Math.fma(x[xOff + j], alpha, y[yOff + j]);
        }
    }


    /** The sweeps leave {@code -inv(A)}: negate the upper triangle, rows split across threads. */
    private static void negateUpper(MemorySegment a, int n, int lda, KernelThreads pool) {
        pool.forRange(n, 1, (from, to) -> {
            for (int i = from; i < to; i++) {
                long row = ((long) i * lda + i) * Double.BYTES;
                int len = n - i;
                for (int j = 0; j < len; j += DOUBLE_LANES) {
                    VectorMask<Double> m = DOUBLES.indexInRange(j, len);
                    long o = row + (long) j * Double.BYTES;
                    DoubleVector.fromMemorySegment(DOUBLES, a, o, ORDER, m).neg().intoMemorySegment(a, o, ORDER, m);
                }
            }
        });
    }

    /**
     * 8 x 3-vector register tile: {@code T[r][c] = sum_t a[aBase + t W + r] * b[bBase + t W + c]}, {@code W} = 3 vectors, over
     * {@code steps}, spilled to {@code tile}.
     */
    private static void kernel8x3(int steps, double[] a, int aBase, double[] b, int bBase, double[] tile) {
        DoubleVector z = DoubleVector.zero(DOUBLES);
        DoubleVector c00 = z, c01 = z, c02 = z;
        DoubleVector c10 = z, c11 = z, c12 = z;
        DoubleVector c20 = z, c21 = z, c22 = z;
        DoubleVector c30 = z, c31 = z, c32 = z;
        DoubleVector c40 = z, c41 = z, c42 = z;
        DoubleVector c50 = z, c51 = z, c52 = z;
        DoubleVector c60 = z, c61 = z, c62 = z;
        DoubleVector c70 = z, c71 = z, c72 = z;
        for (int t = 0; t < steps; t++) {
            int bp = bBase + t * (3 * DOUBLE_LANES);
            DoubleVector b0 = DoubleVector.fromArray(DOUBLES, b, bp);
            DoubleVector b1 = DoubleVector.fromArray(DOUBLES, b, bp + 1 * DOUBLE_LANES);
            DoubleVector b2 = DoubleVector.fromArray(DOUBLES, b, bp + 2 * DOUBLE_LANES);
            int ap = aBase + t * (3 * DOUBLE_LANES);
            DoubleVector x;
            x = DoubleVector.broadcast(DOUBLES, a[ap]);
            c00 = b0.fma(x, c00); c01 = b1.fma(x, c01); c02 = b2.fma(x, c02);
            x = DoubleVector.broadcast(DOUBLES, a[ap + 1]);
            c10 = b0.fma(x, c10); c11 = b1.fma(x, c11); c12 = b2.fma(x, c12);
            x = DoubleVector.broadcast(DOUBLES, a[ap + 2]);
            c20 = b0.fma(x, c20); c21 = b1.fma(x, c21); c22 = b2.fma(x, c22);
            x = DoubleVector.broadcast(DOUBLES, a[ap + 3]);
            c30 = b0.fma(x, c30); c31 = b1.fma(x, c31); c32 = b2.fma(x, c32);
            x = DoubleVector.broadcast(DOUBLES, a[ap + 4]);
            c40 = b0.fma(x, c40); c41 = b1.fma(x, c41); c42 = b2.fma(x, c42);
            x = DoubleVector.broadcast(DOUBLES, a[ap + 5]);
            c50 = b0.fma(x, c50); c51 = b1.fma(x, c51); c52 = b2.fma(x, c52);
            x = DoubleVector.broadcast(DOUBLES, a[ap + 6]);
            c60 = b0.fma(x, c60); c61 = b1.fma(x, c61); c62 = b2.fma(x, c62);
            x = DoubleVector.broadcast(DOUBLES, a[ap + 7]);
            c70 = b0.fma(x, c70); c71 = b1.fma(x, c71); c72 = b2.fma(x, c72);
        }
        c00.intoArray(tile, 0 * DOUBLE_LANES); c01.intoArray(tile, 1 * DOUBLE_LANES); c02.intoArray(tile, 2 * DOUBLE_LANES);
        c10.intoArray(tile, 3 * DOUBLE_LANES); c11.intoArray(tile, 4 * DOUBLE_LANES); c12.intoArray(tile, 5 * DOUBLE_LANES);
        c20.intoArray(tile, 6 * DOUBLE_LANES); c21.intoArray(tile, 7 * DOUBLE_LANES); c22.intoArray(tile, 8 * DOUBLE_LANES);
        c30.intoArray(tile, 9 * DOUBLE_LANES); c31.intoArray(tile, 10 * DOUBLE_LANES); c32.intoArray(tile, 11 * DOUBLE_LANES);
        c40.intoArray(tile, 12 * DOUBLE_LANES); c41.intoArray(tile, 13 * DOUBLE_LANES); c42.intoArray(tile, 14 * DOUBLE_LANES);
        c50.intoArray(tile, 15 * DOUBLE_LANES); c51.intoArray(tile, 16 * DOUBLE_LANES); c52.intoArray(tile, 17 * DOUBLE_LANES);
        c60.intoArray(tile, 18 * DOUBLE_LANES); c61.intoArray(tile, 19 * DOUBLE_LANES); c62.intoArray(tile, 20 * DOUBLE_LANES);
        c70.intoArray(tile, 21 * DOUBLE_LANES); c71.intoArray(tile, 22 * DOUBLE_LANES); c72.intoArray(tile, 23 * DOUBLE_LANES);
    }

    /**
     * 4 x 2-vector register tile: {@code T[r][c] = sum_t a[aBase + t W + r] * b[bBase + t W + c]}, {@code W} = 2 vectors, over
     * {@code steps}, spilled to {@code tile}.
     */
    private static void kernel4x2(int steps, double[] a, int aBase, double[] b, int bBase, double[] tile) {
        DoubleVector z = DoubleVector.zero(DOUBLES);
        DoubleVector c00 = z, c01 = z;
        DoubleVector c10 = z, c11 = z;
        DoubleVector c20 = z, c21 = z;
        DoubleVector c30 = z, c31 = z;
        for (int t = 0; t < steps; t++) {
            int bp = bBase + t * (2 * DOUBLE_LANES);
            DoubleVector b0 = DoubleVector.fromArray(DOUBLES, b, bp);
            DoubleVector b1 = DoubleVector.fromArray(DOUBLES, b, bp + 1 * DOUBLE_LANES);
            int ap = aBase + t * (2 * DOUBLE_LANES);
            DoubleVector x;
            x = DoubleVector.broadcast(DOUBLES, a[ap]);
            c00 = b0.fma(x, c00); c01 = b1.fma(x, c01);
            x = DoubleVector.broadcast(DOUBLES, a[ap + 1]);
            c10 = b0.fma(x, c10); c11 = b1.fma(x, c11);
            x = DoubleVector.broadcast(DOUBLES, a[ap + 2]);
            c20 = b0.fma(x, c20); c21 = b1.fma(x, c21);
            x = DoubleVector.broadcast(DOUBLES, a[ap + 3]);
            c30 = b0.fma(x, c30); c31 = b1.fma(x, c31);
        }
        c00.intoArray(tile, 0 * DOUBLE_LANES); c01.intoArray(tile, 1 * DOUBLE_LANES);
        c10.intoArray(tile, 2 * DOUBLE_LANES); c11.intoArray(tile, 3 * DOUBLE_LANES);
        c20.intoArray(tile, 4 * DOUBLE_LANES); c21.intoArray(tile, 5 * DOUBLE_LANES);
        c30.intoArray(tile, 6 * DOUBLE_LANES); c31.intoArray(tile, 7 * DOUBLE_LANES);
    }
}
