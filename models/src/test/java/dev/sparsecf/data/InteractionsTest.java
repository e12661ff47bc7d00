package dev.sparsecf.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsecf.kernels.CsrMatrix;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class InteractionsTest {

    /**
     * Past the builder's first chunks (2.5M pairs, some with values, many repeated): every pair once, with its highest
     * value, against a dense table of the same draws; and the same pairs without values.
     */
    @Test
    void manyPairsAcrossChunksMergeAsAFewDo() {
        int users = 1000;
        int items = 1500;
        SplittableRandom rnd = new SplittableRandom(11);
        float[] best = new float[users * items];
        Arrays.fill(best, Float.NEGATIVE_INFINITY); // -inf: never drawn; NaN: drawn, only without a value
        Interactions.Builder valued = Interactions.builder("valued");
        Interactions.Builder plain = Interactions.builder("plain");
        int draws = 2_500_000;
        for (int t = 0; t < draws; t++) {
            int u = rnd.nextInt(users);
            int i = rnd.nextInt(items);
            plain.add(Integer.toString(u), Integer.toString(i));
            int at = u * items + i;
            if (t > 1_500_000 && rnd.nextInt(3) == 0) {
                float v = rnd.nextInt(50) / 10f;
                valued.add(Integer.toString(u), Integer.toString(i), v);
                best[at] = Float.isNaN(best[at]) || best[at] < v ? v : best[at];
            } else {
                valued.add(Integer.toString(u), Integer.toString(i));
                best[at] = best[at] == Float.NEGATIVE_INFINITY ? Float.NaN : best[at];
            }
        }
        Interactions x = valued.build();
        Interactions y = plain.build();
        int distinct = 0;
        for (float b : best) {
            distinct += b == Float.NEGATIVE_INFINITY ? 0 : 1;
        }
        assertEquals(distinct, x.size());
        assertEquals(draws - distinct, x.duplicatesMerged());
        assertEquals(distinct, y.size());
        assertEquals(draws - distinct, y.duplicatesMerged());
        for (int u = 0; u < x.numUsers(); u++) {
            int user = Integer.parseInt(x.users().id(u));
            assertArrayEquals(x.itemsOf(u), y.itemsOf(u));
            for (int p = x.rowStart(u); p < x.rowEnd(u); p++) {
                float expected = best[user * items + Integer.parseInt(x.items().id(x.item(p)))];
                assertEquals(expected, x.value(p), "user " + user + " item " + x.items().id(x.item(p)));
            }
        }
    }

    /** Ratings of three users; "carol" has only a rating of unknown value. */
    private static Interactions ratings() {
        return Interactions.builder("test")
                .add("alice", "m1", 5f)
                .add("alice", "m2", 2f)
                .add("bob", "m2", 4f)
                .add("bob", "m3", 3.5f)
                .add("carol", "m4")
                .build();
    }

    @Test
    void pairsWithoutValueGetNaNWhenOthersHaveValues() {
        Interactions x = ratings();
        assertTrue(x.hasValues());
        int carol = x.users().index("carol");
        assertTrue(Float.isNaN(x.value(x.rowStart(carol))));
    }

    @Test
    void positivesKeepValuesAtLeastTheThresholdAndDropEmptyRowsAndColumns() {
        Interactions pos = ratings().positives(4f, "rating >= 4");
        // alice keeps m1 (5), bob keeps m2 (4); m3 (3.5), m2 for alice (2) and carol's unknown rating are dropped
        assertEquals(List.of("alice", "bob"), pos.users().ids());
        assertEquals(List.of("m1", "m2"), pos.items().ids());
        assertArrayEquals(new int[] {0}, pos.itemsOf(0));
        assertArrayEquals(new int[] {1}, pos.itemsOf(1));
        assertEquals(2, pos.size());
        assertEquals("rating >= 4", pos.source());
        assertEquals(false, pos.hasValues());
        assertThrows(IllegalStateException.class, () -> pos.positives(1f, "again"));
    }

    @Test
    void aRepeatedPairKeepsItsKnownValueOverAnUnknownOne() {
        for (boolean unknownFirst : new boolean[] {true, false}) {
            Interactions.Builder b = Interactions.builder("test");
            if (unknownFirst) {
                b.add("u", "i").add("u", "i", 3f);
            } else {
                b.add("u", "i", 3f).add("u", "i");
            }
            Interactions x = b.build();
            assertEquals(1, x.size());
            assertEquals(3f, x.value(0), "unknown first: " + unknownFirst);
            assertEquals(1, x.duplicatesMerged());
        }
    }

    @Test
    void positivesOfAnEmptyFileSayItIsEmpty() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Interactions.builder("/data/u.data").build().positives(4f, "rating >= 4"));
        assertTrue(e.getMessage().startsWith("/data/u.data is empty"), e.getMessage());
    }

    @Test
    void toCsrIsTheBinaryMatrixOfThePairs() {
        Interactions x = ratings();
        try (CsrMatrix m = x.toCsr()) {
            assertEquals(3, m.rows());
            assertEquals(4, m.cols());
            assertTrue(m.isBinary());
            assertEquals(x.size(), m.nnz());
            for (int u = 0; u < x.numUsers(); u++) {
                assertEquals(x.rowStart(u), m.rowStart(u));
                for (int p = x.rowStart(u); p < x.rowEnd(u); p++) {
                    assertEquals(x.item(p), m.col(p), "user " + u + " position " + p);
                }
            }
        }
    }

    @Test
    void fromCsrUsesIndicesAsIds() {
        try (CsrMatrix m = CsrMatrix.binary(2, 3, new int[] {0, 2, 3}, new int[] {0, 2, 1})) {
            Interactions x = Interactions.fromCsr("m", m);
            assertEquals(List.of("0", "1"), x.users().ids());
            assertEquals(List.of("0", "1", "2"), x.items().ids());
            assertArrayEquals(new int[] {0, 2}, x.itemsOf(0));
            assertArrayEquals(new int[] {1}, x.itemsOf(1));
            assertArrayEquals(new int[] {1, 1, 1}, x.itemCounts());
        }
        // a row view: positions start past 0
        try (CsrMatrix m = CsrMatrix.binary(2, 3, new int[] {0, 2, 3}, new int[] {0, 2, 1})) {
            Interactions x = Interactions.fromCsr("view", m.rows(1, 2));
            assertArrayEquals(new int[] {1}, x.itemsOf(0));
        }
    }

    @Test
    void ofValidatesTheRows() {
        IdMap users = IdMap.of("a", "b");
        IdMap items = IdMap.of("x", "y");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Interactions.of("t", users, items, new int[] {0, 2, 2}, new int[] {1, 0}, null));
        assertTrue(e.getMessage().contains("user 0 ('a')"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Interactions.of("t", users, items, new int[] {0, 1, 2}, new int[] {0, 2}, null));
        assertThrows(IllegalArgumentException.class, () -> Interactions.of("t", users, items, new int[] {0, 1}, new int[] {0}, null));
        assertThrows(IllegalArgumentException.class, () -> IdMap.of("a", "a"));
    }

    @Test
    void containsSearchesTheRow() {
        Interactions x = ratings();
        int alice = x.users().index("alice");
        assertTrue(x.contains(alice, x.items().index("m2")));
        assertEquals(false, x.contains(alice, x.items().index("m3")));
    }
}
