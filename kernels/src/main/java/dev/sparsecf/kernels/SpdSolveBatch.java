package dev.sparsecf.kernels;

import java.lang.foreign.MemorySegment;

/**
 * Runs one {@link SpdSolveKernel} over a batch of systems laid out as {@link Kernels#solveSpdBatch} describes, on
 * the calling thread (a native tier threads each call itself) or threaded over the systems, and reports the first
 * system that is not positive definite.
 */
final class SpdSolveBatch {

    private SpdSolveBatch() {
    }

    /** Solves systems {@code 0 <= s < count} in place; inputs were checked by the facade. */
    static void run(SpdSolveKernel kernel, boolean onCallingThread, MemorySegment a, MemorySegment b, int[] orders,
                    int count, int lda, KernelThreads pool) {
        long system = (long) lda * lda * Double.BYTES;
        long rhs = (long) lda * Double.BYTES;
        int[] failed = {Integer.MAX_VALUE, -1}; // lowest failing system and its pivot, whatever the thread order
        KernelThreads.RangeTask solve = (from, to) -> {
            for (int s = from; s < to; s++) {
                int pivot = kernel.solve(a.asSlice(s * system, system), orders[s], lda, b.asSlice(s * rhs, rhs));
                if (pivot >= 0) {
                    synchronized (failed) {
                        if (s < failed[0]) {
                            failed[0] = s;
                            failed[1] = pivot;
                        }
                    }
                }
            }
        };
        if (onCallingThread) {
            solve.run(0, count);
        } else {
            pool.forRange(count, 1, solve);
        }
        if (failed[1] >= 0) {
            throw new IllegalArgumentException("solveSpdBatch: system " + failed[0] + " is not positive definite: pivot "
                    + failed[1]);
        }
    }
}
