package dev.sparsecf.data;

import java.util.Arrays;

/**
 * The rows one {@link PlainDelimited} thread read from its byte range, as primitive arrays: the item code of each
 * row in chunks (no doubling slack, no growth copy), the rating of each row when the file has one, and the users
 * as runs of equal consecutive users (files list a user's rows together: then a user costs 8 bytes, not 4 per
 * row); when runs stop paying (more than a quarter of the rows start one), a user code per row instead.
 */
final class RangeRows {

    /**
     * Rows per chunk: 4 MB of ints less the array header, so that a chunk fills whole G1 regions (an array of exactly
     * 2^20 ints would spill 16 bytes into one more region, up to half again its size on the heap).
     */
    static final int CHUNK = (1 << 20) - 8;

    final LocalIds users = new LocalIds();
    final LocalIds items = new LocalIds();
    final boolean valued;
    int[][] itemChunks = new int[0][];
    float[][] valueChunks; // null: no rating column
    int[][] userChunks; // null while the users are kept as runs
    int[] runUser = new int[64];
    int[] runLength = new int[64];
    int runs;
    int size;
    private int chunk = -1; // the chunk being filled
    private int at; // the next row's position in it
    private int capacity; // its length

    RangeRows(boolean valued) {
        this.valued = valued;
        this.valueChunks = valued ? new float[0][] : null;
    }

    /** Appends a row of user code {@code user}, item code {@code item} and {@code value} (ignored without ratings). */
    void add(int user, int item, float value) {
        if (at == capacity) {
            grow();
        }
        itemChunks[chunk][at] = item;
        if (valued) {
            valueChunks[chunk][at] = value;
        }
        if (userChunks != null) {
            userChunks[chunk][at] = user;
        } else if (runs > 0 && runUser[runs - 1] == user) {
            runLength[runs - 1]++;
        } else {
            startRun(user);
        }
        at++;
        size++;
    }

    /** The user code of row {@code t} when kept per row. */
    int user(int t) {
        return userChunks[t / CHUNK][t % CHUNK];
    }

    /** Whether the users are kept per row rather than as runs. */
    boolean perRowUsers() {
        return userChunks != null;
    }

    private void startRun(int user) {
        if (runs > (size >>> 2) + 1024) {
            toPerRowUsers();
            userChunks[chunk][at] = user;
            return;
        }
        if (runs == runUser.length) {
            runUser = Arrays.copyOf(runUser, 2 * runs);
            runLength = Arrays.copyOf(runLength, 2 * runs);
        }
        runUser[runs] = user;
        runLength[runs] = 1;
        runs++;
    }

    private void toPerRowUsers() {
        userChunks = new int[itemChunks.length][];
        for (int c = 0; c < itemChunks.length; c++) {
            userChunks[c] = new int[itemChunks[c].length];
        }
        int t = 0;
        for (int r = 0; r < runs; r++) {
            for (int k = 0; k < runLength[r]; k++, t++) {
                userChunks[t / CHUNK][t % CHUNK] = runUser[r];
            }
        }
        runUser = null;
        runLength = null;
        runs = 0;
    }

    /** Room for one more row: the first chunk doubles up to {@link #CHUNK} rows, later ones come whole. */
    private void grow() {
        if (chunk == 0 && capacity < CHUNK) {
            capacity = Math.min(CHUNK, 2 * capacity);
            itemChunks[0] = Arrays.copyOf(itemChunks[0], capacity);
            if (valued) {
                valueChunks[0] = Arrays.copyOf(valueChunks[0], capacity);
            }
            if (userChunks != null) {
                userChunks[0] = Arrays.copyOf(userChunks[0], capacity);
            }
            return;
        }
        if (size > Integer.MAX_VALUE - CHUNK) {
            throw new IllegalStateException("more than " + size + " rows in one range");
        }
        chunk++;
        at = 0;
        capacity = chunk == 0 ? 1024 : CHUNK;
        itemChunks = Arrays.copyOf(itemChunks, chunk + 1);
        itemChunks[chunk] = new int[capacity];
        if (valued) {
            valueChunks = Arrays.copyOf(valueChunks, chunk + 1);
            valueChunks[chunk] = new float[capacity];
        }
        if (userChunks != null) {
            userChunks = Arrays.copyOf(userChunks, chunk + 1);
            userChunks[chunk] = new int[capacity];
        }
    }
}
