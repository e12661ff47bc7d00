package dev.sparsecf.kernels;

import static dev.sparsecf.kernels.OffHeapMatrices.assertPaddingIntact;

import dev.sparsecf.testing.DoubleReference;
import dev.sparsecf.testing.TestMatrices;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link Kernels#spmm}: every implementation against the double reference over awkward shapes. */
class SpmmTest {

    /** Inner dimension: the full row has 9 groups of 4 entries plus a leftover, the other rows 0-7 entries. */
    private static final int K = 37;

    enum ScaleBias {
        NONE(false, false), SCALE(true, false), BIAS(false, true), BOTH(true, true);

        final boolean scale;
        final boolean bias;

        ScaleBias(boolean scale, boolean bias) {
            this.scale = scale;
            this.bias = bias;
        }

        @Override
        public String toString() {
            return (scale ? "rowScale" : "no rowScale") + ", " + (bias ? "bias" : "no bias");
        }
    }

    static Stream<Arguments> cases() {
        return SparseProductChecks.cases(KernelImpls.AWKWARD_COLUMNS).flatMap(c -> Arrays.stream(ScaleBias.values())
                .map(sb -> Arguments.of(c.get()[0], c.get()[1], c.get()[2], sb)));
    }

    @ParameterizedTest(name = "{0}, {1}, {2}, {3}")
    @MethodSource("cases")
    void agreesWithDoubleReference(String impl, int n, boolean weighted, ScaleBias sb) {
        Kernels kernels = KernelImpls.kernels(impl, 2);
        SplittableRandom rnd = new SplittableRandom(31L * n + (weighted ? 7 : 0) + sb.ordinal());
        int[][] rows = TestMatrices.rowPatterns(rnd, K);
        int m = rows.length;
        float[][] w = weighted ? TestMatrices.weights(rnd, rows, -2f, 2f) : null;
        float[] b = TestMatrices.uniform(rnd, K * n, -1f, 1f);
        float[] scale = null;
        if (sb.scale) {
            scale = TestMatrices.uniform(rnd, m, 0.5f, 2f);
            scale[1] = -scale[1]; // a negative scale on the full row
        }
        float[] bias = sb.bias ? TestMatrices.uniform(rnd, n, -1f, 1f) : null;
        try (CsrMatrix a = OffHeapMatrices.csr(K, rows, w);
             DenseMatrix bm = OffHeapMatrices.dense(K, n, b);
             DenseMatrix c = OffHeapMatrices.output(m, n);
             Arena arena = Arena.ofShared()) {
            MemorySegment biasSegment = bias == null ? null : arena.allocateFrom(ValueLayout.JAVA_FLOAT, bias);

            kernels.spmm(a, bm, scale, biasSegment, c);

            double[] expected = DoubleReference.spmm(rows, w, b, n, scale, bias);
            double[] magnitude = DoubleReference.spmmMagnitude(rows, w, b, n, scale, bias);
            SparseProductChecks.assertWithinLinearBound(impl + " spmm", "C", c.toArray(), expected, magnitude, m, n, a::rowNnz,
                    "row nnz");
            assertPaddingIntact(c, impl + " spmm C");
        }
    }
}
