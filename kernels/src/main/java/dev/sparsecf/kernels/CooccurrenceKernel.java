package dev.sparsecf.kernels;

/**
 * The sparse Gram matrix of binary implicit feedback: item-item co-occurrence counts of {@code G = X^T X}, never
 * made dense (neighbourhood EASE on catalogues past the {@code n x n} limit).
 */
public interface CooccurrenceKernel {

    /**
     * Counts {@code G = X^T X} for the binary {@code m x n} CSR matrix X into a {@link SparseGram}: the diagonal
     * (item popularity) and, per item, its co-occurring items with exact counts, columns sorted. Threads from
     * {@code pool}; the result does not depend on their number.
     *
     * @throws IllegalArgumentException if the Gram matrix has more than {@code 2^31 - 1} off-diagonal non-zeros
     */
    default SparseGram sparseGram(CsrMatrix x, KernelThreads pool) {
        return sparseGram(x, Integer.MAX_VALUE, pool);
    }

    /**
     * As {@link #sparseGram(CsrMatrix, KernelThreads)}, keeping per row only its {@code cap} most co-occurring items
     * (see {@link SparseGram}): memory {@code 8 n cap} bytes, all pairs are never held at once.
     */
    SparseGram sparseGram(CsrMatrix x, int cap, KernelThreads pool);
}
