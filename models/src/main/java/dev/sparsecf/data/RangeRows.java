package dev.sparsecf.data;

import java.util.Arrays;

/**
 * The rows one {@link PlainDelimited} thread read from its byte range, as primitive arrays: the item code of each
 * row in chunks (no doubling slack, no growth copy), the rating of each row when the file has one, and the users
 * as runs of equal consecutive users (files list a user's rows together: then a user costs 8 bytes, not 4 per
 * row); when runs stop paying (more than a quarter of the rows start one), a user code per row instead.
 */
final class RangeRows {

    static final int CHUNK_BITS = 20;
    static final int CHUNK = 1 << CHUNK_BITS;

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

    RangeRows(boolean valued) {
        this.valued = valued;
        this.valueChunks = valued ? new float[0][] : null;
    }

    /** Appends a row of user code {@code user}, item code {@code item} and {@code value} (ignored without ratings). */
    void add(int user, int item, float value) {
        int c = size >>> CHUNK_BITS;
        if (c == itemChunks.length || (c == 0 && size == itemChunks[0].length)) {
            grow(c);
        }
        int at = size & (CHUNK - 1);
        itemChunks[c][at] = item;
        if (valued) {
            valueChunks[c][at] = value;
        }
        if (userChunks != null) {
            userChunks[c][at] = user;
        } else if (runs > 0 && runUser[runs - 1] == user) {
            runLength[runs - 1]++;
        } else {
            startRun(user);
        }
        size++;
    }

    /** The user code of every row, in row order (from the runs, or the per-row codes). */
    int user(int t) {
        return userChunks[t >>> CHUNK_BITS][t & (CHUNK - 1)];
    }

    /** Whether the users are kept per row rather than as runs. */
    boolean perRowUsers() {
        return userChunks != null;
    }

    private void startRun(int user) {
        if (runs > (size >>> 2) + 1024) {
            toPerRowUsers();
            userChunks[size >>> CHUNK_BITS][size & (CHUNK - 1)] = user;
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
                userChunks[t >>> CHUNK_BITS][t & (CHUNK - 1)] = runUser[r];
            }
        }
        runUser = null;
        runLength = null;
        runs = 0;
    }

    /** Room for row {@code size}: the first chunk doubles up to {@link #CHUNK} rows, later ones come whole. */
    private void grow(int c) {
        if (c == 0 && itemChunks.length == 1) {
            int n = Math.min(CHUNK, 2 * size);
            itemChunks[0] = Arrays.copyOf(itemChunks[0], n);
            if (valued) {
                valueChunks[0] = Arrays.copyOf(valueChunks[0], n);
            }
            if (userChunks != null) {
                userChunks[0] = Arrays.copyOf(userChunks[0], n);
            }
            return;
        }
        if (size > Integer.MAX_VALUE - CHUNK) {
            throw new IllegalStateException("more than " + size + " rows in one range");
        }
        int n = c == 0 ? 1024 : CHUNK;
        itemChunks = Arrays.copyOf(itemChunks, c + 1);
        itemChunks[c] = new int[n];
        if (valued) {
            valueChunks = Arrays.copyOf(valueChunks, c + 1);
            valueChunks[c] = new float[n];
        }
        if (userChunks != null) {
            userChunks = Arrays.copyOf(userChunks, c + 1);
            userChunks[c] = new int[n];
        }
    }
}
