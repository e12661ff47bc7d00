package dev.sparsecf.kernels.panama;

import static dev.sparsecf.kernels.panama.PanamaVectorConstants.FLOATS;

import dev.sparsecf.kernels.CsrMatrix;
import dev.sparsecf.kernels.DenseMatrix;
import dev.sparsecf.kernels.TopKHeap;
import dev.sparsecf.kernels.TopKKernel;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Top-K by threshold filtering: once the heap is full, a whole vector of scores is compared against the
 * worst kept score and only lanes above it reach the (shared, scalar) heap. Columns are visited in
 * increasing order, so a later column with an equal score never displaces a kept one (ties to the lower
 * index, as in {@link TopKHeap}).
 */
final class PanamaTopK implements TopKKernel {

    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;

    @Override
    public void topK(DenseMatrix scores, CsrMatrix exclude, int k, int[] out, int rowFrom, int rowTo) {
        MemorySegment ss = scores.segment();
        int n = scores.cols();
        int bound = FLOATS.loopBound(n);
        TopKHeap heap = new TopKHeap(k);
        for (int i = rowFrom; i < rowTo; i++) {
            long row = scores.offset(i, 0);
            int skip = exclude == null ? 0 : exclude.rowStart(i);
            int skipEnd = exclude == null ? 0 : exclude.rowEnd(i);
            int j = 0;
            for (; j < bound; j += FLOATS.length()) {
                long lanes;
                float worst = heap.worstScore();
                if (heap.isFull() && worst == worst) {
                    // NaN scores compare false here, and NaN ranks below every kept number anyway
                    lanes = FloatVector.fromMemorySegment(FLOATS, ss, row + (long) j * Float.BYTES, ORDER)
                            .compare(VectorOperators.GT, worst).toLong();
                } else {
                    lanes = -1L >>> (64 - FLOATS.length()); // heap not full (or holds a NaN): offer every lane
                }
                while (lanes != 0) {
                    int col = j + Long.numberOfTrailingZeros(lanes);
                    lanes &= lanes - 1;
                    while (skip < skipEnd && exclude.col(skip) < col) {
                        skip++;
                    }
                    if (skip < skipEnd && exclude.col(skip) == col) {
                        continue;
                    }
                    heap.offer(ss.get(F, row + (long) col * Float.BYTES), col);
                }
            }
            for (; j < n; j++) {
                while (skip < skipEnd && exclude.col(skip) < j) {
                    skip++;
                }
                if (skip < skipEnd && exclude.col(skip) == j) {
                    continue;
                }
                heap.offer(ss.get(F, row + (long) j * Float.BYTES), j);
            }
            heap.drainTo(out, i * k);
        }
    }
}
