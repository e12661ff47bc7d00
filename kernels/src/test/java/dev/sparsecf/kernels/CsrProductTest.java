package dev.sparsecf.kernels;

import static dev.sparsecf.kernels.OffHeapMatrices.assertPaddingIntact;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sparsecf.testing.DoubleReference;
import dev.sparsecf.testing.TestMatrices;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Kernels#csrProduct}: against the double oracle (B made dense, then SpMM's definition) within the summation
 * bound, and bit for bit against the scalar kernel, over awkward column counts, binary and weighted A, and B with
 * empty, short and long rows (longer than the Panama kernel's copy run).
 */
class CsrProductTest {

    private static final int K = 67;

    static Stream<Arguments> cases() {
        return SparseProductChecks.cases(KernelImpls.AWKWARD_COLUMNS);
    }

    @ParameterizedTest(name = "{0}, {1}, {2}")
    @MethodSource("cases")
    void agreesWithDoubleReferenceAndScalarBits(String impl, int n, boolean weighted) {
        SplittableRandom rnd = new SplittableRandom(13L * n + (weighted ? 1 : 0));
        int[][] rows = TestMatrices.rowPatterns(rnd, K);
        int m = rows.length;
        float[][] w = weighted ? TestMatrices.weights(rnd, rows, -2f, 2f) : null;
        int[][] bRows = new int[K][];
        for (int i = 0; i < K; i++) {
            int len = switch (i % 4) {
                case 0 -> 0;
                case 1 -> Math.min(n, 1 + rnd.nextInt(3));
                case 2 -> Math.min(n, rnd.nextInt(n + 1));
                default -> n; // a full row: longer than one copy run at 20,108 columns
            };
            bRows[i] = TestMatrices.subset(rnd, n, len);
        }
        float[][] bValues = TestMatrices.weights(rnd, bRows, -1f, 1f);
        try (CsrMatrix a = OffHeapMatrices.csr(K, rows, w);
             CsrMatrix b = OffHeapMatrices.csr(n, bRows, bValues);
             DenseMatrix c = OffHeapMatrices.output(m, n);
             DenseMatrix oracle = OffHeapMatrices.output(m, n)) {
            KernelImpls.kernels(impl, 2).csrProduct(a, b, c);
            KernelImpls.kernels("scalar", 1).csrProduct(a, b, oracle);
            float[] dense = OffHeapMatrices.densify(b);
            double[] expected = DoubleReference.spmm(rows, w, dense, n, null, null);
            double[] magnitude = DoubleReference.spmmMagnitude(rows, w, dense, n, null, null);
            float[] got = c.toArray();
            SparseProductChecks.assertWithinLinearBound(impl + " csrProduct", "C", got, expected, magnitude, m, n, a::rowNnz,
                    "row nnz");
            float[] scalar = oracle.toArray();
            for (int e = 0; e < got.length; e++) {
                if (Float.floatToRawIntBits(got[e]) != Float.floatToRawIntBits(scalar[e])) {
                    fail(impl + " csrProduct, n=" + n + ": C[" + e / n + "][" + e % n + "] = " + got[e] + ", scalar " + scalar[e]);
                }
            }
            assertPaddingIntact(c, impl + " csrProduct C");
        }
    }

    @Test
    void rejectsMismatchedShapes() {
        try (CsrMatrix a = CsrMatrix.binary(1, 3, new int[] {0, 1}, new int[] {2});
             CsrMatrix b = CsrMatrix.binary(2, 4, new int[] {0, 0, 0}, new int[0]);
             DenseMatrix c = DenseMatrix.allocate(1, 4)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Kernels.get().csrProduct(a, b, c));
            assertEquals("csrProduct: A is 1x3, B is 2x4: inner dimensions differ", e.getMessage());
        }
    }
}
