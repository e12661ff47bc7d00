package dev.sparsecf.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Unblocked right-looking Cholesky {@code A = U^T U} by rows, then {@code U^T y = b} and {@code U x = y}: the oracle. */
final class ScalarSpdSolve implements SpdSolveKernel {

    private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;

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
            for (int j = k + 1; j < n; j++) {
                a.setAtIndex(D, rk + j, a.getAtIndex(D, rk + j) / d);
            }
            for (int i = k + 1; i < n; i++) {
                double f = a.getAtIndex(D, rk + i);
                long ri = (long) i * lda;
                for (int j = i; j < n; j++) {
                    a.setAtIndex(D, ri + j, a.getAtIndex(D, ri + j) - f * a.getAtIndex(D, rk + j));
                }
            }
        }
        for (int k = 0; k < n; k++) { // U^T y = b, by rows of U: y_k, then subtract it from the rest
            long rk = (long) k * lda;
            double y = b.getAtIndex(D, k) / a.getAtIndex(D, rk + k);
            b.setAtIndex(D, k, y);
            for (int j = k + 1; j < n; j++) {
                b.setAtIndex(D, j, b.getAtIndex(D, j) - a.getAtIndex(D, rk + j) * y);
            }
        }
        for (int i = n - 1; i >= 0; i--) { // U x = y: a dot product of row i with the x found so far
            long ri = (long) i * lda;
            double s = b.getAtIndex(D, i);
            for (int j = i + 1; j < n; j++) {
                s -= a.getAtIndex(D, ri + j) * b.getAtIndex(D, j);
            }
            b.setAtIndex(D, i, s / a.getAtIndex(D, ri + i));
        }
        return -1;
    }
}
