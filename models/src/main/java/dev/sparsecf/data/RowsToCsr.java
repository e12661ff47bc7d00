package dev.sparsecf.data;

import java.util.Arrays;
import java.util.List;

/**
 * The {@link Interactions} of the rows {@link PlainDelimited}'s threads read, exactly as
 * {@link Interactions.Builder#build()} makes them of the same rows: users and items in canonical id order
 * ({@link IdMap#canonicalOrder}), rows grouped by user and sorted by item, a repeated pair merged into its highest
 * value. The rows go straight into the item array of the CSR (one pass per range, each range on its own thread, the
 * range's chunks released as they are copied), and the rows are sorted in place on every thread.
 */
final class RowsToCsr {

    private RowsToCsr() {
    }

    /** One column's ids in canonical order and, per range, the canonical index of each number and string code. */
    private record Merged(String[] ids, int[][] numbers, int[][] strings) {
        int index(int range, int code) {
            return code >= 0 ? numbers[range][code] : strings[range][~code];
        }
    }

    static Interactions build(String source, List<RangeRows> parts) {
        int ranges = parts.size();
        long total = 0;
        for (RangeRows r : parts) {
            total += r.size;
        }
        if (total > Integer.MAX_VALUE - RangeRows.CHUNK) {
            throw new IllegalStateException(source + ": more than " + (Integer.MAX_VALUE - RangeRows.CHUNK) + " pairs");
        }
        int n = (int) total;
        Merged users = merge(parts.stream().map(r -> r.users).toList());
        Merged items = merge(parts.stream().map(r -> r.items).toList());
        int numUsers = users.ids().length;
        // rows per user and range: each range then writes its own slots of each row, on its own thread
        int[][] fill = new int[ranges][numUsers];
        for (int k = 0; k < ranges; k++) {
            RangeRows r = parts.get(k);
            for (int t = 0, run = 0; t < r.size; run++) {
                int len = r.perRowUsers() ? 1 : r.runLength[run];
                fill[k][users.index(k, r.perRowUsers() ? r.user(t) : r.runUser[run])] += len;
                t += len;
            }
        }
        int[] rowPtr = new int[numUsers + 1];
        for (int u = 0; u < numUsers; u++) {
            int at = rowPtr[u];
            for (int k = 0; k < ranges; k++) {
                int c = fill[k][u];
                fill[k][u] = at;
                at += c;
            }
            rowPtr[u + 1] = at;
        }
        boolean valued = parts.getFirst().valued;
        int[] itemIdx = new int[n];
        float[] values = valued ? new float[n] : null;
        Workers.run("sparsecf-build", ranges, k -> scatter(parts.get(k), k, users, items, fill[k], itemIdx, values));
        int[] kept = new int[numUsers];
        int[] bounds = balanced(rowPtr, ranges);
        Workers.run("sparsecf-build", ranges, k -> sortRows(rowPtr, bounds[k], bounds[k + 1], itemIdx, values, kept));
        int q = 0;
        for (int u = 0; u < numUsers; u++) {
            int from = rowPtr[u];
            if (q != from) {
                System.arraycopy(itemIdx, from, itemIdx, q, kept[u]);
                if (valued) {
                    System.arraycopy(values, from, values, q, kept[u]);
                }
            }
            rowPtr[u] = q;
            q += kept[u];
        }
        rowPtr[numUsers] = q;
        return Interactions.built(source, users.ids(), items.ids(), rowPtr, q == n ? itemIdx : Arrays.copyOf(itemIdx, q),
                values == null ? null : q == n ? values : Arrays.copyOf(values, q), n - q);
    }

    /** Copies range {@code k}'s rows into their users' slots from {@code fill}, releasing each chunk once copied. */
    private static void scatter(RangeRows r, int k, Merged users, Merged items, int[] fill, int[] itemIdx, float[] values) {
        int run = 0;
        int left = 0; // rows left in the current run
        int u = 0;
        for (int c = 0; c < r.itemChunks.length; c++) {
            int[] chunk = r.itemChunks[c];
            int[] userChunk = r.perRowUsers() ? r.userChunks[c] : null;
            float[] valueChunk = values == null ? null : r.valueChunks[c];
            int end = Math.min(chunk.length, r.size - c * RangeRows.CHUNK);
            for (int at = 0; at < end; at++) {
                if (userChunk != null) {
                    u = users.index(k, userChunk[at]);
                } else if (left-- == 0) {
                    u = users.index(k, r.runUser[run]);
                    left = r.runLength[run++] - 1;
                }
                int p = fill[u]++;
                itemIdx[p] = items.index(k, chunk[at]);
                if (valueChunk != null) {
                    values[p] = valueChunk[at];
                }
            }
            r.itemChunks[c] = null; // the peak: one chunk less per chunk copied
            if (userChunk != null) {
                r.userChunks[c] = null;
            }
            if (valueChunk != null) {
                r.valueChunks[c] = null;
            }
        }
    }

    /** Sorts rows {@code [from, to)} by item and merges repeats in place; {@code kept[u]} is row u's length after. */
    private static void sortRows(int[] rowPtr, int from, int to, int[] itemIdx, float[] values, int[] kept) {
        long[] keys = values == null ? null : new long[16];
        float[] copy = values == null ? null : new float[16];
        for (int u = from; u < to; u++) {
            int start = rowPtr[u];
            int end = rowPtr[u + 1];
            int q = start;
            if (values == null) {
                Arrays.sort(itemIdx, start, end);
                for (int p = start; p < end; p++) {
                    if (p == start || itemIdx[p] != itemIdx[p - 1]) {
                        itemIdx[q++] = itemIdx[p];
                    }
                }
            } else {
                int len = end - start;
                if (keys.length < len) {
                    keys = new long[Math.max(len, 2 * keys.length)];
                    copy = new float[keys.length];
                }
                for (int j = 0; j < len; j++) {
                    keys[j] = (long) itemIdx[start + j] << 32 | j;
                    copy[j] = values[start + j];
                }
                Arrays.sort(keys, 0, len);
                for (int j = 0; j < len; ) {
                    int item = (int) (keys[j] >>> 32);
                    float value = copy[(int) keys[j]];
                    for (j++; j < len && (int) (keys[j] >>> 32) == item; j++) {
                        value = Math.max(value, copy[(int) keys[j]]); // finite, and never -0: the builder's rule
                    }
                    itemIdx[q] = item;
                    values[q++] = value;
                }
            }
            kept[u] = q - start;
        }
    }

    /** {@code parts + 1} user bounds splitting the rows into parts of about equal pair counts. */
    private static int[] balanced(int[] rowPtr, int parts) {
        int users = rowPtr.length - 1;
        int[] bounds = new int[parts + 1];
        bounds[parts] = users;
        for (int k = 1; k < parts; k++) {
            long target = (long) rowPtr[users] * k / parts;
            int u = Arrays.binarySearch(rowPtr, (int) target);
            bounds[k] = Math.max(bounds[k - 1], Math.min(users, u >= 0 ? u : -u - 1));
        }
        return bounds;
    }

    /** Merges the ranges' dictionaries of one column into canonical order. */
    private static Merged merge(List<LocalIds> dicts) {
        int ranges = dicts.size();
        int[][] numbers = new int[ranges][];
        int[][] strings = new int[ranges][];
        if (dicts.stream().allMatch(LocalIds::numeric)) {
            // canonical integers only: numeric order is the canonical order, sorted as longs without a String each
            long[][] local = dicts.stream().map(LocalIds::numbers).toArray(long[][]::new);
            long[] all = distinctSorted(local);
            for (int k = 0; k < ranges; k++) {
                numbers[k] = new int[local[k].length];
                for (int c = 0; c < local[k].length; c++) {
                    numbers[k][c] = Arrays.binarySearch(all, local[k][c]);
                }
                strings[k] = new int[0];
            }
            String[] ids = new String[all.length];
            for (int t = 0; t < all.length; t++) {
                ids[t] = Long.toString(all[t]);
            }
            return new Merged(ids, numbers, strings);
        }
        IdIndex global = new IdIndex();
        for (int k = 0; k < ranges; k++) {
            long[] local = dicts.get(k).numbers();
            numbers[k] = new int[local.length];
            for (int c = 0; c < local.length; c++) {
                numbers[k][c] = global.intern(Long.toString(local[c]));
            }
            String[] text = dicts.get(k).strings();
            strings[k] = new int[text.length];
            for (int c = 0; c < text.length; c++) {
                strings[k][c] = global.intern(text[c]);
            }
        }
        String[] ids = IdMap.canonicalOrder(global.ids());
        int[] canonical = new int[ids.length];
        for (int t = 0; t < ids.length; t++) {
            canonical[global.get(ids[t])] = t;
        }
        for (int k = 0; k < ranges; k++) {
            for (int[] map : new int[][] {numbers[k], strings[k]}) {
                for (int c = 0; c < map.length; c++) {
                    map[c] = canonical[map[c]];
                }
            }
        }
        return new Merged(ids, numbers, strings);
    }

    /** The distinct values of {@code arrays}, ascending (primitive: LongStream's distinct would box each). */
    private static long[] distinctSorted(long[][] arrays) {
        long[] all = new long[Arrays.stream(arrays).mapToInt(a -> a.length).sum()];
        int n = 0;
        for (long[] a : arrays) {
            System.arraycopy(a, 0, all, n, a.length);
            n += a.length;
        }
        Arrays.sort(all);
        int q = 0;
        for (int t = 0; t < n; t++) {
            if (t == 0 || all[t] != all[t - 1]) {
                all[q++] = all[t];
            }
        }
        return Arrays.copyOf(all, q);
    }
}
