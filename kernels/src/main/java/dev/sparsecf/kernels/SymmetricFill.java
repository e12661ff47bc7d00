package dev.sparsecf.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Fills the lower triangle of a square matrix from its upper one: the last step of every SPD-inverse tier. */
final class SymmetricFill {

    private SymmetricFill() {
    }

    /**
     * Copies the upper triangle to the lower one (elements of {@code elementBytes}, copied as raw bits) in square
     * tiles, so that both the reads and the writes stay in cache.
     */
    static void mirrorUpper(KernelThreads pool, MemorySegment a, int n, long lda, int elementBytes) {
        final int tile = 64;
        int tiles = (n + tile - 1) / tile;
        pool.forRange(tiles, 1, (from, to) -> {
            for (int ti = from; ti < to; ti++) {
                int i0 = ti * tile;
                for (int j0 = 0; j0 <= i0; j0 += tile) {
                    for (int i = i0; i < Math.min(n, i0 + tile); i++) {
                        if (elementBytes == Double.BYTES) {
                            for (int j = j0; j < Math.min(i, j0 + tile); j++) {
                                a.setAtIndex(ValueLayout.JAVA_LONG, i * lda + j, a.getAtIndex(ValueLayout.JAVA_LONG, j * lda + i));
                            }
                        } else {
                            for (int j = j0; j < Math.min(i, j0 + tile); j++) {
                                a.setAtIndex(ValueLayout.JAVA_INT, i * lda + j, a.getAtIndex(ValueLayout.JAVA_INT, j * lda + i));
                            }
                        }
                    }
                }
            }
        });
    }
}
