package dev.sparsecf.kernels.panama;

import static dev.sparsecf.kernels.panama.PanamaVectorConstants.DOUBLES;
import static dev.sparsecf.kernels.panama.PanamaVectorConstants.DOUBLE_LANES;

import dev.sparsecf.kernels.SpdSolveKernel;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Cholesky {@code A = U^T U} and the two triangular solves, blocked at every order: A's upper triangle is copied
 * into a per-thread zero-padded array, each panel of {@value #PANEL} rows is factored by the scalar kernel's
 * right-looking algorithm by rows (on vectors), and the trailing matrix gets the panel's rank-{@value #PANEL} update as a register
 * tiled GEMM ({@value #TILE_ROWS} rows x two vectors, the partial sums in registers: two vector loads feed
 * {@code 2 * TILE_ROWS} FMAs, where the rank-1 update needs a load and a store per FMA and is bound by L2). FMA, the
 * lane order of the dot products and the panel's summation order round differently from the oracle: agreement is to
 * the backward-error bound, not bitwise. Small orders take the same path: an unblocked in-place variant, kept for
 * orders below 48 until issue #20, was 1.25x slower at order 40 and on par at 12.
 */
final class PanamaSpdSolve implements SpdSolveKernel {

    private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    /** Rows per panel: the panel (PANEL x n doubles) stays in L2 while the trailing matrix streams past it. */
    static final int PANEL = 32;
    /** Rows of the register tile of the trailing update. */
    static final int TILE_ROWS = 4;
    /** Larger scratch arrays (doubles) are not kept per thread between calls. */
    private static final int KEEP_SCRATCH = 1 << 21;
    private static final ThreadLocal<double[]> SCRATCH = ThreadLocal.withInitial(() -> new double[0]);

    @Override
    public int solve(MemorySegment a, int n, int lda, MemorySegment b) {
        int pivot = factorBlocked(a, n, lda);
        if (pivot >= 0) {
            return pivot;
        }
        for (int k = 0; k < n; k++) {
            long rk = (long) k * lda;
            double y = b.getAtIndex(D, k) / a.getAtIndex(D, rk + k);
            b.setAtIndex(D, k, y);
            axpyInto(b, k + 1, a, rk + k + 1, n - k - 1, -y);
        }
        for (int i = n - 1; i >= 0; i--) {
            long ri = (long) i * lda;
            double s = b.getAtIndex(D, i) - dot(a, ri + i + 1, b, i + 1, n - i - 1);
            b.setAtIndex(D, i, s / a.getAtIndex(D, ri + i));
        }
        return -1;
    }

    /**
     * The blocked factorisation of A (upper triangle, in place: only {@code [i, n)} of row i is read and written) on a
     * scratch copy with leading dimension {@code ld}, a multiple of the vector lanes and of the tile rows, zero padded:
     * padding rows and columns stay zero, so the tiles run over them without tails. Returns -1 or the failing pivot.
     */
    private static int factorBlocked(MemorySegment a, int n, int lda) {
        int ld = roundUp(n, Math.max(DOUBLE_LANES, TILE_ROWS));
        int size = Math.multiplyExact(ld, ld);
        double[] c = SCRATCH.get();
        if (c.length < size) {
            c = new double[size];
            if (size <= KEEP_SCRATCH) {
                SCRATCH.set(c);
            }
        }
        for (int i = 0; i < ld; i++) { // the strict lower triangle of c collects junk from the tiles: never read
            int ri = i * ld;
            if (i < n) {
                java.util.Arrays.fill(c, ri, ri + i, 0.0);
                MemorySegment.copy(a, D, ((long) i * lda + i) * Double.BYTES, c, ri + i, n - i);
                java.util.Arrays.fill(c, ri + n, ri + ld, 0.0);
            } else {
                java.util.Arrays.fill(c, ri, ri + ld, 0.0);
            }
        }
        for (int kb = 0; kb < n; kb += PANEL) {
            int e = Math.min(kb + PANEL, n);
            int pivot = factorPanel(c, ld, n, kb, e);
            if (pivot >= 0) {
                return pivot;
            }
            for (int i0 = e; i0 < n; i0 += TILE_ROWS) {
                updateTile(c, ld, kb, e, i0);
            }
        }
        for (int i = 0; i < n; i++) {
            MemorySegment.copy(c, i * ld + i, a, D, ((long) i * lda + i) * Double.BYTES, n - i);
        }
        return -1;
    }

    /** Factors panel rows {@code [kb, e)} of c (columns up to n) by rows, each row updating the panel rows after it. */
    private static int factorPanel(double[] c, int ld, int n, int kb, int e) {
        for (int k = kb; k < e; k++) {
            int rk = k * ld;
            double d = c[rk + k];
            if (!(d > 0)) {
                return k;
            }
            d = Math.sqrt(d);
            c[rk + k] = d;
            int j = k + 1;
            for (; j + DOUBLE_LANES <= n; j += DOUBLE_LANES) {
                DoubleVector.fromArray(DOUBLES, c, rk + j).div(d).intoArray(c, rk + j);
            }
            for (; j < n; j++) {
                c[rk + j] /= d;
            }
            for (int i = k + 1; i < e; i++) {
                int ri = i * ld;
                double f = -c[rk + i];
                DoubleVector vf = DoubleVector.broadcast(DOUBLES, f);
                int t = i;
                for (; t + DOUBLE_LANES <= n; t += DOUBLE_LANES) {
                    DoubleVector.fromArray(DOUBLES, c, rk + t).fma(vf, DoubleVector.fromArray(DOUBLES, c, ri + t))
                            .intoArray(c, ri + t);
                }
                for (; t < n; t++) {
                    c[ri + t] = Math.fma(f, c[rk + t], c[ri + t]);
                }
            }
        }
        return -1;
    }

    /**
     * Rows {@code [i0, i0 + TILE_ROWS)} of the trailing matrix minus the panel's contribution,
     * {@code c[i, j] -= sum_{p in [kb, e)} c[p, i] c[p, j]}, for the columns from i0 (rounded down to the lanes) to ld.
     */
    private static void updateTile(double[] c, int ld, int kb, int e, int i0) {
        int r0 = i0 * ld;
        int r1 = r0 + ld;
        int r2 = r1 + ld;
        int r3 = r2 + ld;
        int j = i0 / DOUBLE_LANES * DOUBLE_LANES;
        for (; j + 2 * DOUBLE_LANES <= ld; j += 2 * DOUBLE_LANES) {
            DoubleVector s00 = DoubleVector.zero(DOUBLES);
            DoubleVector s01 = s00;
            DoubleVector s10 = s00;
            DoubleVector s11 = s00;
            DoubleVector s20 = s00;
            DoubleVector s21 = s00;
            DoubleVector s30 = s00;
            DoubleVector s31 = s00;
            for (int rp = kb * ld; rp < e * ld; rp += ld) {
                DoubleVector u0 = DoubleVector.fromArray(DOUBLES, c, rp + j);
                DoubleVector u1 = DoubleVector.fromArray(DOUBLES, c, rp + j + DOUBLE_LANES);
                DoubleVector f = DoubleVector.broadcast(DOUBLES, c[rp + i0]);
                s00 = u0.fma(f, s00);
                s01 = u1.fma(f, s01);
                f = DoubleVector.broadcast(DOUBLES, c[rp + i0 + 1]);
                s10 = u0.fma(f, s10);
                s11 = u1.fma(f, s11);
                f = DoubleVector.broadcast(DOUBLES, c[rp + i0 + 2]);
                s20 = u0.fma(f, s20);
                s21 = u1.fma(f, s21);
                f = DoubleVector.broadcast(DOUBLES, c[rp + i0 + 3]);
                s30 = u0.fma(f, s30);
                s31 = u1.fma(f, s31);
            }
            subtract(c, r0 + j, s00, s01);
            subtract(c, r1 + j, s10, s11);
            subtract(c, r2 + j, s20, s21);
            subtract(c, r3 + j, s30, s31);
        }
        if (j < ld) { // one vector of columns left (ld is a multiple of the lanes)
            DoubleVector s0 = DoubleVector.zero(DOUBLES);
            DoubleVector s1 = s0;
            DoubleVector s2 = s0;
            DoubleVector s3 = s0;
            for (int rp = kb * ld; rp < e * ld; rp += ld) {
                DoubleVector u = DoubleVector.fromArray(DOUBLES, c, rp + j);
                s0 = u.fma(DoubleVector.broadcast(DOUBLES, c[rp + i0]), s0);
                s1 = u.fma(DoubleVector.broadcast(DOUBLES, c[rp + i0 + 1]), s1);
                s2 = u.fma(DoubleVector.broadcast(DOUBLES, c[rp + i0 + 2]), s2);
                s3 = u.fma(DoubleVector.broadcast(DOUBLES, c[rp + i0 + 3]), s3);
            }
            DoubleVector.fromArray(DOUBLES, c, r0 + j).sub(s0).intoArray(c, r0 + j);
            DoubleVector.fromArray(DOUBLES, c, r1 + j).sub(s1).intoArray(c, r1 + j);
            DoubleVector.fromArray(DOUBLES, c, r2 + j).sub(s2).intoArray(c, r2 + j);
            DoubleVector.fromArray(DOUBLES, c, r3 + j).sub(s3).intoArray(c, r3 + j);
        }
    }

    /** {@code c[at, at + 2 lanes) -= (s0, s1)}. */
    private static void subtract(double[] c, int at, DoubleVector s0, DoubleVector s1) {
        DoubleVector.fromArray(DOUBLES, c, at).sub(s0).intoArray(c, at);
        DoubleVector.fromArray(DOUBLES, c, at + DOUBLE_LANES).sub(s1).intoArray(c, at + DOUBLE_LANES);
    }

    private static int roundUp(int n, int multiple) {
        return (n + multiple - 1) / multiple * multiple;
    }

    /** {@code y[at, at + len) += alpha * x[src, src + len)}. */
    private static void axpyInto(MemorySegment y, long at, MemorySegment x, long src, int len, double alpha) {
        DoubleVector va = DoubleVector.broadcast(DOUBLES, alpha);
        int j = 0;
        for (; j < DOUBLES.loopBound(len); j += DOUBLE_LANES) {
            long oy = (at + j) * Double.BYTES;
            DoubleVector.fromMemorySegment(DOUBLES, x, (src + j) * Double.BYTES, ORDER)
                    .fma(va, DoubleVector.fromMemorySegment(DOUBLES, y, oy, ORDER)).intoMemorySegment(y, oy, ORDER);
        }
        for (; j < len; j++) {
            y.setAtIndex(D, at + j, Math.fma(alpha, x.getAtIndex(D, src + j), y.getAtIndex(D, at + j)));
        }
    }

    /** {@code sum_j x[xa + j] * y[ya + j]} over {@code j < len}, in vector lanes then reduced. */
    private static double dot(MemorySegment x, long xa, MemorySegment y, long ya, int len) {
        DoubleVector acc = DoubleVector.zero(DOUBLES);
        int j = 0;
        for (; j < DOUBLES.loopBound(len); j += DOUBLE_LANES) {
            acc = DoubleVector.fromMemorySegment(DOUBLES, x, (xa + j) * Double.BYTES, ORDER)
                    .fma(DoubleVector.fromMemorySegment(DOUBLES, y, (ya + j) * Double.BYTES, ORDER), acc);
        }
        double s = acc.reduceLanes(VectorOperators.ADD);
        for (; j < len; j++) {
            s = Math.fma(x.getAtIndex(D, xa + j), y.getAtIndex(D, ya + j), s);
        }
        return s;
    }
}
