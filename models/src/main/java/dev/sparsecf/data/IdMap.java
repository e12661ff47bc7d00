package dev.sparsecf.data;

import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A bijection between original string ids (as written in a data file) and dense indices {@code 0..size-1}.
 *
 * <p>Maps built by {@link Interactions} list ids in <em>canonical order</em>: numerically when every id is an
 * integer, otherwise lexicographically, so indices do not depend on the order of lines in a file.
 */
public final class IdMap {

    /** Numeric order when both ids are integers; ties (e.g. "7" and "07") and other ids by string order. */
    static final Comparator<String> CANONICAL = IdMap::compareCanonical;

    private final String[] ids;
    private final Map<String, Integer> index;

    private IdMap(String[] ids) {
        this.ids = ids;
        this.index = HashMap.newHashMap(ids.length);
        for (int i = 0; i < ids.length; i++) {
            Objects.requireNonNull(ids[i], "id");
            Integer previous = index.put(ids[i], i);
            if (previous != null) {
                throw new IllegalArgumentException("duplicate id '" + ids[i] + "' at indices " + previous + " and " + i);
            }
        }
    }

    /** A map whose index {@code i} is {@code ids[i]}; ids must be distinct. */
    public static IdMap of(String... ids) {
        return new IdMap(ids.clone());
    }

    /** A map whose index {@code i} is {@code ids.get(i)}; ids must be distinct. */
    public static IdMap of(List<String> ids) {
        return new IdMap(ids.toArray(String[]::new));
    }

    /** The ids {@code "0", "1", ..., n-1} at their own index (generated data). */
    public static IdMap range(int n) {
        String[] ids = new String[n];
        for (int i = 0; i < n; i++) {
            ids[i] = Integer.toString(i);
        }
        return new IdMap(ids);
    }

    /** Ids sorted into canonical order (see the class comment); the input is not modified. */
    public static String[] canonicalOrder(String[] ids) {
        String[] sorted = ids.clone();
        boolean numeric = true;
        for (String id : sorted) {
            if (!isInteger(id)) {
                numeric = false;
                break;
            }
        }
        Arrays.sort(sorted, numeric ? CANONICAL : Comparator.naturalOrder());
        return sorted;
    }

    /** The sub-map of the ids at {@code indices}, re-indexed in the given order. */
    public IdMap select(int[] indices) {
        String[] out = new String[indices.length];
        for (int t = 0; t < indices.length; t++) {
            out[t] = ids[indices[t]];
        }
        return new IdMap(out);
    }

    public int size() {
        return ids.length;
    }

    /** The original id of index {@code i}. */
    public String id(int i) {
        return ids[i];
    }

    /** The index of {@code id}, or -1 when the map does not contain it. */
    public int index(String id) {
        Integer i = index.get(id);
        return i == null ? -1 : i;
    }

    public boolean contains(String id) {
        return index.containsKey(id);
    }

    /** The ids in index order (an unmodifiable view). */
    public List<String> ids() {
        return List.of(ids);
    }

    private static int compareCanonical(String a, String b) {
        if (isInteger(a) && isInteger(b)) {
            int c = compareIntegers(a, b);
            if (c != 0) {
                return c;
            }
        }
        return a.compareTo(b);
    }

    /** Compares decimal integers of any length without overflow: sign, then magnitude by digit count and digits. */
    private static int compareIntegers(String a, String b) {
        boolean negA = a.charAt(0) == '-';
        boolean negB = b.charAt(0) == '-';
        if (negA != negB) {
            return negA ? -1 : 1;
        }
        String ma = stripZeros(negA ? a.substring(1) : a);
        String mb = stripZeros(negB ? b.substring(1) : b);
        int c = ma.length() != mb.length() ? Integer.compare(ma.length(), mb.length()) : ma.compareTo(mb);
        return negA ? -c : c;
    }

    private static String stripZeros(String digits) {
        int i = 0;
        while (i < digits.length() - 1 && digits.charAt(i) == '0') {
            i++;
        }
        return digits.substring(i);
    }

    /** Whether {@code s} is a decimal integer (optional '-', digits): canonical order is numeric when every id is one. */
    public static boolean isInteger(String s) {
        int start = !s.isEmpty() && s.charAt(0) == '-' ? 1 : 0;
        if (s.length() == start) {
            return false;
        }
        for (int i = start; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** Maps are equal when they hold the same ids at the same indices. */
    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof IdMap other && Arrays.equals(ids, other.ids));
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(ids);
    }

    @Override
    public String toString() {
        return "IdMap[" + ids.length + " ids]";
    }
}
