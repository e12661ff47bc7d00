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
 * disjoint groups of columns (one vector lane over every {@code runs}-th vector) and the k-th largest
 * of those maxima, {@code t}: k groups hold a score at least {@code t}, so the k-th best is too, and no column
 * below {@code t} can make the list. Sweep 2 compares whole vectors against {@code t}, and only lanes that pass
 * become candidates: about {@code 1.4k} per row instead of the {@code k ln(n / k)} offers of a plain online scan.
 * A group whose max may be an excluded column is dropped (that only lowers {@code t}); with fewer than k groups
 * left, sweep 2 takes every lane. Candidates are ranked by {@link TopKHeap#rankKey}, {@link TopKHeap}'s order
 * (higher score first, NaN last, ties to the lower column), so the lists are the scalar kernel's.
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
        int runs = (2 * k + lanes - 1) / lanes; // groups: `runs` x lanes, at least 2k of them
        float[] groupMax = new float[runs * lanes];
        Candidates kept = new Candidates(k);
        for (int i = rowFrom; i < rowTo; i++) {
            long row = scores.offset(i, 0);
            int skip = exclude == null ? 0 : exclude.rowStart(i);
            int skipEnd = exclude == null ? 0 : exclude.rowEnd(i);
            float t = lowerBound(ss, row, bound, exclude, skip, skipEnd, k, groupMax);
            kept.clear(t == Float.NEGATIVE_INFINITY ? Float.NaN : t); // -inf says nothing (and NaN may have to fill)
            int j = 0;
            for (; j < bound; j += lanes) {
                float cut = kept.cut;
                long pass = cut == cut
                        ? FloatVector.fromMemorySegment(FLOATS, ss, row + (long) j * Float.BYTES, ORDER).compare(VectorOperators.GE, cut).toLong()
                        : -1L >>> (64 - lanes); // no cut yet: every lane
                while (pass != 0) {
                    int col = j + Long.numberOfTrailingZeros(pass);
                    pass &= pass - 1;
                    while (skip < skipEnd && exclude.col(skip) < col) {
                        skip++;
                    }
                    if (skip < skipEnd && exclude.col(skip) == col) {
                        continue;
                    }
                    kept.add(ss.get(F, row + (long) col * Float.BYTES), col);
                }
            }
            for (; j < n; j++) {
                while (skip < skipEnd && exclude.col(skip) < j) {
                    skip++;
                }
                float s = ss.get(F, row + (long) j * Float.BYTES);
                if (!(skip < skipEnd && exclude.col(skip) == j) && !(kept.cut == kept.cut && !(s >= kept.cut))) {
                    kept.add(s, j);
                }
            }
            kept.drainTo(out, i * k);
        }
    }

    /**
     * The row's candidates as {@link TopKHeap#rankKey} keys, appended unsorted and sorted once at the end: behind the
     * group bound there are about 1.4k of them, and a heap's sifting took about 40% of the call. When
     * the buffer is full, it keeps its best k and raises {@link #cut} to just above the k-th's score: a later
     * column ties it at best, and ties go to the lower column. Allocated per row chunk and reused across its rows.
     */
    private static final class Candidates {
        private final int k;
        private final long[] keys;
        private int count;
        /** The score a column must reach to be added, or NaN to add every one. */
        float cut;

        Candidates(int k) {
            this.k = k;
            keys = new long[2 * k + FLOATS.length()];
        }

        void clear(float cut) {
            this.cut = cut;
            count = 0;
        }

        void add(float score, int column) {
            if (count == keys.length) {
                sort(keys, 0, count);
                count = k;
                int d = (int) (keys[k - 1] >> 32); // the k-th's score, from its key (rankKey inverted)
                cut = d == Integer.MAX_VALUE ? Float.NaN : Math.nextUp(Float.intBitsToFloat(~d ^ ((~d >> 31) & Integer.MAX_VALUE)));
            }
            keys[count++] = TopKHeap.rankKey(score, column);
        }

        /**
         * Sorts the distinct {@code a[lo, hi)} ascending: quicksort (median of three) down to 16 keys, then insertion
         * sort. Not {@code Arrays.sort}: it allocated about 0.4 bytes per key at these sizes (JDK 25).
         */
        private static void sort(long[] a, int lo, int hi) {
            while (hi - lo > 16) {
                long x = a[lo];
                long y = a[(lo + hi) >>> 1];
                long z = a[hi - 1];
                long pivot = Math.max(Math.min(x, y), Math.min(Math.max(x, y), z));
                int l = lo;
                int h = hi - 1;
                while (l <= h) { // Hoare partition: [lo, h] <= pivot <= [l, hi)
                    while (a[l] < pivot) {
                        l++;
                    }
                    while (a[h] > pivot) {
                        h--;
                    }
                    if (l <= h) {
                        long tmp = a[l];
                        a[l++] = a[h];
                        a[h--] = tmp;
                    }
                }
                if (h + 1 - lo < hi - l) { // recurse into the smaller side, loop on the larger: depth <= log2
                    sort(a, lo, h + 1);
                    lo = l;
                } else {
                    sort(a, l, hi);
                    hi = h + 1;
                }
            }
            for (int i = lo + 1; i < hi; i++) {
                long v = a[i];
                int j = i - 1;
                while (j >= lo && a[j] > v) {
                    a[j + 1] = a[j];
                    j--;
                }
                a[j + 1] = v;
            }
        }

        /** Writes the best k columns, best first, to {@code out[offset .. offset + k)}, -1 for empty slots. */
        void drainTo(int[] out, int offset) {
            sort(keys, 0, count);
            for (int r = 0; r < k; r++) {
                out[offset + r] = r < count ? (int) keys[r] : -1;
            }
        }
    }

    /**
     * Sweep 1: a score that at least {@code k} non-excluded columns of the row reach (so the k-th best does), or
     * -inf when the groups cannot show one. Group {@code (r, lane)} is that lane of the full vectors {@code v} with
     * {@code v mod runs = r}: consecutive vectors go to different groups, so the maxima do not wait on each other
     * (one dependent chain per group ran at a few cycles per vector). {@code groupMax} is scratch.
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
        // the first round sets the maxima, later ones raise them: z > max ? z : max, so a NaN column is skipped
        // (it ranks below every number) and a group of NaNs stays at -inf (it only lowers the bound)
        for (int r = 0; r < runs; r++) {
            FloatVector z = FloatVector.fromMemorySegment(FLOATS, ss, row + (long) r * lanes * Float.BYTES, ORDER);
            z.blend(Float.NEGATIVE_INFINITY, z.compare(VectorOperators.NE, z)).intoArray(groupMax, r * lanes);
        }
        for (int v = runs; v < vectors; v += runs) {
            int last = Math.min(runs, vectors - v);
            for (int r = 0; r < last; r++) {
                FloatVector max = FloatVector.fromArray(FLOATS, groupMax, r * lanes);
                FloatVector z = FloatVector.fromMemorySegment(FLOATS, ss, row + (long) (v + r) * lanes * Float.BYTES, ORDER);
                max.blend(z, z.compare(VectorOperators.GT, max)).intoArray(groupMax, r * lanes);
            }
        }
        for (int p = skip; p < skipEnd; p++) {
            int col = exclude.col(p);
            if (col >= bound) {
                break;
            }
            int g = col / lanes % runs * lanes + col % lanes;
            if (ss.get(F, row + (long) col * Float.BYTES) >= groupMax[g]) {
                groupMax[g] = Float.NEGATIVE_INFINITY; // its max may be this excluded column: drop the group
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
