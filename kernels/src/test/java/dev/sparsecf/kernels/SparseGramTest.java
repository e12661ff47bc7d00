package dev.sparsecf.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sparsecf.kernels.synthetic.SyntheticClicks;
import dev.sparsecf.testing.TestMatrices;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Kernels#sparseGram} against the dense Gram kernel's oracle ({@code ScalarGram}), and {@link Kernels#neighbours}
 * against a selection by sorting every co-occurring item with the documented tie rule.
 */
class SparseGramTest {

    private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;

    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> cases = Stream.builder();
        for (Named<String> impl : KernelImpls.legs()) {
            for (int threads : new int[] {1, 3}) {
                cases.add(Arguments.of(impl, Named.of("edge rows, 103 items, a lone and an unclicked item", 0), threads));
                cases.add(Arguments.of(impl, Named.of("synthetic clicks, 400 users x 300 items", 1), threads));
            }
        }
        return cases.build();
    }

    @ParameterizedTest(name = "{0}, {1}, {2} threads")
    @MethodSource("cases")
    void agreesWithDenseGramAndSelectsByCountThenIndex(String impl, int data, int threads) {
        try (CsrMatrix x = data == 0 ? edgeRows() : SyntheticClicks.generate(400, 300, 12, 9)) {
            Kernels kernels = KernelImpls.kernels(impl, threads);
            int n = x.cols();
            double[] dense = denseGram(x);
            try (SparseGram g = kernels.sparseGram(x)) {
                for (int i = 0; i < n; i++) {
                    assertEquals(dense[i * n + i], g.diagonal()[i], impl + ": diagonal " + i);
                    int p = g.offDiagonal().rowStart(i);
                    for (int j = 0; j < n; j++) {
                        double expected = dense[Math.min(i, j) * n + Math.max(i, j)];
                        if (j == i || expected == 0) {
                            continue;
                        }
                        if (p >= g.offDiagonal().rowEnd(i) || g.offDiagonal().col(p) != j) {
                            fail(impl + ": row " + i + " lacks item " + j + " (count " + expected + ")");
                        }
                        assertEquals(expected, g.offDiagonal().value(p++), impl + ": G[" + i + "][" + j + "]");
                    }
                    assertEquals(g.offDiagonal().rowEnd(i), p, impl + ": row " + i + " has extra entries");
                }
                for (int k : new int[] {1, 2, 7, n - 2, n - 1, n + 5}) {
                    try (CsrMatrix nb = kernels.neighbours(g, k)) {
                        for (int j = 0; j < n; j++) {
                            int[] got = new int[nb.rowNnz(j)];
                            for (int t = 0; t < got.length; t++) {
                                got[t] = nb.col(nb.rowStart(j) + t);
                            }
                            assertArrayEquals(bySorting(dense, n, j, k), got, impl + ": N(" + j + ") for k = " + k);
                        }
                    }
                }
            }
        }
    }

    /**
     * Capped rows against the dense oracle: row i is its co-occurring items sorted by count (desc) then index (asc),
     * the first {@code cap} of them, by index, with their exact counts; a cap of n - 1 or more is the uncapped matrix.
     */
    @ParameterizedTest(name = "{0}, {1}, {2} threads")
    @MethodSource("cases")
    void cappedRowsKeepTheTopItemsByCountThenIndex(String impl, int data, int threads) {
        try (CsrMatrix x = data == 0 ? edgeRows() : SyntheticClicks.generate(400, 300, 12, 9)) {
            Kernels kernels = KernelImpls.kernels(impl, threads);
            int n = x.cols();
            double[] dense = denseGram(x);
            for (int cap : new int[] {1, 2, 5, 17, 64, n - 2, n - 1, n + 3}) {
                try (SparseGram g = kernels.sparseGram(x, cap); SparseGram whole = kernels.sparseGram(x)) {
                    int capped = 0;
                    for (int i = 0; i < n; i++) {
                        int[] want = topCooccurring(dense, n, i, cap);
                        capped += topCooccurring(dense, n, i, n).length > cap ? 1 : 0;
                        CsrMatrix off = g.offDiagonal();
                        int[] got = new int[off.rowNnz(i)];
                        for (int t = 0; t < got.length; t++) {
                            got[t] = off.col(off.rowStart(i) + t);
                            assertEquals(dense[Math.min(i, got[t]) * n + Math.max(i, got[t])], off.value(off.rowStart(i) + t),
                                    impl + ", cap " + cap + ": G[" + i + "][" + got[t] + "]");
                        }
                        assertArrayEquals(want, got, impl + ", cap " + cap + ": row " + i);
                        assertEquals(dense[i * n + i], g.diagonal()[i], impl + ": diagonal " + i);
                    }
                    assertEquals(capped, g.cappedRows(), impl + ", cap " + cap + ": capped rows");
                    if (cap >= n - 1) {
                        assertEquals(0, g.cappedRows());
                        assertArrayEquals(whole.offDiagonal().colIdx().toArray(ValueLayout.JAVA_INT),
                                g.offDiagonal().colIdx().toArray(ValueLayout.JAVA_INT), impl + ", cap " + cap);
                        assertArrayEquals(whole.offDiagonal().values().toArray(ValueLayout.JAVA_FLOAT),
                                g.offDiagonal().values().toArray(ValueLayout.JAVA_FLOAT), impl + ", cap " + cap);
                    }
                }
            }
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> kernels.sparseGram(x, 0));
            assertEquals("sparseGram: the cap must be >= 1, got 0", e.getMessage());
        }
    }

    @Test
    void rejectsWeightedInputAndNonPositiveK() {
        Kernels kernels = Kernels.get();
        try (CsrMatrix weighted = CsrMatrix.of(1, 3, new int[] {0, 2}, new int[] {0, 2}, new float[] {1f, 0.5f});
             CsrMatrix binary = CsrMatrix.binary(1, 3, new int[] {0, 2}, new int[] {0, 2});
             SparseGram g = kernels.sparseGram(binary)) {
            assertThrows(IllegalArgumentException.class, () -> kernels.sparseGram(weighted));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> kernels.neighbours(g, 0));
            assertEquals("neighbours: k must be >= 1, got 0", e.getMessage());
            assertEquals(1.0, g.get(0, 2));
            assertEquals(0.0, g.get(0, 1));
            assertEquals(1.0, g.get(2, 2));
        }
    }

    /**
     * N(j) by sorting all items i != j with a positive count (every i != j when k >= n - 1): count descending, then
     * index ascending; then by index.
     */
    private static int[] bySorting(double[] dense, int n, int j, int k) {
        List<Integer> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (i != j && (k >= n - 1 || dense[Math.min(i, j) * n + Math.max(i, j)] > 0)) {
                items.add(i);
            }
        }
        items.sort(Comparator.<Integer>comparingDouble(i -> -dense[Math.min(i, j) * n + Math.max(i, j)])
                .thenComparingInt(i -> i));
        return items.subList(0, Math.min(k, items.size())).stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    /** Row i's co-occurring items (positive count) by count descending, then index ascending: the first cap, by index. */
    private static int[] topCooccurring(double[] dense, int n, int i, int cap) {
        return IntStream.range(0, n).filter(j -> j != i && dense[Math.min(i, j) * n + Math.max(i, j)] > 0).boxed()
                .sorted(Comparator.<Integer>comparingDouble(j -> -dense[Math.min(i, j) * n + Math.max(i, j)])
                        .thenComparingInt(j -> j))
                .limit(cap).mapToInt(Integer::intValue).sorted().toArray();
    }

    /** The dense Gram kernel's oracle (upper triangle, scalar tier). */
    private static double[] denseGram(CsrMatrix x) {
        int n = x.cols();
        try (Arena arena = Arena.ofShared()) {
            MemorySegment g = arena.allocate(D, (long) n * n);
            Kernels.create("scalar", 1).gram(x, g, n);
            return g.toArray(D);
        }
    }

    /** Random rows over items 0..100, item 101 never clicked, item 102 only alone in its row (no co-occurring item). */
    private static CsrMatrix edgeRows() {
        int n = 103;
        SplittableRandom rnd = new SplittableRandom(23);
        CsrMatrix.Builder b = CsrMatrix.builder(n);
        b.addRow();
        b.addRow(TestMatrices.subset(rnd, 101, 101));
        b.addRow(102);
        for (int u = 0; u < 60; u++) {
            b.addRow(TestMatrices.subset(rnd, 101, rnd.nextInt(12)));
        }
        b.addRow(102);
        return b.build();
    }
}
