package dev.sparsecf.kernels;

/**
 * A bounded min-heap of (score, column) pairs whose root is the worst kept candidate; shared by every
 * {@link TopKKernel} so that all implementations rank identically. Reused across rows: one per thread.
 */
public final class TopKHeap {

    private final float[] scores;
    private final int[] columns;
    private int size;

    /** A heap keeping at most {@code k} candidates. */
    public TopKHeap(int k) {
        scores = new float[k];
        columns = new int[k];
    }

    /** Whether (s1, c1) ranks before (s2, c2): higher score first, NaN last, ties to the lower column. */
    public static boolean ranksBefore(float s1, int c1, float s2, int c2) {
        boolean nan1 = s1 != s1;
        boolean nan2 = s2 != s2;
        if (nan1 || nan2) {
            return nan1 == nan2 ? c1 < c2 : nan2;
        }
        return s1 > s2 || (s1 == s2 && c1 < c2);
    }

    /**
     * A key whose signed order is {@link #ranksBefore}'s: the score's order-preserving bits, reversed, over the
     * column ({@code >= 0}); -0.0 counts as 0.0 (equal scores) and every NaN as the same score, after +inf.
     */
    public static long rankKey(float score, int column) {
        int descending;
        if (score != score) {
            descending = Integer.MAX_VALUE; // no number maps here: ~s = MAX_VALUE only for NaN bits
        } else {
            int bits = Float.floatToRawIntBits(score + 0f); // -0.0 + 0.0 = 0.0
            descending = ~(bits ^ ((bits >> 31) & Integer.MAX_VALUE)); // ascending int order of floats, reversed
        }
        return (long) descending << 32 | column;
    }

    /** Empties the heap for the next row. */
    public void clear() {
        size = 0;
    }

    /** Whether {@code capacity} candidates are held. */
    public boolean isFull() {
        return size == scores.length;
    }

    /** Score of the worst kept candidate; only meaningful when the heap is not empty. */
    public float worstScore() {
        return scores[0];
    }

    /** Offers a candidate; kept if the heap is not full or it ranks before the current worst. */
    public void offer(float score, int column) {
        if (size < scores.length) {
            int i = size++;
            // sift up: every parent must be worse than its children, so better parents move down
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (!ranksBefore(scores[parent], columns[parent], score, column)) {
                    break;
                }
                scores[i] = scores[parent];
                columns[i] = columns[parent];
                i = parent;
            }
            scores[i] = score;
            columns[i] = column;
        } else if (size > 0 && ranksBefore(score, column, scores[0], columns[0])) {
            siftDown(score, column);
        }
    }

    private void siftDown(float score, int column) {
        int i = 0;
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            // follow the worse child, so the root stays the worst candidate
            if (right < size && ranksBefore(scores[child], columns[child], scores[right], columns[right])) {
                child = right;
            }
            if (!ranksBefore(score, column, scores[child], columns[child])) {
                break;
            }
            scores[i] = scores[child];
            columns[i] = columns[child];
            i = child;
        }
        scores[i] = score;
        columns[i] = column;
    }

    /** Writes the kept columns best first to {@code out[offset .. offset+k)}, -1 for empty slots; empties the heap. */
    public void drainTo(int[] out, int offset) {
        int k = scores.length;
        for (int slot = k - 1; slot >= size; slot--) {
            out[offset + slot] = -1;
        }
        // repeatedly move the worst to the back
        while (size > 0) {
            int last = --size;
            out[offset + last] = columns[0];
            float s = scores[last];
            int c = columns[last];
            if (size > 0) {
                siftDown(s, c);
            }
        }
    }
}
