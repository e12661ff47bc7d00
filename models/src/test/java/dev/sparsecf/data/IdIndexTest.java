package dev.sparsecf.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link IdIndex} numbers ids as a {@link HashMap} of first appearances would, through many growths. */
class IdIndexTest {

    @Test
    void numbersIdsInOrderOfFirstAppearanceLikeAMap() {
        SplittableRandom rnd = new SplittableRandom(3);
        IdIndex index = new IdIndex();
        Map<String, Integer> reference = new HashMap<>();
        List<String> order = new ArrayList<>();
        for (int t = 0; t < 200_000; t++) {
            // numeric ids (similar hashes), repeats, and a few other strings
            String id = rnd.nextInt(10) == 0 ? "item:" + rnd.nextInt(5000) : Integer.toString(rnd.nextInt(60_000));
            Integer expected = reference.putIfAbsent(id, reference.size());
            if (expected == null) {
                order.add(id);
            }
            assertEquals(expected == null ? reference.size() - 1 : expected, index.intern(id), id);
        }
        assertEquals(reference.size(), index.size());
        assertArrayEquals(order.toArray(String[]::new), index.ids());
        for (Map.Entry<String, Integer> e : reference.entrySet()) {
            assertEquals(e.getValue(), index.get(e.getKey()));
        }
        assertEquals(-1, index.get("absent"));
        assertEquals(-1, new IdIndex().get(""));
    }
}
