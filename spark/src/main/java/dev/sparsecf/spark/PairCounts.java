package dev.sparsecf.spark;

import java.util.Arrays;
import java.util.function.LongBinaryOperator;

/**
 * An open-addressing map from a packed item pair ({@code i << 32 | j}) to its count: a partition adds its users'
 * pairs here before anything is shuffled, so the shuffle carries one record per distinct pair and partition
 * instead of one per co-occurrence.
 */
final class PairCounts {

    private static final long EMPTY = -1L; // no pair packs to it: item indices are >= 0

    private long[] keys;
    private long[] counts;
    private int size;
    private final int maxSize;

    /** A map that reports itself {@link #full()} at {@code maxSize} pairs (the caller then drains it). */
    PairCounts(int maxSize) {
        this.maxSize = maxSize;
        int capacity = Integer.highestOneBit(Math.max(16, maxSize) * 2 - 1) * 2;
        keys = new long[capacity];
        counts = new long[capacity];
        Arrays.fill(keys, EMPTY);
    }

    static long pack(int i, int j) {
        return (long) i << 32 | j;
    }

    void add(long key) {
        int mask = keys.length - 1;
        int h = (int) mix(key) & mask;
        while (keys[h] != EMPTY && keys[h] != key) {
            h = (h + 1) & mask;
        }
        if (keys[h] == EMPTY) {
            keys[h] = key;
            size++;
        }
        counts[h]++;
    }

    boolean full() {
        return size >= maxSize;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Hands every (pair, count) to {@code sink} and empties the map. */
    void drain(LongBinaryOperator sink) {
        for (int h = 0; h < keys.length; h++) {
            if (keys[h] != EMPTY) {
                sink.applyAsLong(keys[h], counts[h]);
                keys[h] = EMPTY;
                counts[h] = 0;
            }
        }
        size = 0;
    }

    private static long mix(long x) { // SplitMix64's finaliser: packed pairs are far from uniform
        x = (x ^ (x >>> 30)) * 0xbf58476d1ce4e5b9L;
        x = (x ^ (x >>> 27)) * 0x94d049bb133111ebL;
        return x ^ (x >>> 31);
    }
}
