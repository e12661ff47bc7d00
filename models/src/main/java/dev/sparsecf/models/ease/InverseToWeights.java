package dev.sparsecf.models.ease;

import dev.sparsecf.kernels.DenseMatrix;
import dev.sparsecf.kernels.KernelThreads;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The conversion of the inverse {@code P = (X^T X + Lambda)^-1} into the weights: {@code B = -P / diag(P)} off a zero
 * diagonal (EASE, EDLAE) or {@code B = I - P Lambda} (DLAE); see {@link ClosedForm}.
 */
final class InverseToWeights {

    private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;
    /** Edge of the square tiles the final pass transposes through: a 64 x 64 double tile is 32 KB, L1-sized. */
    private static final int TILE = 64;
    /** Rows {@link #toFloatInPlace} converts on one thread before its first parallel wave (which then holds as many). */
    private static final int SERIAL_ROWS = 64;

    private InverseToWeights() {
    }

    /**
     * The column scale of {@code form}'s weights, {@code B_ij = P_ij * scale_j} off the diagonal: {@code -1 / P_jj}
     * with a zero diagonal, else {@code -Lambda_jj} ({@code penalty}); P's diagonal is checked either way.
     */
    static double[] scale(ClosedForm form, double[] penalty, MemorySegment p, ValueLayout layout, int n, int ldp) {
        double[] scale = negatedReciprocalDiagonal(p, layout, n, ldp);
        if (!form.zeroDiagonal()) {
            for (int j = 0; j < n; j++) {
                scale[j] = -penalty[j];
            }
        }
        return scale;
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
     * {@code B_ij = P_ij * scale_j}, {@code B_ji = P_ij * scale_i} for {@code i < j} and {@code B_ii = 0}, or
     * {@code B_ii = 1 + P_ii * scale_i} when {@code fullRank}, reading
     * only the upper triangle of P ({@code ldp}, double or float). Threads take tile rows I and write the tiles
     * (I, J) and (J, I) for J >= I, so no two threads touch the same element, and B may be P's own float buffer:
     * each tile of P is read before its B tile overwrites it, and no value of P's lower triangle is used (a
     * diagonal tile is read whole).
     */
    static void write(MemorySegment p, ValueLayout layout, int ldp, double[] scale, boolean fullRank, DenseMatrix b,
                      KernelThreads pool) {
        int n = b.cols();
        long ldb = b.ld();
        MemorySegment bs = b.segment();
        boolean doubles = layout == D;
        int tiles = (n + TILE - 1) / TILE;
        // Tiles go through heap arrays with bulk copies: per-element segment access with a strided write per
        // element took seconds at n = 20,108
        pool.forRange(tiles, 1, (from, to) -> {
            double[] pt = new double[TILE * TILE];
            float[] row = new float[TILE];
            float[] upper = new float[TILE * TILE]; // tile (I, J); for J = I both triangles
            float[] lower = new float[TILE * TILE]; // tile (J, I), transposed while it is filled
            for (int ti = from; ti < to; ti++) {
                int i0 = ti * TILE;
                int h = Math.min(n, i0 + TILE) - i0;
                for (int j0 = i0; j0 < n; j0 += TILE) {
                    int w = Math.min(n, j0 + TILE) - j0;
                    for (int r = 0; r < h; r++) {
                        long at = (long) (i0 + r) * ldp + j0;
                        if (doubles) {
                            MemorySegment.copy(p, D, at * Double.BYTES, pt, r * TILE, w);
                        } else {
                            MemorySegment.copy(p, F, at * Float.BYTES, row, 0, w);
                            for (int c = 0; c < w; c++) {
                                pt[r * TILE + c] = row[c];
                            }
                        }
                    }
                    boolean diagonal = j0 == i0;
                    float[] transposed = diagonal ? upper : lower;
                    for (int r = 0; r < h; r++) {
                        int i = i0 + r;
                        for (int c = diagonal ? r + 1 : 0; c < w; c++) {
                            double pij = pt[r * TILE + c];
                            upper[r * TILE + c] = (float) (pij * scale[j0 + c]);
                            transposed[c * TILE + r] = (float) (pij * scale[i]);
                        }
                        if (diagonal) {
                            upper[r * TILE + r] = fullRank ? (float) (1 + pt[r * TILE + r] * scale[i]) : 0f;
                        }
                    }
                    for (int r = 0; r < h; r++) {
                        MemorySegment.copy(upper, r * TILE, bs, F, ((i0 + r) * ldb + j0) * Float.BYTES, w);
                    }
                    if (!diagonal) {
                        for (int c = 0; c < w; c++) {
                            MemorySegment.copy(lower, c * TILE, bs, F, ((j0 + c) * ldb + i0) * Float.BYTES, h);
                        }
                    }
                }
            }
        });
    }

    /**
     * Rewrites the upper triangle of the double matrix (leading dimension {@code lda}) as a float matrix with
     * leading dimension {@code ldf <= 2 lda} in the same memory, zeros elsewhere (lower triangle, row padding).
     * Float row i ends at byte {@code 4 (i + 1) ldf <= 8 (i + 1) lda}, where double row i + 1 starts, so rows in
     * ascending order are safe one at a time (each is copied out before it is overwritten). After the first
     * {@link #SERIAL_ROWS}, rows go in waves {@code [m, e)} with {@code 4 e ldf <= 8 m lda}: a wave writes only
     * over double rows below m, already converted, and each of its rows reads only its own doubles, so the
     * threads of {@code pool} share a wave.
     */
    static void toFloatInPlace(MemorySegment g, int n, int lda, int ldf, KernelThreads pool) {
        if (ldf > 2L * lda) {
            throw new IllegalStateException("float stride " + ldf + " exceeds twice the double stride " + lda);
        }
        int m = Math.min(n, SERIAL_ROWS);
        toFloatRows(g, n, lda, ldf, 0, m);
        while (m < n) {
            int from = m;
            int to = (int) Math.clamp(2L * m * lda / ldf, m + 1L, n);
            pool.forRange(to - from, 1, (a, b) -> toFloatRows(g, n, lda, ldf, from + a, from + b));
            m = to;
        }
    }

    /** Converts rows {@code [from, to)} in ascending order, one at a time. */
    private static void toFloatRows(MemorySegment g, int n, long lda, long ldf, int from, int to) {
        double[] upper = new double[n];
        float[] row = new float[Math.toIntExact(ldf)]; // [n, ldf) stays zero: the padding
        for (int i = from; i < to; i++) {
            MemorySegment.copy(g, D, (i * lda + i) * Double.BYTES, upper, 0, n - i);
            for (int j = i; j < n; j++) {
                row[j] = (float) upper[j - i];
            }
            g.asSlice(i * ldf * Float.BYTES, (long) i * Float.BYTES).fill((byte) 0);
            MemorySegment.copy(row, i, g, F, (i * ldf + i) * Float.BYTES, Math.toIntExact(ldf - i));
        }
    }
}
