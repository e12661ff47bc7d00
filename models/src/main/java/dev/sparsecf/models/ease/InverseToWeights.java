package dev.sparsecf.models.ease;

import dev.sparsecf.kernels.DenseMatrix;
import dev.sparsecf.kernels.KernelThreads;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** EASE's conversion of the inverse {@code P = (X^T X + lambda I)^-1} into the weights {@code B = -P / diag(P)}. */
final class InverseToWeights {

    private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;
    /** Edge of the square tiles the final pass transposes through: a 64 x 64 double tile is 32 KB, L1-sized. */
    private static final int TILE = 64;

    private InverseToWeights() {
    }

    /** {@code -1 / P_jj} for every j, checking that the inverse's diagonal is positive and finite. */
    static double[] negatedReciprocalDiagonal(MemorySegment p, ValueLayout layout, int n, int ldp) {
        double[] scale = new double[n];
        for (int j = 0; j < n; j++) {
            long jj = (long) j * ldp + j;
            double d = layout == D ? p.getAtIndex(D, jj) : p.getAtIndex(F, jj);
            if (!(d > 0) || Double.isInfinite(d)) {
                throw new IllegalStateException("EASE: diagonal " + j + " of (X^T X + lambda I)^-1 is " + d
                        + ", not a positive number; the inverse lost all accuracy (raise lambda or use float64)");
            }
            scale[j] = -1 / d;
        }
        return scale;
    }

    /**
     * {@code B_ij = P_ij * scale_j}, {@code B_ji = P_ij * scale_i} for {@code i < j} and {@code B_ii = 0}, reading
     * only the upper triangle of P ({@code ldp}, double or float). Threads take tile rows I and write the tiles
     * (I, J) and (J, I) for J >= I, so no two threads touch the same element, and B may be P's own float buffer:
     * each P_ij is read before B_ij overwrites it, and the lower triangle of P is never read.
     */
    static void write(MemorySegment p, ValueLayout layout, int ldp, double[] scale, DenseMatrix b, KernelThreads pool) {
        int n = b.cols();
        long ldb = b.ld();
        MemorySegment bs = b.segment();
        boolean doubles = layout == D;
        int tiles = (n + TILE - 1) / TILE;
        pool.forRange(tiles, 1, (from, to) -> {
            for (int ti = from; ti < to; ti++) {
                int i0 = ti * TILE;
                int i1 = Math.min(n, i0 + TILE);
                for (int j0 = i0; j0 < n; j0 += TILE) {
                    int j1 = Math.min(n, j0 + TILE);
                    for (int i = i0; i < i1; i++) {
                        long row = (long) i * ldp;
                        for (int j = Math.max(j0, i + 1); j < j1; j++) {
                            double pij = doubles ? p.getAtIndex(D, row + j) : p.getAtIndex(F, row + j);
                            bs.setAtIndex(F, i * ldb + j, (float) (pij * scale[j]));
                            bs.setAtIndex(F, j * ldb + i, (float) (pij * scale[i]));
                        }
                    }
                }
                for (int i = i0; i < i1; i++) {
                    bs.setAtIndex(F, i * ldb + i, 0f);
                }
            }
        });
    }

    /**
     * Rewrites the upper triangle of the double matrix (leading dimension {@code lda}) as a float matrix with
     * leading dimension {@code ldf <= 2 lda} in the same memory, zeros elsewhere (lower triangle, row padding).
     * Row by row in ascending order is safe: float row i ends at byte {@code 4 (i + 1) ldf <= 8 (i + 1) lda},
     * where double row i + 1 starts, and row i itself is copied out before it is overwritten.
     */
    static void toFloatInPlace(MemorySegment g, int n, int lda, int ldf) {
        if (ldf > 2L * lda) {
            throw new IllegalStateException("float stride " + ldf + " exceeds twice the double stride " + lda);
        }
        double[] upper = new double[n];
        float[] row = new float[ldf];
        for (int i = 0; i < n; i++) {
            MemorySegment.copy(g, D, ((long) i * lda + i) * Double.BYTES, upper, 0, n - i);
            for (int j = i; j < n; j++) {
                row[j] = (float) upper[j - i];
            }
            MemorySegment.copy(row, 0, g, F, (long) i * ldf * Float.BYTES, ldf);
            row[i] = 0f; // row[0..i] stays zero for the next (longer) lower part
        }
    }
}
