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
 * The scalar kernel's right-looking Cholesky by rows with the trailing update of two rows at a time on double
 * vectors (each loaded row k segment feeds two FMAs: the update is bound by loads, the matrix of a K = 500
 * neighbourhood is 2 MB, about L2), the triangular solves as vector axpys and dot products. FMA and the lane order
 * of the dot products round differently from the oracle: agreement is to the backward-error bound, not bitwise.
 */
final class PanamaSpdSolve implements SpdSolveKernel {

    private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    @Override
    public int solve(MemorySegment a, int n, int lda, MemorySegment b) {
        for (int k = 0; k < n; k++) {
            long rk = (long) k * lda;
            double d = a.getAtIndex(D, rk + k);
            if (!(d > 0)) {
                return k;
            }
            d = Math.sqrt(d);
            a.setAtIndex(D, rk + k, d);
            scale(a, rk + k + 1, n - k - 1, d);
            int i = k + 1;
            for (; i + 1 < n; i += 2) {
                updateTwoRows(a, rk, (long) i * lda, (long) (i + 1) * lda, i, n, a.getAtIndex(D, rk + i), a.getAtIndex(D, rk + i + 1));
            }
            if (i < n) {
                axpy(a, (long) i * lda + i, rk + i, n - i, -a.getAtIndex(D, rk + i));
            }
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

    /** {@code x[at, at + len) /= d} (a division, as the oracle: not a multiplication by 1/d). */
    private static void scale(MemorySegment x, long at, int len, double d) {
        int j = 0;
        for (; j < DOUBLES.loopBound(len); j += DOUBLE_LANES) {
            long off = (at + j) * Double.BYTES;
            DoubleVector.fromMemorySegment(DOUBLES, x, off, ORDER).div(d).intoMemorySegment(x, off, ORDER);
        }
        for (; j < len; j++) {
            x.setAtIndex(D, at + j, x.getAtIndex(D, at + j) / d);
        }
    }

    /**
     * Rows i and i + 1 of the trailing matrix: {@code A[i, j] -= f0 U[k, j]} for j >= i and {@code A[i+1, j] -= f1
     * U[k, j]} for j >= i + 1 (the element {@code A[i+1, i]} below the diagonal is skipped).
     */
    private static void updateTwoRows(MemorySegment a, long rk, long ri, long ri1, int i, int n, double f0, double f1) {
        a.setAtIndex(D, ri + i, a.getAtIndex(D, ri + i) - f0 * a.getAtIndex(D, rk + i));
        int from = i + 1;
        int len = n - from;
        DoubleVector v0 = DoubleVector.broadcast(DOUBLES, -f0);
        DoubleVector v1 = DoubleVector.broadcast(DOUBLES, -f1);
        int j = 0;
        for (; j < DOUBLES.loopBound(len); j += DOUBLE_LANES) {
            long c = from + j;
            DoubleVector u = DoubleVector.fromMemorySegment(DOUBLES, a, (rk + c) * Double.BYTES, ORDER);
            long o0 = (ri + c) * Double.BYTES;
            long o1 = (ri1 + c) * Double.BYTES;
            u.fma(v0, DoubleVector.fromMemorySegment(DOUBLES, a, o0, ORDER)).intoMemorySegment(a, o0, ORDER);
            u.fma(v1, DoubleVector.fromMemorySegment(DOUBLES, a, o1, ORDER)).intoMemorySegment(a, o1, ORDER);
        }
        for (; j < len; j++) {
            long c = from + j;
            double u = a.getAtIndex(D, rk + c);
            a.setAtIndex(D, ri + c, Math.fma(-f0, u, a.getAtIndex(D, ri + c)));
            a.setAtIndex(D, ri1 + c, Math.fma(-f1, u, a.getAtIndex(D, ri1 + c)));
        }
    }

    /** {@code x[at, at + len) += alpha * x[src, src + len)} within one segment. */
    private static void axpy(MemorySegment x, long at, long src, int len, double alpha) {
        axpyInto(x, at, x, src, len, alpha);
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
