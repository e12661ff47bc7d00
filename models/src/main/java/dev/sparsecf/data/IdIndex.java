package dev.sparsecf.data;

import java.util.Objects;

/**
 * Distinct ids numbered 0, 1, ... in the order they first appear, for {@link Interactions.Builder}: an open-addressing
 * table of the ids and their numbers (linear probing, at most half full), so a lookup boxes nothing and allocates
 * nothing; a large file's load does one per id field.
 */
final class IdIndex {

    private String[] keys = new String[1024];
    private int[] numbers = new int[1024];
    private int size;

    /** The number of {@code id}, given the next one if it is new. */
    int intern(String id) {
        Objects.requireNonNull(id, "id");
        int mask = keys.length - 1;
        for (int i = slot(id, mask); ; i = (i + 1) & mask) {
            String k = keys[i];
            if (k == null) {
                keys[i] = id;
                numbers[i] = size;
                if (++size * 2 > keys.length) {
                    grow();
                }
                return size - 1;
            }
            if (k.equals(id)) {
                return numbers[i];
            }
        }
    }

    /** The number of {@code id}, or -1. */
    int get(String id) {
        int mask = keys.length - 1;
        for (int i = slot(id, mask); keys[i] != null; i = (i + 1) & mask) {
            if (keys[i].equals(id)) {
                return numbers[i];
            }
        }
        return -1;
    }

    int size() {
        return size;
    }

    /** The ids by number. */
    String[] ids() {
        String[] ids = new String[size];
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != null) {
                ids[numbers[i]] = keys[i];
            }
        }
        return ids;
    }

    /** A slot from the id's hash, mixed so that ids differing in their last characters (numbers) spread out. */
    private static int slot(String id, int mask) {
        int h = id.hashCode() * 0x9E3779B9;
        return (h ^ (h >>> 16)) & mask;
    }

    private void grow() {
        String[] oldKeys = keys;
        int[] oldNumbers = numbers;
        keys = new String[oldKeys.length * 2];
        numbers = new int[oldKeys.length * 2];
        int mask = keys.length - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldKeys[j] != null) {
                int i = slot(oldKeys[j], mask);
                while (keys[i] != null) {
                    i = (i + 1) & mask;
                }
                keys[i] = oldKeys[j];
                numbers[i] = oldNumbers[j];
            }
        }
    }
}
