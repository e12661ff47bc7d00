package dev.sparsecf.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Textbook unblocked potrf + potri on the upper triangle, one element at a time: {@code A = U^T U}, then
 * {@code W = U^{-1}}, then {@code inv(A) = W W^T}, each in place. The test oracle; single-threaded.
 */
final class ScalarCholeskyInverse implements CholeskyInverseKernel {

    private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;

    @Override
    public void invertUpper(MemorySegment a, int n, int lda, KernelThreads pool) {
        factor(a, n, lda);
        invertTriangle(a, n, lda);
        multiplyByTranspose(a, n, lda);
    }

    private static double get(MemorySegment a, long lda, int i, int j) {
        return a.getAtIndex(D, i * lda + j);
    }

    private static void set(MemorySegment a, long lda, int i, int j, double v) {
        a.setAtIndex(D, i * lda + j, v);
    }

    /** Right-looking Cholesky: row j of U is row j of the updated A over its pivot; then the trailing update. */
    private static void factor(MemorySegment a, int n, long lda) {
        for (int j = 0; j < n; j++) {
            double d = get(a, lda, j, j);
            if (!(d > 0)) {
                throw CholeskyInverseKernel.notPositiveDefinite(j, d);
            }
            double ujj = Math.sqrt(d);
            set(a, lda, j, j, ujj);
            for (int c = j + 1; c < n; c++) {
                set(a, lda, j, c, get(a, lda, j, c) / ujj);
            }
            for (int i = j + 1; i < n; i++) {
                double uji = get(a, lda, j, i);
                for (int c = i; c < n; c++) {
                    set(a, lda, i, c, get(a, lda, i, c) - uji * get(a, lda, j, c));
                }
            }
        }
    }

    /** {@code W = U^{-1}} in place, column by column (LAPACK trti2): {@code W[0:j, j] = -W[0:j, 0:j] U[0:j, j] / U[j][j]}. */
    private static void invertTriangle(MemorySegment a, int n, long lda) {
        for (int j = 0; j < n; j++) {
            double wjj = 1 / get(a, lda, j, j);
            set(a, lda, j, j, wjj);
            // rows above j: x[i] = sum_{q = i..j-1} W[i][q] * U[q][j], in increasing i so that x[q > i] is still U
            for (int i = 0; i < j; i++) {
                double s = 0;
                for (int q = i; q < j; q++) {
                    s += get(a, lda, i, q) * get(a, lda, q, j);
                }
                set(a, lda, i, j, -wjj * s);
            }
        }
    }

    /** {@code inv(A)[i][j] = sum_{q >= j} W[i][q] W[j][q]} for {@code j >= i}, in place by increasing i, then j. */
    private static void multiplyByTranspose(MemorySegment a, int n, long lda) {
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double s = 0;
                for (int q = j; q < n; q++) {
                    s += get(a, lda, i, q) * get(a, lda, j, q);
                }
                set(a, lda, i, j, s);
            }
        }
    }
}
