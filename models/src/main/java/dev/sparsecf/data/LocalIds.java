package dev.sparsecf.data;

import java.util.Arrays;

/**
 * One scanning thread's dictionary of the ids of one column for {@link PlainDelimited}: ids written as canonical
 * decimal integers (no leading zero, no "-0", at most 18 digits: the same string for every value) are keyed by
 * their value in an open-addressing {@code long} table, without a String per field; other ids by their text in an
 * {@link IdIndex}; numbers below 2^18 through a plain array first. Codes: {@code c >= 0} is the {@code c}-th
 * distinct number, {@code c < 0} the {@code ~c}-th string.
 */
final class LocalIds {

    /** Numbers below this are looked up in a plain array (item and user ids are mostly small counters). */
    private static final int DIRECT = 1 << 18;

    private int[] direct = new int[1024]; // code + 1 of number i; 0: none
    private long[] keys = new long[1024];
    private int[] slots = new int[1024]; // code + 1; 0: empty
    private long[] numbers = new long[256]; // by code
    private int size;
    private final IdIndex strings = new IdIndex();

    /** The code of the number {@code key}, given the next one if it is new. */
    int number(long key) {
        if (key >= 0 && key < direct.length) {
            int c = direct[(int) key];
            if (c != 0) {
                return c - 1;
            }
        }
        int c = hashed(key);
        if (key >= 0 && key < DIRECT) {
            if (key >= direct.length) {
                direct = Arrays.copyOf(direct, Math.min(DIRECT, Math.max(2 * direct.length, Integer.highestOneBit((int) key) * 2)));
            }
            direct[(int) key] = c + 1;
        }
        return c;
    }

    private int hashed(long key) {
        int mask = keys.length - 1;
        for (int i = slot(key, mask); ; i = (i + 1) & mask) {
            int s = slots[i];
            if (s == 0) {
                if (size == numbers.length) {
                    numbers = Arrays.copyOf(numbers, 2 * size);
                }
                numbers[size] = key;
                keys[i] = key;
                slots[i] = ++size;
                if (size * 2 > keys.length) {
                    grow();
                }
                return size - 1;
            }
            if (keys[i] == key) {
                return s - 1;
            }
        }
    }

    /** The code of the non-numeric id {@code id}. */
    int string(String id) {
        return ~strings.intern(id);
    }

    /** The distinct numbers by code. */
    long[] numbers() {
        return Arrays.copyOf(numbers, size);
    }

    /** The distinct non-numeric ids by code. */
    String[] strings() {
        return strings.ids();
    }

    /** Whether every id was a number. */
    boolean numeric() {
        return strings.size() == 0;
    }

    private static int slot(long key, int mask) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldSlots = slots;
        keys = new long[oldKeys.length * 2];
        slots = new int[oldKeys.length * 2];
        int mask = keys.length - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldSlots[j] != 0) {
                int i = slot(oldKeys[j], mask);
                while (slots[i] != 0) {
                    i = (i + 1) & mask;
                }
                keys[i] = oldKeys[j];
                slots[i] = oldSlots[j];
            }
        }
    }
}
