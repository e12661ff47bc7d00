package dev.sparsecf.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.sparsecf.data.IdMap;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Sorting by {@link CanonicalKey} gives {@link IdMap#canonicalOrder}'s order, numeric and textual. */
class CanonicalKeyTest {

    @Test
    void numericIdsSortAsIdMapSortsThem() {
        String[] ids = {"10", "9", "-3", "07", "7", "-0", "0", "-12", "-2", "123456789012345678901234567890", "00", "100", "-100"};
        assertArrayEquals(IdMap.canonicalOrder(ids), CanonicalKey.sorted(ids, true));
    }

    @Test
    void textIdsSortAsIdMapSortsThemUnitByUnit() {
        // supplementary characters (surrogate pairs) sort below U+E000..U+FFFF in UTF-16 order, unlike code point order
        String[] ids = {"b", "a", "ab", "A", "a1", "\uFFFDx", "\uD83D\uDE00", "é", "10", "9", "", "a\u0000"};
        assertArrayEquals(IdMap.canonicalOrder(ids), CanonicalKey.sorted(ids, false));
    }

    @Test
    void randomIdSetsSortAsIdMapSortsThem() {
        Random rng = new Random(42);
        for (int trial = 0; trial < 200; trial++) {
            boolean numeric = rng.nextBoolean();
            Set<String> set = new LinkedHashSet<>();
            int n = 1 + rng.nextInt(50);
            while (set.size() < n) {
                set.add(numeric ? (rng.nextInt(4) == 0 ? "-" : "") + "0".repeat(rng.nextInt(2)) + rng.nextInt(rng.nextBoolean() ? 20 : 1_000_000)
                        : Long.toString(rng.nextLong() & 0xffff, 36 - rng.nextInt(20)));
            }
            String[] ids = set.toArray(String[]::new);
            boolean allNumeric = Arrays.stream(ids).allMatch(IdMap::isInteger);
            assertArrayEquals(IdMap.canonicalOrder(ids), CanonicalKey.sorted(ids, allNumeric), Arrays.toString(ids));
        }
    }
}
