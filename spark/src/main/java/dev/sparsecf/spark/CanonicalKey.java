package dev.sparsecf.spark;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Comparator;

/**
 * Byte keys whose unsigned lexicographic order is the canonical id order of {@code dev.sparsecf.data.IdMap}
 * (numeric when every id of the set is an integer, else {@link String#compareTo}), so Spark can sort ids by a
 * binary column exactly as the single-node loader indexes them. Whether the set is numeric is the caller's to
 * say: it is a property of all ids, not of one.
 */
public final class CanonicalKey {

    /** Orders keys as {@link #of} promises. */
    public static final Comparator<byte[]> ORDER = Arrays::compareUnsigned;

    private CanonicalKey() {
    }

    /**
     * The key of {@code id}. Numeric ids: sign, then digit count and digits (both complemented for a negative
     * number), then the id's UTF-16 units as tie-break ("7" before "07", as {@code IdMap} orders them); other ids:
     * their UTF-16 units, big-endian.
     */
    public static byte[] of(String id, boolean numeric) {
        if (!numeric) {
            return utf16(id, 0).array();
        }
        boolean negative = id.charAt(0) == '-';
        String digits = stripZeros(negative ? id.substring(1) : id);
        byte[] magnitude = new byte[4 + digits.length()];
        ByteBuffer.wrap(magnitude).putInt(digits.length());
        for (int i = 0; i < digits.length(); i++) {
            magnitude[4 + i] = (byte) digits.charAt(i);
        }
        if (negative) {
            for (int i = 0; i < magnitude.length; i++) {
                magnitude[i] = (byte) ~magnitude[i];
            }
        }
        ByteBuffer key = utf16(id, 1 + magnitude.length);
        key.put(0, (byte) (negative ? 0 : 1)).put(1, magnitude);
        return key.array();
    }

    /** A buffer of {@code prefix} free bytes followed by {@code id}'s UTF-16 units. */
    private static ByteBuffer utf16(String id, int prefix) {
        ByteBuffer b = ByteBuffer.allocate(prefix + 2 * id.length());
        for (int i = 0; i < id.length(); i++) {
            b.putChar(prefix + 2 * i, id.charAt(i));
        }
        return b;
    }

    private static String stripZeros(String digits) {
        int i = 0;
        while (i < digits.length() - 1 && digits.charAt(i) == '0') {
            i++;
        }
        return digits.substring(i);
    }

    /** {@code ids} sorted by their keys (a new array). */
    public static String[] sorted(String[] ids, boolean numeric) {
        byte[][] keys = new byte[ids.length][];
        Integer[] order = new Integer[ids.length];
        for (int i = 0; i < ids.length; i++) {
            keys[i] = of(ids[i], numeric);
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> ORDER.compare(keys[a], keys[b]));
        String[] out = new String[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = ids[order[i]];
        }
        return out;
    }
}
