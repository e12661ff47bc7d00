package dev.sparsecf.data;

import dev.sparsecf.kernels.CsrMatrix;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.IntPredicate;

/**
 * User-item pairs with dense user and item indices, the id maps back to the original ids, and an optional
 * value per pair (a rating or play count; {@code NaN} when a pair's value is unknown).
 *
 * <p>Stored on the heap row by row (one row per user, items strictly increasing), like a CSR matrix; a user
 * may have no items. Immutable. {@link #toCsr()} gives the binary off-heap matrix the kernels take.
 */
public final class Interactions {

    private final String source;
    private final IdMap users;
    private final IdMap items;
    private final int[] rowPtr;
    private final int[] itemIdx;
    private final float[] values; // null: no values
    private final int duplicatesMerged;

    private Interactions(String source, IdMap users, IdMap items, int[] rowPtr, int[] itemIdx, float[] values,
                         int duplicatesMerged) {
        this.source = source;
        this.users = users;
        this.items = items;
        this.rowPtr = rowPtr;
        this.itemIdx = itemIdx;
        this.values = values;
        this.duplicatesMerged = duplicatesMerged;
    }

    /**
     * Wraps row arrays (copied): {@code rowPtr} has {@code users.size() + 1} non-decreasing entries from 0,
     * items are in range and strictly increasing within each row, {@code values} is null or one per pair.
     *
     * @throws IllegalArgumentException naming the user, position and item that break the structure
     */
    public static Interactions of(String source, IdMap users, IdMap items, int[] rowPtr, int[] itemIdx, float[] values) {
        Objects.requireNonNull(users, "users");
        Objects.requireNonNull(items, "items");
        if (rowPtr.length != users.size() + 1 || rowPtr[0] != 0) {
            throw new IllegalArgumentException("rowPtr must have users + 1 = " + (users.size() + 1)
                    + " entries starting at 0, got " + rowPtr.length + " starting at " + (rowPtr.length == 0 ? "-" : rowPtr[0]));
        }
        int nnz = rowPtr[users.size()];
        if (itemIdx.length < nnz || (values != null && values.length < nnz)) {
            throw new IllegalArgumentException("rowPtr says " + nnz + " pairs but itemIdx has " + itemIdx.length
                    + (values == null ? "" : " and values " + values.length));
        }
        for (int u = 0; u < users.size(); u++) {
            if (rowPtr[u + 1] < rowPtr[u]) {
                throw new IllegalArgumentException("user " + u + ": rowPtr decreases from " + rowPtr[u] + " to " + rowPtr[u + 1]);
            }
            for (int p = rowPtr[u]; p < rowPtr[u + 1]; p++) {
                int i = itemIdx[p];
                if (i < 0 || i >= items.size() || (p > rowPtr[u] && i <= itemIdx[p - 1])) {
                    throw new IllegalArgumentException("user " + u + " ('" + users.id(u) + "'): item " + i + " at position " + p
                            + " is out of range [0, " + items.size() + ") or not above the previous item of the row");
                }
            }
        }
        return new Interactions(source, users, items, rowPtr.clone(), Arrays.copyOf(itemIdx, nnz),
                values == null ? null : Arrays.copyOf(values, nnz), 0);
    }

    /** The entries of a CSR matrix as binary interactions with ids {@code "0".."rows-1"} and {@code "0".."cols-1"}. */
    public static Interactions fromCsr(String source, CsrMatrix m) {
        int[] rowPtr = new int[m.rows() + 1];
        int[] itemIdx = new int[Math.toIntExact(m.nnz())];
        int base = m.rows() == 0 ? 0 : m.rowStart(0);
        for (int u = 0; u < m.rows(); u++) {
            for (int p = m.rowStart(u); p < m.rowEnd(u); p++) {
                itemIdx[p - base] = m.col(p);
            }
            rowPtr[u + 1] = m.rowEnd(u) - base;
        }
        return new Interactions(source, IdMap.range(m.rows()), IdMap.range(m.cols()), rowPtr, itemIdx, null, 0);
    }

    /** Rows built by a loader of this package ({@link RowsToCsr}): ids in canonical order, rows sorted and merged. */
    static Interactions built(String source, String[] userIds, String[] itemIds, int[] rowPtr, int[] itemIdx, float[] values,
                              int duplicatesMerged) {
        return new Interactions(source, IdMap.of(userIds), IdMap.of(itemIds), rowPtr, itemIdx, values, duplicatesMerged);
    }

    /** Starts collecting pairs by original id; {@code source} names the data (file or dataset) in messages. */
    public static Builder builder(String source) {
        return new Builder(source);
    }

    /** Where these interactions came from (a file, a dataset name and its binarisation rule). */
    public String source() {
        return source;
    }

    /** The same pairs under another source description. */
    public Interactions withSource(String newSource) {
        return new Interactions(newSource, users, items, rowPtr, itemIdx, values, duplicatesMerged);
    }

    public IdMap users() {
        return users;
    }

    public IdMap items() {
        return items;
    }

    public int numUsers() {
        return users.size();
    }

    public int numItems() {
        return items.size();
    }

    /** Number of distinct (user, item) pairs. */
    public int size() {
        return rowPtr[users.size()];
    }

    /** How {@link Builder#build()} merges a repeated (user, item) pair, for messages next to {@link #duplicatesMerged()}. */
    public static final String MERGE_RULE = "a repeated pair keeps its highest value";

    /**
     * Input lines that repeated an earlier (user, item) pair and were merged into it ({@link #MERGE_RULE});
     * carried over to {@link #positives} and {@link #withSource} so the load can still report them.
     */
    public int duplicatesMerged() {
        return duplicatesMerged;
    }

    /** Whether pairs carry values ({@link #value(int)}); otherwise every pair is a plain positive. */
    public boolean hasValues() {
        return values != null;
    }

    /** Position of user {@code u}'s first pair. */
    public int rowStart(int u) {
        return rowPtr[u];
    }

    /** One past the position of user {@code u}'s last pair. */
    public int rowEnd(int u) {
        return rowPtr[u + 1];
    }

    /** Number of items of user {@code u}. */
    public int count(int u) {
        return rowPtr[u + 1] - rowPtr[u];
    }

    /** Item index of the pair at position {@code p}. */
    public int item(int p) {
        return itemIdx[p];
    }

    /** Value of the pair at position {@code p}: NaN if unknown, 1 when the interactions have no values. */
    public float value(int p) {
        return values == null ? 1f : values[p];
    }

    /** User {@code u}'s item indices, ascending (a copy). */
    public int[] itemsOf(int u) {
        return Arrays.copyOfRange(itemIdx, rowPtr[u], rowPtr[u + 1]);
    }

    /** Whether user {@code u} has item {@code item} (binary search in the row). */
    public boolean contains(int u, int item) {
        return Arrays.binarySearch(itemIdx, rowPtr[u], rowPtr[u + 1], item) >= 0;
    }

    /** Number of users per item (item popularity), indexed by item. */
    public int[] itemCounts() {
        int[] counts = new int[items.size()];
        for (int p = 0; p < size(); p++) {
            counts[itemIdx[p]]++;
        }
        return counts;
    }

    /** Fails with "SOURCE is empty" when no (user, item) pair was read; returns this otherwise. */
    public Interactions requireNonEmpty() {
        if (size() == 0) {
            throw new IllegalStateException(source + " is empty: it holds no (user, item) pairs");
        }
        return this;
    }

    /**
     * The binary interactions of the pairs whose value is {@code >= minValue} (unknown values never pass);
     * users and items left without pairs are dropped and the rest re-indexed in their original order.
     */
    public Interactions positives(float minValue, String newSource) {
        requireNonEmpty();
        if (values == null) {
            throw new IllegalStateException(source + " has no values to binarise; every pair is already a positive");
        }
        boolean[] keep = new boolean[size()];
        for (int p = 0; p < keep.length; p++) {
            keep[p] = values[p] >= minValue; // false for NaN
        }
        return retain(keep, newSource);
    }

    /**
     * The binary interactions of the pairs whose item has {@code >= minItemUsers} users and, after that, whose
     * user has {@code >= minUserPairs} of the remaining items (one pass of each; 0 keeps all); users and items
     * left without pairs are dropped, so {@code withMinCounts(0, 0, s)} only drops users registered without any.
     */
    public Interactions withMinCounts(int minUserPairs, int minItemUsers, String newSource) {
        int[] itemCounts = itemCounts();
        if (minUserPairs == 0 && minItemUsers == 0 && Arrays.stream(itemCounts).allMatch(c -> c > 0) && noEmptyUser()) {
            // nothing to drop: the same rows without values, shared rather than copied (a large file's load peak)
            return new Interactions(newSource, users, items, rowPtr, itemIdx, null, duplicatesMerged);
        }
        boolean[] keep = new boolean[size()];
        for (int u = 0; u < users.size(); u++) {
            int kept = 0;
            for (int p = rowPtr[u]; p < rowPtr[u + 1]; p++) {
                keep[p] = itemCounts[itemIdx[p]] >= minItemUsers;
                kept += keep[p] ? 1 : 0;
            }
            if (kept < minUserPairs) {
                Arrays.fill(keep, rowPtr[u], rowPtr[u + 1], false);
            }
        }
        return retain(keep, newSource);
    }

    private boolean noEmptyUser() {
        for (int u = 0; u < users.size(); u++) {
            if (rowPtr[u + 1] == rowPtr[u]) {
                return false;
            }
        }
        return true;
    }

    /** The kept pairs (by position) without values, dropping users and items left empty; keeps the merge count. */
    private Interactions retain(boolean[] keep, String newSource) {
        int[] itemNew = new int[items.size()];
        Arrays.fill(itemNew, -1);
        int[] userCounts = new int[users.size()];
        for (int u = 0; u < users.size(); u++) {
            for (int p = rowPtr[u]; p < rowPtr[u + 1]; p++) {
                if (keep[p]) {
                    userCounts[u]++;
                    itemNew[itemIdx[p]] = 0;
                }
            }
        }
        int[] keptItems = indicesWhere(itemNew, c -> c == 0);
        for (int t = 0; t < keptItems.length; t++) {
            itemNew[keptItems[t]] = t; // ascending, so rows stay sorted
        }
        int[] keptUsers = indicesWhere(userCounts, c -> c > 0);
        int[] newRowPtr = new int[keptUsers.length + 1];
        int[] newItems = new int[Arrays.stream(userCounts).sum()];
        int q = 0;
        for (int t = 0; t < keptUsers.length; t++) {
            int u = keptUsers[t];
            for (int p = rowPtr[u]; p < rowPtr[u + 1]; p++) {
                if (keep[p]) {
                    newItems[q++] = itemNew[itemIdx[p]];
                }
            }
            newRowPtr[t + 1] = q;
        }
        return new Interactions(newSource, users.select(keptUsers), items.select(keptItems), newRowPtr, newItems, null,
                duplicatesMerged);
    }

    private static int[] indicesWhere(int[] a, IntPredicate test) {
        int n = 0;
        for (int x : a) {
            if (test.test(x)) {
                n++;
            }
        }
        int[] out = new int[n];
        n = 0;
        for (int i = 0; i < a.length; i++) {
            if (test.test(a[i])) {
                out[n++] = i;
            }
        }
        return out;
    }

    /** The binary {@code numUsers x numItems} CSR matrix of the pairs (off-heap; the caller closes it). */
    public CsrMatrix toCsr() {
        return CsrMatrix.binary(users.size(), items.size(), rowPtr, itemIdx);
    }

    @Override
    public String toString() {
        return "Interactions[" + source + ": " + users.size() + " users, " + items.size() + " items, " + size() + " pairs"
                + (values == null ? "" : ", valued") + "]";
    }

    /**
     * Collects (user, item[, value]) pairs by original id. {@link #build()} puts users and items in canonical
     * id order ({@link IdMap}) and merges repeated pairs, keeping the highest value ({@link #MERGE_RULE}).
     *
     * <p>Why the highest: a pair is a positive when any of its ratings passes the threshold, the reading a
     * recommender's user expects from a log where someone rated or played an item twice. Keeping the last value
     * made positives vanish when a later line held a low rating, and made the result depend on line order; the
     * maximum does not. An unknown value (NaN) loses to any known one.
     */
    public static final class Builder {
        private final String source;
        private final IdIndex userIndex = new IdIndex();
        private final IdIndex itemIndex = new IdIndex();
        // pairs in chunks of CHUNK: a large file's pairs take no doubling slack and no copy when they grow
        private static final int CHUNK_BITS = 20;
        private static final int CHUNK = 1 << CHUNK_BITS;
        private int[][] pairUser = new int[0][];
        private int[][] pairItem = new int[0][];
        private float[][] pairValue; // allocated at the first valued pair; NaN for pairs added without value
        private int n;
        // files list a user's pairs together: the previous user's index saves most lookups
        private String lastUser;
        private int lastUserIndex;

        private Builder(String source) {
            this.source = source;
        }

        /** Registers a user, who may end up with no pairs; returns its provisional index. */
        public int addUser(String user) {
            return userIndex.intern(user);
        }

        /** Adds a pair without a value (NaN if other pairs have values). */
        public Builder add(String user, String item) {
            return add(user, item, Float.NaN, false);
        }

        /** Adds a pair with a value. */
        public Builder add(String user, String item, float value) {
            return add(user, item, value, true);
        }

        private Builder add(String user, String item, float value, boolean valued) {
            int u;
            if (user.equals(lastUser)) {
                u = lastUserIndex;
            } else {
                u = userIndex.intern(user);
                lastUser = user;
                lastUserIndex = u;
            }
            int i = itemIndex.intern(item);
            int c = n >>> CHUNK_BITS;
            if (c == pairUser.length) {
                if (n == Integer.MAX_VALUE - CHUNK) {
                    throw new IllegalStateException(source + ": more than " + n + " pairs");
                }
                // small data grows its one chunk; from CHUNK pairs on, whole chunks are added
                int size = c == 0 ? 1024 : CHUNK;
                pairUser = Arrays.copyOf(pairUser, c + 1);
                pairItem = Arrays.copyOf(pairItem, c + 1);
                pairUser[c] = new int[size];
                pairItem[c] = new int[size];
                if (pairValue != null) {
                    pairValue = Arrays.copyOf(pairValue, c + 1);
                    pairValue[c] = new float[size];
                }
            } else if (c == 0 && n == pairUser[0].length) {
                int size = Math.min(CHUNK, 2 * n);
                pairUser[0] = Arrays.copyOf(pairUser[0], size);
                pairItem[0] = Arrays.copyOf(pairItem[0], size);
                if (pairValue != null) {
                    pairValue[0] = Arrays.copyOf(pairValue[0], size);
                }
            }
            if (valued && pairValue == null) {
                pairValue = new float[pairUser.length][];
                for (int k = 0; k < pairUser.length; k++) {
                    pairValue[k] = new float[pairUser[k].length];
                    Arrays.fill(pairValue[k], Float.NaN);
                }
            }
            int at = n & (CHUNK - 1);
            pairUser[c][at] = u;
            pairItem[c][at] = i;
            if (pairValue != null) {
                pairValue[c][at] = valued ? value : Float.NaN;
            }
            n++;
            return this;
        }

        /** Number of pairs added so far (repeats included). */
        public int pairsAdded() {
            return n;
        }

        /** Sorts users and items into canonical id order, groups pairs by user and merges repeats. */
        public Interactions build() {
            String[] userIds = canonicalIds(userIndex);
            String[] itemIds = canonicalIds(itemIndex);
            int[] userNew = newIndex(userIndex, userIds);
            int[] itemNew = newIndex(itemIndex, itemIds);
            // counting sort by user, then by item within a user: repeats of a pair end up next to each other
            int[] rowPtr = new int[userIds.length + 1];
            for (int t = 0; t < n; t++) {
                rowPtr[userNew[user(t)] + 1]++;
            }
            for (int u = 0; u < userIds.length; u++) {
                rowPtr[u + 1] += rowPtr[u];
            }
            int[] fill = Arrays.copyOf(rowPtr, userIds.length);
            if (pairValue == null) {
                return buildBinary(userIds, itemIds, userNew, itemNew, rowPtr, fill);
            }
            long[] keys = new long[n]; // item << 32 | input sequence: sorts by item, repeats in input order
            for (int t = 0; t < n; t++) {
                keys[fill[userNew[user(t)]]++] = (long) itemNew[item(t)] << 32 | t;
            }
            int[] items = new int[n];
            float[] values = pairValue == null ? null : new float[n];
            int q = 0;
            int merged = 0;
            int start = 0;
            for (int u = 0; u < userIds.length; u++) {
                int end = rowPtr[u + 1];
                Arrays.sort(keys, start, end);
                for (int p = start; p < end; ) {
                    int item = (int) (keys[p] >>> 32);
                    float value = values == null ? Float.NaN : value((int) keys[p]);
                    for (p++; p < end && (int) (keys[p] >>> 32) == item; p++) {
                        merged++;
                        if (values != null) {
                            value = higher(value, value((int) keys[p]));
                        }
                    }
                    items[q] = item;
                    if (values != null) {
                        values[q] = value;
                    }
                    q++;
                }
                start = end;
                rowPtr[u + 1] = q;
            }
            return new Interactions(source, IdMap.of(userIds), IdMap.of(itemIds), rowPtr, Arrays.copyOf(items, q),
                    values == null ? null : Arrays.copyOf(values, q), merged);
        }

        /** {@link #build()} without values: rows of plain item indices, sorted and de-duplicated in place (half the memory of the keys). */
        private Interactions buildBinary(String[] userIds, String[] itemIds, int[] userNew, int[] itemNew, int[] rowPtr, int[] fill) {
            int[] items = new int[n];
            for (int t = 0; t < n; t++) {
                items[fill[userNew[user(t)]]++] = itemNew[item(t)];
            }
            int q = 0;
            int start = 0;
            for (int u = 0; u < userIds.length; u++) {
                int end = rowPtr[u + 1];
                Arrays.sort(items, start, end);
                for (int p = start; p < end; p++) {
                    if (p == start || items[p] != items[p - 1]) {
                        items[q++] = items[p];
                    }
                }
                start = end;
                rowPtr[u + 1] = q;
            }
            return new Interactions(source, IdMap.of(userIds), IdMap.of(itemIds), rowPtr, q == n ? items : Arrays.copyOf(items, q),
                    null, n - q);
        }

        private int user(int t) {
            return pairUser[t >>> CHUNK_BITS][t & (CHUNK - 1)];
        }

        private int item(int t) {
            return pairItem[t >>> CHUNK_BITS][t & (CHUNK - 1)];
        }

        private float value(int t) {
            return pairValue[t >>> CHUNK_BITS][t & (CHUNK - 1)];
        }

        /** The larger of two values, where an unknown (NaN) value loses to a known one. */
        private static float higher(float a, float b) {
            return Float.isNaN(a) || b > a ? b : a;
        }

        private static String[] canonicalIds(IdIndex index) {
            return IdMap.canonicalOrder(index.ids());
        }

        private static int[] newIndex(IdIndex index, String[] canonical) {
            int[] out = new int[canonical.length];
            for (int t = 0; t < canonical.length; t++) {
                out[index.get(canonical[t])] = t;
            }
            return out;
        }
    }
}
