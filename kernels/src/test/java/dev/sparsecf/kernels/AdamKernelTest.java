package dev.sparsecf.kernels;

import static dev.sparsecf.kernels.OffHeapMatrices.assertPaddingIntact;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sparsecf.testing.TestMatrices;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Kernels#adamUpdate}: every implementation is bit-identical to the float formula of {@link AdamKernel},
 * evaluated here element by element, over several steps, awkward widths, and with weight decay on and off.
 */
class AdamKernelTest {

    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPSILON = 1e-8;
    private static final int ROWS = 5;
    private static final int STEPS = 3;

    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> cases = Stream.builder();
        for (Named<String> impl : KernelImpls.legs()) {
            for (int n : KernelImpls.ELEMENTWISE_COLUMNS) {
                for (double decay : new double[] {0, 0.01}) {
                    cases.add(Arguments.of(impl, Named.of(KernelImpls.columnsLabel(n), n),
                            Named.of(decay == 0 ? "no weight decay" : "weight decay " + decay, decay)));
                }
            }
        }
        return cases.build();
    }

    @ParameterizedTest(name = "{0}, {1}, {2}")
    @MethodSource("cases")
    void bitIdenticalToTheFloatFormula(String impl, int n, double weightDecay) {
        Kernels kernels = KernelImpls.kernels(impl, 2);
        SplittableRandom rnd = new SplittableRandom(13L * n + (weightDecay == 0 ? 0 : 1));
        int size = ROWS * n;
        float[] w = TestMatrices.uniform(rnd, size, -1f, 1f);
        float[] m = TestMatrices.uniform(rnd, size, -1e-2f, 1e-2f);
        float[] v = TestMatrices.uniform(rnd, size, 0f, 1e-4f);
        for (int p = 0; p < size; p += 7) { // fresh moments, as in the first step: v = 0 leaves only epsilon
            m[p] = 0f;
            v[p] = 0f;
        }
        try (DenseMatrix wm = OffHeapMatrices.dense(ROWS, n, w);
             DenseMatrix mm = OffHeapMatrices.dense(ROWS, n, m);
             DenseMatrix vm = OffHeapMatrices.dense(ROWS, n, v)) {
            for (int step = 1; step <= STEPS; step++) {
                float[] g = TestMatrices.uniform(rnd, size, -1f, 1f);
                for (int p = 3; p < size; p += 11) {
                    g[p] = 0f; // zero gradients: m and v only decay
                }
                double stepSize = 1e-3 * Math.sqrt(1 - Math.pow(BETA2, step)) / (1 - Math.pow(BETA1, step));
                try (DenseMatrix gm = OffHeapMatrices.dense(ROWS, n, g)) {
                    kernels.adamUpdate(wm, gm, mm, vm, stepSize, BETA1, BETA2, EPSILON, weightDecay);
                    expected(w, g, m, v, stepSize, weightDecay);
                    String what = impl + " adam, n=" + n + ", weight decay " + weightDecay + ", step " + step;
                    assertBits(w, wm, what + ": param");
                    assertBits(m, mm, what + ": m");
                    assertBits(v, vm, what + ": v");
                    assertBits(g, gm, what + ": grad (read only)");
                    for (DenseMatrix x : List.of(wm, mm, vm, gm)) {
                        assertPaddingIntact(x, what);
                    }
                }
            }
        }
    }

    /** The contract of {@link AdamKernel}, element by element in float, on arrays. */
    private static void expected(float[] w, float[] g, float[] m, float[] v, double stepSize, double weightDecay) {
        float b1 = (float) BETA1;
        float b2 = (float) BETA2;
        float lr = (float) stepSize;
        float eps = (float) EPSILON;
        float decay = (float) (2 * weightDecay);
        for (int p = 0; p < w.length; p++) {
            float gp = g[p] + decay * w[p];
            m[p] = b1 * m[p] + (1 - b1) * gp;
            v[p] = b2 * v[p] + (1 - b2) * gp * gp;
            w[p] = w[p] - lr * m[p] / ((float) Math.sqrt(v[p]) + eps);
        }
    }

    private static void assertBits(float[] want, DenseMatrix got, String what) {
        int n = got.cols();
        for (int i = 0; i < got.rows(); i++) {
            for (int j = 0; j < n; j++) {
                float e = want[i * n + j];
                float a = got.get(i, j);
                if (Float.floatToRawIntBits(a) != Float.floatToRawIntBits(e)) {
                    fail(what + "[" + i + "][" + j + "] = " + a + " (0x" + Integer.toHexString(Float.floatToRawIntBits(a))
                            + "), expected " + e + " (0x" + Integer.toHexString(Float.floatToRawIntBits(e)) + ")");
                }
            }
        }
    }
}
