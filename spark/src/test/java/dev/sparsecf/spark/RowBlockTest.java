package dev.sparsecf.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * {@link RowBlock} against a plain {@code long[n][n]} {@code X^T X}: blocks of awkward sizes (a short last block,
 * one row, the whole matrix), users split over two "partitions" whose drained chunks (cut small) are summed.
 */
class RowBlockTest {

    @Test
    void blocksOfEverySizeSumToTheGram() {
        int n = 37;
        Random rng = new Random(11);
        List<int[]> users = new ArrayList<>();
        for (int u = 0; u < 60; u++) {
            TreeSet<Integer> items = new TreeSet<>();
            int m = u == 0 ? n : u == 1 ? 0 : rng.nextInt(12); // one user with every item, one with none
            while (items.size() < m) {
                items.add((int) (n * Math.pow(rng.nextDouble(), 2))); // popular low indices: repeated pairs
            }
            users.add(items.stream().mapToInt(Integer::intValue).toArray());
        }
        long[][] expected = new long[n][n];
        for (int[] items : users) {
            for (int i : items) {
                for (int j : items) {
                    expected[i][j]++;
                }
            }
        }
        for (int rows : new int[] {1, 5, 36, 37}) {
            assertEquals(rows, RowBlock.rowsPerBlock(n, (long) rows * n + n - 1));
            long[][] actual = new long[n][n];
            RowBlock mapSide = new RowBlock(n, rows);
            RowBlock reduceSide = new RowBlock(n, rows);
            for (int b = 0; b * rows < n; b++) {
                reduceSide.start(b);
                for (List<int[]> partition : List.of(users.subList(0, 25), users.subList(25, 60))) {
                    mapSide.start(b);
                    partition.forEach(mapSide::add);
                    for (RowBlock.Chunk c : mapSide.drain(7)) {
                        assertTrue(c.offsets().length <= 7);
                        assertEquals(b, c.block());
                        reduceSide.add(c);
                    }
                }
                int lo = reduceSide.lo();
                assertEquals(b * rows, lo);
                int previous = -1;
                for (int o : reduceSide.sortedOffsets()) {
                    assertTrue(o > previous, "ascending");
                    previous = o;
                    actual[lo + o / n][o % n] = reduceSide.count(o);
                }
                reduceSide.clear();
            }
            for (int i = 0; i < n; i++) {
                assertArrayEquals(expected[i], actual[i], "rows per block " + rows + ", row " + i);
            }
        }
    }

    @Test
    void aSparseBlockListsItsNonZerosInOrder() {
        // 3 users in a 100 x 1000 block: far below the density at which the block is scanned, so the list is sorted
        RowBlock block = new RowBlock(1000, 100);
        block.start(0);
        block.add(new int[] {3, 500, 999});
        block.add(new int[] {0, 3, 998});
        block.add(new int[] {3, 99, 100}); // item 100 is the next block's row
        int[] expected = {0, 3, 998, 3000, 3003, 3099, 3100, 3500, 3998, 3999, 99 * 1000 + 3, 99 * 1000 + 99, 99 * 1000 + 100};
        assertArrayEquals(expected, block.sortedOffsets());
        assertEquals(3, block.count(3 * 1000 + 3), "G[3][3]: three users");
        assertEquals(1, block.count(99 * 1000 + 3));
        assertEquals(expected.length, block.drain(4).stream().mapToInt(c -> c.offsets().length).sum());
        assertEquals(0, block.sortedOffsets().length, "drained");
    }
}
