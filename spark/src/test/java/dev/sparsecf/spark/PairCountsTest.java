package dev.sparsecf.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link PairCounts} against a {@link HashMap}, drained whenever full, so counts split over several drains still add up. */
class PairCountsTest {

    @Test
    void countsAddUpAcrossDrains() {
        Random rng = new Random(7);
        Map<Long, Long> expected = new HashMap<>();
        Map<Long, Long> drained = new HashMap<>();
        PairCounts counts = new PairCounts(100);
        for (int t = 0; t < 20_000; t++) {
            int i = rng.nextInt(40);
            long key = PairCounts.pack(i, i + rng.nextInt(30));
            expected.merge(key, 1L, Long::sum);
            counts.add(key);
            if (counts.full()) {
                counts.drain((k, c) -> drained.merge(k, c, Long::sum));
                assertTrue(counts.isEmpty());
            }
        }
        counts.drain((k, c) -> drained.merge(k, c, Long::sum));
        assertEquals(expected, drained);
    }
}
