package dev.sparsecf.blas;

import dev.sparsecf.kernels.CholeskyInverseKernel;
import dev.sparsecf.kernels.DenseMatrix;
import dev.sparsecf.kernels.FloatCholeskyInverseKernel;
import dev.sparsecf.kernels.KernelThreads;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.function.DoubleConsumer;

/**
 * The SPD inverse on MKL as a blocked symmetric sweep (Gauss-Jordan elimination of one block of pivots at a time on
 * the lower triangle, column-major, which is the row-major upper triangle of the contract), in double and float32.
 *
 * <p>Why a sweep rather than potrf + potri: it does the same {@code n^3} flops, but all of them but the small
 * diagonal blocks in ?syrk and ?gemm on tall panels, MKL's fastest routines; at n = 20,108 on a 2-core Xeon it took
 * 41.5 s against 52.4 s for MKL's own dpotrf + dpotri (results/ease-fit/mkl.md). Step {@code K} (the pivot block
 * rows/columns {@code k0 .. k1-1}, with {@code T} the rows K left of it and {@code B} the rows below it) factorises
 * {@code A_KK = L L^T}, makes the panels {@code T = L^-1 T} and {@code B = B L^-T}, updates everything else by
 * {@code -[T; B][T; B]^T} (two ?syrk and one ?gemm), finishes the panels ({@code T = L^-T T}, {@code B = B L^-1})
 * and puts {@code -inv(A_KK)} on the diagonal block. After the last step the triangle holds {@code -inv(A)}, so it
 * is negated. Each step does about {@code n^2 b} flops, so progress is the share of columns swept.
 */
final class MklSweepInverse implements CholeskyInverseKernel, FloatCholeskyInverseKernel {

    /**
     * Pivot columns per step. Large enough that the rank-b updates run near MKL's peak (n = 20,108: 41.5 s at 384,
     * 41.7 s at 768), small enough that the unblocked potrf/potri/trsm on the b x b block stay a small share and a
     * large fit gets a progress step every second or so.
     */
    static final int BLOCK = 384;

    private final Mkl mkl;
    private final int block;

    MklSweepInverse(Mkl mkl) {
        this(mkl, BLOCK);
    }

    /** With another block size (tests use small ones to cover many steps at small n). */
    MklSweepInverse(Mkl mkl, int block) {
        this.mkl = mkl;
        this.block = block;
    }

    @Override
    public void invertUpper(MemorySegment a, int n, int lda, KernelThreads pool) {
        sweep(mkl.doubles, a, n, lda, done -> { });
    }

    @Override
    public void invertUpper(MemorySegment a, int n, int lda, KernelThreads pool, DoubleConsumer progress) {
        sweep(mkl.doubles, a, n, lda, progress);
    }

    @Override
    public void invertUpper(DenseMatrix a, DoubleConsumer progress) {
        sweep(mkl.floats, a.segment(), a.rows(), a.ld(), progress);
    }

    /** The sweep in one precision; element (i, j) of the column-major lower triangle is at {@code j * lda + i}. */
    void sweep(Mkl.Routines r, MemorySegment a, int n, int lda, DoubleConsumer progress) {
        InverseEta eta = new InverseEta(n, progress);
        for (int k0 = 0; k0 < n; k0 += block) {
            int b = Math.min(block, n - k0);
            int k1 = k0 + b;
            int below = n - k1;
            MemorySegment akk = at(r, a, lda, k0, k0);
            MemorySegment t = at(r, a, lda, k0, 0); // rows K, columns 0 .. k0-1
            MemorySegment bottom = at(r, a, lda, k1, k0); // rows k1 .. n-1, columns K
            factorise(r, akk, n, lda, k0, b);
            if (k0 > 0) {
                r.trsm(Mkl.LEFT, Mkl.NO_TRANS, b, k0, 1, akk, lda, t, lda);
            }
            if (below > 0) {
                r.trsm(Mkl.RIGHT, Mkl.TRANS, below, b, 1, akk, lda, bottom, lda);
            }
            if (k0 > 0) {
                r.syrk(Mkl.TRANS, k0, b, -1, t, lda, 1, a, lda);
            }
            if (below > 0) {
                r.syrk(Mkl.NO_TRANS, below, b, -1, bottom, lda, 1, at(r, a, lda, k1, k1), lda);
            }
            if (k0 > 0 && below > 0) {
                r.gemm(below, k0, b, -1, bottom, lda, t, lda, 1, at(r, a, lda, k1, 0), lda);
            }
            if (k0 > 0) {
                r.trsm(Mkl.LEFT, Mkl.TRANS, b, k0, 1, akk, lda, t, lda);
            }
            if (below > 0) {
                r.trsm(Mkl.RIGHT, Mkl.NO_TRANS, below, b, 1, akk, lda, bottom, lda);
            }
            int info = r.potri(b, akk, lda);
            checkInfo(r, "potri", info);
            if (info > 0) {
                throw new IllegalArgumentException(r.prefix() + "potri: the Cholesky factor has a zero at diagonal "
                        + (k0 + info) + ", so the matrix is singular (n = " + n + ")");
            }
            negateLower(r, akk, b, lda);
            eta.swept(k1);
        }
        negateLower(r, a, n, lda);
    }

    /** potrf on the pivot block, naming the global leading minor that is not positive, NaN or infinite. */
    private static void factorise(Mkl.Routines r, MemorySegment akk, int n, int lda, int k0, int b) {
        String routine = "MKL " + r.prefix() + "potrf";
        int info = r.potrf(b, akk, lda);
        if (info == OpenBlas.LAPACKE_NAN_IN_MATRIX) {
            throw new IllegalArgumentException(routine + ": matrix contains NaN in its upper triangle (" + n + "x" + n + ")");
        }
        checkInfo(r, "potrf", info);
        if (info > 0) {
            throw new IllegalArgumentException("matrix is not positive definite: leading minor of order " + (k0 + info)
                    + " is not positive (" + routine + " on the pivot block at column " + k0 + ", n = " + n
                    + "); the input has been overwritten");
        }
        // an infinite entry passes LAPACKE's NaN check and gives Inf/NaN pivots instead of a failed one
        for (int i = 0; i < b; i++) {
            long at = (long) i * lda + i;
            double pivot = r.bytes() == Double.BYTES ? akk.getAtIndex(ValueLayout.JAVA_DOUBLE, at)
                    : akk.getAtIndex(ValueLayout.JAVA_FLOAT, at);
            if (!Double.isFinite(pivot)) {
                throw new IllegalArgumentException("matrix is not positive definite or not finite: leading minor of order "
                        + (k0 + i + 1) + " gives the pivot " + pivot + " (" + routine + ", n = " + n + ")");
            }
        }
    }

    /** Negates the lower triangle of the {@code n x n} column-major block at {@code a}, column by column. */
    private static void negateLower(Mkl.Routines r, MemorySegment a, int n, int lda) {
        for (int j = 0; j < n; j++) {
            r.scal(n - j, -1, at(r, a, lda, j, j));
        }
    }

    /** Element (i, j), column-major. */
    private static MemorySegment at(Mkl.Routines r, MemorySegment a, int lda, int i, int j) {
        return a.asSlice(((long) j * lda + i) * r.bytes());
    }

    private static void checkInfo(Mkl.Routines r, String routine, int info) {
        if (info < 0) {
            throw new IllegalStateException("MKL " + r.prefix() + routine + " rejected argument " + (-info)
                    + " (a bug in the sweep's arguments)");
        }
    }
}
