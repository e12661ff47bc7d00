package dev.sparsecf.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sparsecf.kernels.synthetic.SyntheticClicks;
import dev.sparsecf.testing.TestMatrices;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link Kernels#gram}: exact counts against the brute-force dense product {@code X^T X}. */
class GramTest {

    private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;
    /** Written below the diagonal: a kernel that touches the strict lower triangle changes these bits. */
    private static final double LOWER = Double.longBitsToDouble(0x7ff8_0000_0bad_cafeL);

    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> cases = Stream.builder();
        for (Named<String> impl : KernelImpls.legs()) {
            for (int threads : new int[] {1, 2, 3}) {
                cases.add(Arguments.of(impl, Named.of("edge rows, 103 items", 0), threads));
                cases.add(Arguments.of(impl, Named.of("synthetic clicks, 400 users x 300 items", 1), threads));
            }
        }
        return cases.build();
    }

    @ParameterizedTest(name = "{0}, {1}, {2} threads")
    @MethodSource("cases")
    void agreesWithDenseProduct(String impl, int data, int threads) {
        try (CsrMatrix x = data == 0 ? edgeRows() : SyntheticClicks.generate(400, 300, 12, 9)) {
            check(impl, threads, x);
        }
    }

    /** A row view keeps absolute positions into its parent's column indices. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.sparsecf.kernels.KernelImpls#legs")
    void rowViewOfALargerMatrix(String impl) {
        try (CsrMatrix x = edgeRows()) {
            check(impl, 2, x.rows(7, 50));
        }
    }

    private static void check(String impl, int threads, CsrMatrix x) {
        int n = x.cols();
        int ldg = n + 5;
        double[] expected = bruteForce(x);
        try (Arena arena = Arena.ofShared()) {
            MemorySegment g = arena.allocate(D, (long) n * ldg);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < ldg; j++) {
                    g.setAtIndex(D, (long) i * ldg + j, j >= i && j < n ? Double.NaN : LOWER); // NaN: must be overwritten
                }
            }
            KernelImpls.kernels(impl, threads).gram(x, g, ldg);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < ldg; j++) {
                    double got = g.getAtIndex(D, (long) i * ldg + j);
                    if (j >= i && j < n) {
                        if (got != expected[i * n + j]) {
                            fail(impl + ": G[" + i + "][" + j + "] = " + got + ", expected " + expected[i * n + j]);
                        }
                    } else if (Double.doubleToRawLongBits(got) != Double.doubleToRawLongBits(LOWER)) {
                        fail(impl + ": (" + i + ", " + j + ") outside the upper triangle was written: " + got);
                    }
                }
            }
        }
    }

    @Test
    void rejectsWeightedAndSmallOutput() {
        Kernels kernels = Kernels.get();
        try (CsrMatrix weighted = CsrMatrix.of(1, 3, new int[] {0, 2}, new int[] {0, 2}, new float[] {1f, 0.5f});
             CsrMatrix binary = CsrMatrix.binary(1, 3, new int[] {0, 2}, new int[] {0, 2});
             Arena arena = Arena.ofShared()) {
            MemorySegment g = arena.allocate(D, 9);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> kernels.gram(weighted, g, 3));
            assertTrue(e.getMessage().startsWith("gram: X must be binary"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> kernels.gram(binary, g, 4));
            assertEquals("gram: segment of 72 bytes is too small for 3x3 doubles with lda 4 (88 bytes)", e.getMessage());
            kernels.gram(binary, g, 3);
            assertEquals(1.0, g.getAtIndex(D, 0));
            assertEquals(1.0, g.getAtIndex(D, 2));
            assertEquals(0.0, g.getAtIndex(D, 4));
        }
    }

    /** Empty rows, a full row, single items, and random rows of every length up to the item count. */
    private static CsrMatrix edgeRows() {
        int n = 103;
        SplittableRandom rnd = new SplittableRandom(17);
        CsrMatrix.Builder b = CsrMatrix.builder(n);
        b.addRow();
        b.addRow(TestMatrices.allColumns(n));
        b.addRow(0);
        b.addRow(n - 1);
        b.addRow(0, n - 1);
        for (int u = 0; u < 60; u++) {
            b.addRow(TestMatrices.subset(rnd, n, rnd.nextInt(n + 1)));
        }
        b.addRow();
        return b.build();
    }

    /** {@code G = X^T X} through a dense copy of X: sum over rows of X[u][i] * X[u][j]. */
    private static double[] bruteForce(CsrMatrix x) {
        int n = x.cols();
        float[] dense = OffHeapMatrices.densify(x);
        double[] g = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int u = 0; u < x.rows(); u++) {
                    s += (double) dense[u * n + i] * dense[u * n + j];
                }
                g[i * n + j] = s;
            }
        }
        return g;
    }
}
