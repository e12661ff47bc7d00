package dev.sparsecf.kernels;

import java.lang.foreign.MemorySegment;

/** Gram matrix of binary implicit feedback: {@code G = X^T X}, co-occurrence counts of item pairs. */
public interface GramKernel {

    /**
     * Writes the upper triangle ({@code j >= i}) of {@code G = X^T X} for the binary {@code m x n} CSR matrix
     * {@code X} into {@code G[n x n]} (double, row-major, leading dimension {@code ldg}): {@code G[i][j]} is the
     * number of rows holding both columns i and j. The strict lower triangle is not touched; X is never made
     * dense. Counts are exact integers, so the result does not depend on the thread count.
     */
    void gramUpper(CsrMatrix x, MemorySegment g, int ldg, KernelThreads pool);
}
