package dev.sparsecf.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Plain heap scan of every column, skipping excluded ones with a cursor into the sorted exclusion row. */
final class ScalarTopK implements TopKKernel {

    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;

    @Override
    public void topK(DenseMatrix scores, CsrMatrix exclude, int k, int[] out, int rowFrom, int rowTo) {
        MemorySegment ss = scores.segment();
        int n = scores.cols();
        TopKHeap heap = new TopKHeap(k);
        for (int i = rowFrom; i < rowTo; i++) {
            long row = (long) i * scores.ld();
            int skip = exclude == null ? 0 : exclude.rowStart(i);
            int skipEnd = exclude == null ? 0 : exclude.rowEnd(i);
            for (int j = 0; j < n; j++) {
                if (skip < skipEnd && exclude.col(skip) == j) {
                    skip++;
                    continue;
                }
                heap.offer(ss.getAtIndex(F, row + j), j);
            }
            heap.drainTo(out, i * k);
        }
    }
}
