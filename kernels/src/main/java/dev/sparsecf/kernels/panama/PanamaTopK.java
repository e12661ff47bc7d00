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
 * Top-K by threshold filtering in two sweeps per row. Sweep 1 takes the max of each of about {@code 2k}
 * disjoint groups of columns (one vector lane over a run of vectors: plain lanewise max) and the k-th largest
 * of those maxima, {@code t}: k groups hold a score at least {@code t}, so the k-th best is too, and no column
 * below {@code t} can make the list. Sweep 2 compares whole vectors against {@code t}, and once the heap is full
 * against its worst kept score, and only lanes that pass reach the (shared, scalar) heap: about {@code 1.4k}
 * offers per row instead of the {@code k ln(n / k)} of a plain online scan. A group whose max is an excluded
 * column or NaN is dropped (that only lowers {@code t}); with fewer than k groups left, sweep 2 offers every
 * lane until the heap is full, as before. Columns are visited in increasing order, so a later column with an
 * equal score never displaces a kept one (ties to the lower index, as in {@link TopKHeap}).
 */
final class PanamaTopK implements TopKKernel {

    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;

    @Override
    public void topK(DenseMatrix scores, CsrMatrix exclude, int k, int[] out, int rowFrom, int rowTo) {
        MemorySegment ss = scores.segment();
        int n = scores.cols();
        int bound = FLOATS.loopBound(n);
        int lanes = FLOATS.length();
        int runs = (2 * k + lanes - 1) / lanes; // groups: `runs` runs of vectors x lanes, at least 2k of them
        float[] groupMax = new float[runs * lanes];
        TopKHeap heap = new TopKHeap(k);
        for (int i = rowFrom; i < rowTo; i++) {
            long row = scores.offset(i, 0);
            int skip = exclude == null ? 0 : exclude.rowStart(i);
            int skipEnd = exclude == null ? 0 : exclude.rowEnd(i);
            float t = lowerBound(ss, row, bound, exclude, skip, skipEnd, k, groupMax);
            boolean filtered = t != Float.NEGATIVE_INFINITY; // else t says nothing (and NaN may have to fill)
            int j = 0;
            for (; j < bound; j += lanes) {
                long pass;
                float worst = heap.worstScore();
                if (heap.isFull() && worst == worst) {
                    // NaN scores compare false here, and NaN ranks below every kept number anyway
                    pass = FloatVector.fromMemorySegment(FLOATS, ss, row + (long) j * Float.BYTES, ORDER)
                            .compare(VectorOperators.GT, worst).toLong();
                } else if (filtered) {
                    pass = FloatVector.fromMemorySegment(FLOATS, ss, row + (long) j * Float.BYTES, ORDER)
                            .compare(VectorOperators.GE, t).toLong();
                } else {
                    pass = -1L >>> (64 - lanes); // heap not full (or holds a NaN): offer every lane
                }
                while (pass != 0) {
                    int col = j + Long.numberOfTrailingZeros(pass);
                    pass &= pass - 1;
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
                float s = ss.get(F, row + (long) j * Float.BYTES);
                if ((skip < skipEnd && exclude.col(skip) == j) || (filtered && !(s >= t))) {
                    continue;
                }
                heap.offer(s, j);
            }
            heap.drainTo(out, i * k);
        }
    }

    /**
     * Sweep 1: a score that at least {@code k} non-excluded columns of the row reach (so the k-th best does), or
     * -inf when the groups cannot show one. Group {@code (run, lane)} is that lane of the vectors
     * {@code [run * per, (run + 1) * per)} of the {@code bound / lanes} full vectors; {@code groupMax} is scratch.
     */
    private static float lowerBound(MemorySegment ss, long row, int bound, CsrMatrix exclude, int skip, int skipEnd,
                                    int k, float[] groupMax) {
        int lanes = FLOATS.length();
        int groups = groupMax.length;
        int runs = groups / lanes;
        int vectors = bound / lanes;
        if (vectors < runs) {
            return Float.NEGATIVE_INFINITY; // too short to split: sweep 2 is cheap anyway
        }
        int per = (vectors + runs - 1) / runs;
        for (int r = 0; r < runs; r++) {
            FloatVector max = FloatVector.broadcast(FLOATS, Float.NEGATIVE_INFINITY);
            int end = Math.min(vectors, (r + 1) * per);
            for (int v = r * per; v < end; v++) {
                max = max.max(FloatVector.fromMemorySegment(FLOATS, ss, row + (long) v * lanes * Float.BYTES, ORDER));
            }
            max.intoArray(groupMax, r * lanes); // a NaN in the group makes its max NaN (Math.max semantics)
        }
        for (int p = skip; p < skipEnd; p++) {
            int col = exclude.col(p);
            if (col >= bound) {
                break;
            }
            int g = col / lanes / per * lanes + col % lanes;
            if (ss.get(F, row + (long) col * Float.BYTES) >= groupMax[g]) {
                groupMax[g] = Float.NEGATIVE_INFINITY; // its max may be this excluded column: drop the group
            }
        }
        for (int g = 0; g < groups; g++) {
            if (groupMax[g] != groupMax[g]) {
                groupMax[g] = Float.NEGATIVE_INFINITY;
            }
        }
        return kthLargest(groupMax, k);
    }

    /** The k-th largest of {@code a} (NaN-free), by quickselect with a median-of-three pivot; reorders {@code a}. */
    private static float kthLargest(float[] a, int k) {
        int lo = 0;
        int hi = a.length - 1;
        int target = k - 1; // index of the k-th largest in descending order
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            float pivot = Math.max(Math.min(a[lo], a[mid]), Math.min(Math.max(a[lo], a[mid]), a[hi]));
            int l = lo;
            int h = hi;
            while (l <= h) { // Hoare partition, descending: [lo, h] >= pivot >= [l, hi]
                while (a[l] > pivot) {
                    l++;
                }
                while (a[h] < pivot) {
                    h--;
                }
                if (l <= h) {
                    float tmp = a[l];
                    a[l++] = a[h];
                    a[h--] = tmp;
                }
            }
            if (target <= h) {
                hi = h;
            } else if (target >= l) {
                lo = l;
            } else {
                return a[target]; // between h and l: equal to the pivot
            }
        }
        return a[target];
    }
}
