package dev.sparsecf.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DatasetStatsTest {

    /** Every value below is a short sum of exact binary fractions or one division, so 2 ulps cover the rounding. */
    private static void assertClose(double expected, double actual, String what) {
        assertEquals(expected, actual, 2 * Math.ulp(expected), what);
    }

    @Test
    void distributionOfFiveCounts() {
        // sorted 1, 2, 3, 4, 10 (n = 5, sum 20); quartile positions h = (n-1)q = 1, 2, 3 fall on order statistics:
        // q1 = 2, median = 3, q3 = 4; mean = 20/5 = 4.
        // Gini = sum_i (2i - n - 1) x_(i) / (n * sum) with weights -4, -2, 0, 2, 4:
        //   (-4*1 - 2*2 + 0*3 + 2*4 + 4*10) / (5 * 20) = 40 / 100 = 0.4
        DatasetStats.Distribution d = DatasetStats.Distribution.of(new int[] {10, 3, 1, 4, 2});
        assertEquals(1, d.min());
        assertEquals(10, d.max());
        assertClose(2, d.q1(), "q1");
        assertClose(3, d.median(), "median");
        assertClose(4, d.q3(), "q3");
        assertClose(4, d.mean(), "mean");
        assertClose(0.4, d.gini(), "gini");
    }

    @Test
    void quartilesInterpolateBetweenOrderStatistics() {
        // 1, 2, 3, 4: h = 3q = 0.75, 1.5, 2.25 -> 1 + 0.75*(2-1) = 1.75, 2 + 0.5*(3-2) = 2.5, 3 + 0.25*(4-3) = 3.25
        // Gini weights -3, -1, 1, 3: (-3 - 2 + 3 + 12) / (4 * 10) = 10 / 40 = 0.25
        DatasetStats.Distribution d = DatasetStats.Distribution.of(new int[] {4, 3, 2, 1});
        assertClose(1.75, d.q1(), "q1");
        assertClose(2.5, d.median(), "median");
        assertClose(3.25, d.q3(), "q3");
        assertClose(2.5, d.mean(), "mean");
        assertClose(0.25, d.gini(), "gini");
        assertClose(0, DatasetStats.Distribution.of(new int[] {7, 7, 7}).gini(), "equal counts");
    }

    @Test
    void statsOfInteractions() {
        // user k has items 0 .. a_k - 1 with activities 1, 2, 3, 4, 10: 20 pairs over 5 users x 10 items,
        // density 20 / 50 = 0.4; item j has every user with a_k > j: popularity 5, 4, 3, 2, 1, 1, 1, 1, 1, 1
        int[] activity = {1, 2, 3, 4, 10};
        Interactions.Builder b = Interactions.builder("hand");
        for (int u = 0; u < activity.length; u++) {
            for (int i = 0; i < activity[u]; i++) {
                b.add("u" + u, Integer.toString(i));
            }
        }
        DatasetStats s = DatasetStats.of(b.build());
        assertEquals(5, s.users());
        assertEquals(10, s.items());
        assertEquals(20, s.interactions());
        assertClose(0.4, s.density(), "density");
        assertClose(0.4, s.userActivity().gini(), "activity gini");
        assertEquals(5, s.itemPopularity().max());
        // popularity sorted 1,1,1,1,1,1,2,3,4,5: median h = 4.5 -> 1 + 0.5*(1-1) = 1; mean 20/10 = 2
        assertClose(1, s.itemPopularity().median(), "popularity median");
        assertClose(2, s.itemPopularity().mean(), "popularity mean");
    }
}
