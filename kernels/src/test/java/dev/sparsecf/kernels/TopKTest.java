package dev.sparsecf.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sparsecf.testing.DoubleReference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link Kernels#topK}: exact agreement with a full-sort oracle, with ties, NaNs, infinities and exclusions. */
class TopKTest {

    /** Score rows; each names what it exercises. */
    enum ScoreRow { TIES_AND_SIGNED_ZEROS, NANS, LEADING_NANS, ALL_NAN, ALL_EQUAL, ASCENDING, INFINITIES, GAUSSIAN, DESCENDING }

    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> cases = Stream.builder();
        for (Named<String> impl : KernelImpls.legs()) {
            for (int n : KernelImpls.AWKWARD_COLUMNS) {
                // k = 1, a small k, the evaluation's k (PanamaTopK's group bound engages up to k = n / 32), every
                // column, and more than there are candidates (-1 padding)
                for (int k : new TreeSet<>(List.of(1, 5, 100, n, n + 3))) {
                    for (boolean exclude : new boolean[] {false, true}) {
                        cases.add(Arguments.of(impl, Named.of(KernelImpls.columnsLabel(n), n), Named.of("k=" + k, k),
                                Named.of(exclude ? "with exclusions" : "no exclusions", exclude)));
                    }
                }
            }
        }
        return cases.build();
    }

    @ParameterizedTest(name = "{0}, {1}, {2}, {3}")
    @MethodSource("cases")
    void matchesFullSort(String impl, int n, int k, boolean withExclusions) {
        Kernels kernels = KernelImpls.kernels(impl, 2);
        SplittableRandom rnd = new SplittableRandom(7919L * n + k);
        ScoreRow[] kinds = ScoreRow.values();
        int m = kinds.length;
        float[] scores = new float[m * n];
        for (int i = 0; i < m; i++) {
            fillRow(kinds[i], rnd, scores, i * n, n);
        }
        int[][] excluded = new int[m][];
        for (int i = 0; i < m; i++) {
            excluded[i] = withExclusions ? exclusions(i, rnd, n) : new int[0];
        }
        int[] out = new int[m * k];
        Arrays.fill(out, -7); // every slot must be written
        try (DenseMatrix s = OffHeapMatrices.dense(m, n, scores);
             CsrMatrix ex = withExclusions ? OffHeapMatrices.csr(n, excluded, null) : null) {
            kernels.topK(s, ex, k, out);
        }
        for (int i = 0; i < m; i++) {
            int[] want = DoubleReference.topK(scores, i * n, n, excluded[i], k);
            int[] got = Arrays.copyOfRange(out, i * k, i * k + k);
            assertArrayEquals(want, got, impl + ", n=" + n + ", k=" + k + ", row " + i + " (" + kinds[i]
                    + "), excluded " + Arrays.toString(excluded[i]));
        }
    }

    @Test
    void rankKeysOrderAsTheHeapRanks() {
        float[] scores = {Float.NaN, Float.intBitsToFloat(0xffc00001), Float.NEGATIVE_INFINITY, -Float.MAX_VALUE, -2f, -1f,
            -Float.MIN_NORMAL, -Float.MIN_VALUE, -0f, 0f, Float.MIN_VALUE, Float.MIN_NORMAL, 1f, Math.nextUp(1f), 2f,
            Float.MAX_VALUE, Float.POSITIVE_INFINITY};
        int[] columns = {0, 1, 2, 16, 20107, Integer.MAX_VALUE};
        for (float s1 : scores) {
            for (int c1 : columns) {
                for (float s2 : scores) {
                    for (int c2 : columns) {
                        boolean before = TopKHeap.ranksBefore(s1, c1, s2, c2);
                        boolean keyBefore = TopKHeap.rankKey(s1, c1) < TopKHeap.rankKey(s2, c2);
                        assertEquals(before, keyBefore, "(" + s1 + ", " + c1 + ") vs (" + s2 + ", " + c2 + ")");
                    }
                }
            }
        }
    }

    private static void fillRow(ScoreRow kind, SplittableRandom rnd, float[] s, int off, int n) {
        for (int j = 0; j < n; j++) {
            s[off + j] = switch (kind) {
                // 8 levels: many ties, including -0.0 vs 0.0 (equal scores, so the lower column wins)
                case TIES_AND_SIGNED_ZEROS -> {
                    float v = rnd.nextInt(8) / 4f - 1f;
                    yield v == 0f && rnd.nextBoolean() ? -0f : v;
                }
                case NANS -> rnd.nextInt(10) == 0 ? Float.NaN : (float) rnd.nextDouble();
                // the first columns fill the heap with NaNs; every later number must displace them
                case LEADING_NANS -> j < n / 2 ? Float.NaN : (float) rnd.nextDouble();
                case ALL_NAN -> Float.NaN;
                case ALL_EQUAL -> 1f;
                case ASCENDING -> j; // every column beats the current worst: the heap changes at each one
                case DESCENDING -> n - j; // the group bound is the k-th of the first vectors' lanes
                case GAUSSIAN -> (float) rnd.nextGaussian(); // model scores: a few columns per group pass the bound
                case INFINITIES -> switch (rnd.nextInt(4)) {
                    case 0 -> Float.POSITIVE_INFINITY;
                    case 1 -> Float.NEGATIVE_INFINITY;
                    default -> rnd.nextInt(3);
                };
            };
        }
    }

    /** Exclusion row {@code i % 6}: the row edges, lane boundaries, nothing, all but one, a random half, everything. */
    private static int[] exclusions(int i, SplittableRandom rnd, int n) {
        int lanes = KernelImpls.LANES;
        TreeSet<Integer> cols = new TreeSet<>();
        switch (i % 6) {
            case 0 -> cols.addAll(List.of(0, n - 1));
            case 1 -> cols.addAll(List.of(lanes - 1, lanes, 2 * lanes - 1, 2 * lanes, n - 2));
            case 2 -> { }
            case 3 -> {
                for (int j = 0; j < n; j++) {
                    if (j != n / 2) {
                        cols.add(j);
                    }
                }
            }
            case 4 -> {
                for (int j = 0; j < n; j++) {
                    if (rnd.nextBoolean()) {
                        cols.add(j);
                    }
                }
            }
            default -> {
                for (int j = 0; j < n; j++) {
                    cols.add(j);
                }
            }
        }
        cols.removeIf(c -> c < 0 || c >= n);
        List<Integer> list = new ArrayList<>(cols);
        return list.stream().mapToInt(Integer::intValue).toArray();
    }
}
