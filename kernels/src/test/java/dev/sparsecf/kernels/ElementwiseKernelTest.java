package dev.sparsecf.kernels;

import static dev.sparsecf.testing.ErrorBounds.U_DOUBLE;
import static dev.sparsecf.testing.ErrorBounds.U_FLOAT;
import static dev.sparsecf.testing.ErrorBounds.gamma;
import static dev.sparsecf.kernels.OffHeapMatrices.assertPaddingIntact;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sparsecf.testing.TestMatrices;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Kernels#tanhBackward}, {@link Kernels#scaleRows}, {@link Kernels#columnSums} and {@link Kernels#broadcastRow}:
 * every implementation against the double-precision definitions over awkward widths, and bit for bit against the
 * scalar kernels on one thread ({@link ElementwiseKernel}'s contract).
 *
 * <p>Error model ({@link ErrorBounds}' standard model, u = 2^-24): {@code d * (1 - y*y)} rounds the square, the
 * difference and the product; the square's error {@code u y^2} is absolute in the difference, which can cancel, so
 * {@code |err| <= |d| (gamma(2) |1 - y^2| + u y^2 (1 + gamma(2)))}. {@code d * (scale * s_i)} rounds twice:
 * {@code gamma(2) |exact|}. A column sum of m floats in double and the double scale err by
 * {@code gamma(m + 1, 2^-53) |scale| sum_i |d_ij|} (Higham Eq. 3.5), and the float result adds {@code u |exact|}.
 * Gradual underflow adds at most a {@link Float#MIN_VALUE} per rounding; the double oracle adds its own roundings.
 */
class ElementwiseKernelTest {

    private static final int ROWS = 7;

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("dev.sparsecf.kernels.KernelImpls#elementwiseCases")
    void tanhBackwardAgreesWithDouble(String impl, int n) {
        SplittableRandom rnd = new SplittableRandom(31L * n);
        float[] y = TestMatrices.uniform(rnd, ROWS * n, -1f, 1f);
        float[] d = TestMatrices.uniform(rnd, ROWS * n, -2f, 2f);
        float[] special = {0f, -0f, 1f, -1f, 0.99999994f, -0.99999994f, 1e-30f, 0.5f};
        for (int p = 0; p < y.length; p += 5) {
            y[p] = special[p / 5 % special.length];
        }
        for (int p = 2; p < d.length; p += 13) {
            d[p] = p % 2 == 0 ? 0f : Float.MIN_NORMAL / 3; // zero and subnormal gradients
        }
        String what = impl + " tanhBackward, n=" + n;
        try (DenseMatrix ym = OffHeapMatrices.dense(ROWS, n, y)) {
            float[] got = run(impl, d, n, dm -> KernelImpls.kernels(impl, 2).tanhBackward(ym, dm), what);
            float[] scalar = run("scalar", d, n, dm -> Kernels.create("scalar", 1).tanhBackward(ym, dm), what);
            for (int p = 0; p < d.length; p++) {
                double yy = (double) y[p] * y[p];
                double want = d[p] * (1 - yy);
                double bound = Math.abs(d[p]) * (gamma(2, U_FLOAT) * Math.abs(1 - yy) + U_FLOAT * yy * (1 + gamma(2, U_FLOAT)))
                        + gamma(3, U_DOUBLE) * Math.abs(d[p]) * (1 + yy) + (1 + Math.abs(d[p])) * Float.MIN_VALUE;
                checkElement(what, p, n, "y = " + y[p] + ", d = " + d[p], got[p], want, bound, scalar[p]);
            }
            assertPaddingIntact(ym, what + " (y is only read)");
        }
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("dev.sparsecf.kernels.KernelImpls#elementwiseCases")
    void scaleRowsAgreesWithDouble(String impl, int n) {
        SplittableRandom rnd = new SplittableRandom(37L * n);
        float[] d = TestMatrices.uniform(rnd, ROWS * n, -3f, 3f);
        float[] rowScale = TestMatrices.uniform(rnd, ROWS, 0.01f, 1f);
        float scale = 1f / 7;
        for (float[] s : new float[][] {rowScale, null}) {
            String what = impl + " scaleRows, n=" + n + (s == null ? ", no rowScale" : "");
            float[] got = run(impl, d, n, dm -> KernelImpls.kernels(impl, 2).scaleRows(dm, s, scale), what);
            float[] scalar = run("scalar", d, n, dm -> Kernels.create("scalar", 1).scaleRows(dm, s, scale), what);
            for (int p = 0; p < d.length; p++) {
                double want = d[p] * ((double) scale * (s == null ? 1 : s[p / n]));
                double bound = (gamma(2, U_FLOAT) + gamma(2, U_DOUBLE)) * Math.abs(want) + 2 * Float.MIN_VALUE;
                checkElement(what, p, n, "d = " + d[p], got[p], want, bound, scalar[p]);
            }
        }
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("dev.sparsecf.kernels.KernelImpls#elementwiseCases")
    void columnSumsAgreeWithDouble(String impl, int n) {
        SplittableRandom rnd = new SplittableRandom(41L * n);
        float[] d = TestMatrices.uniform(rnd, ROWS * n, -1f, 1f);
        for (int p = 0; p < n; p += 3) { // a huge and a tiny value in one column: the double sum must keep both
            d[p] = 1e7f;
            d[(ROWS - 1) * n + p] = -1e7f;
        }
        float scale = 1f / ROWS;
        String what = impl + " columnSums, n=" + n;
        float[] got = columnSums(KernelImpls.kernels(impl, 2), d, n, scale, what);
        float[] scalar = columnSums(Kernels.create("scalar", 1), d, n, scale, what);
        for (int j = 0; j < n; j++) {
            double sum = 0;
            double magnitude = 0;
            for (int i = 0; i < ROWS; i++) {
                sum += d[i * n + j];
                magnitude += Math.abs(d[i * n + j]);
            }
            double want = scale * sum;
            double bound = U_FLOAT * Math.abs(want) + 3 * gamma(ROWS + 1, U_DOUBLE) * scale * magnitude + Float.MIN_VALUE;
            checkElement(what, j, n, "column sum", got[j], want, bound, scalar[j]);
        }
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("dev.sparsecf.kernels.KernelImpls#elementwiseCases")
    void broadcastRowCopiesTheBias(String impl, int n) {
        float[] bias = TestMatrices.uniform(new SplittableRandom(43L * n), n, -1f, 1f);
        String what = impl + " broadcastRow, n=" + n;
        try (DenseMatrix b = OffHeapMatrices.dense(1, n, bias); DenseMatrix out = OffHeapMatrices.output(ROWS, n)) {
            KernelImpls.kernels(impl, 2).broadcastRow(b, out);
            for (int i = 0; i < ROWS; i++) {
                for (int j = 0; j < n; j++) {
                    assertEquals(Float.floatToRawIntBits(bias[j]), Float.floatToRawIntBits(out.get(i, j)), what + " [" + i + "][" + j + "]");
                }
            }
            assertPaddingIntact(out, what);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.sparsecf.kernels.KernelImpls#legs")
    void emptyBatchWritesZeroSums(String impl) {
        Kernels kernels = KernelImpls.kernels(impl, 2);
        int n = KernelImpls.LANES + 1;
        try (DenseMatrix y = DenseMatrix.allocate(0, n); DenseMatrix d = DenseMatrix.allocate(0, n);
             DenseMatrix sums = OffHeapMatrices.output(1, n)) {
            kernels.tanhBackward(y, d);
            kernels.scaleRows(d, new float[0], 2f);
            kernels.broadcastRow(sums, d);
            kernels.columnSums(d, 2f, sums, new double[n]);
            for (int j = 0; j < n; j++) {
                assertEquals(0, Float.floatToRawIntBits(sums.get(0, j)), impl + " columnSums of no rows, column " + j);
            }
            assertPaddingIntact(sums, impl + " columnSums of no rows");
        }
    }

    /** Runs an in-place step on a copy of {@code d} ({@code ROWS x n}) and returns the result. */
    private static float[] run(String impl, float[] d, int n, Consumer<DenseMatrix> step, String what) {
        try (DenseMatrix dm = OffHeapMatrices.dense(ROWS, n, d)) {
            step.accept(dm);
            assertPaddingIntact(dm, what + " (" + impl + ")");
            return dm.toArray();
        }
    }

    private static float[] columnSums(Kernels kernels, float[] d, int n, float scale, String what) {
        try (DenseMatrix dm = OffHeapMatrices.dense(ROWS, n, d); DenseMatrix sums = OffHeapMatrices.output(1, n)) {
            kernels.columnSums(dm, scale, sums, new double[n + 3]);
            assertPaddingIntact(sums, what);
            return sums.toArray();
        }
    }

    /** Fails when {@code got} is off the double {@code want} by more than {@code bound}, or not the scalar kernel's bits. */
    static void checkElement(String what, int p, int n, String input, float got, double want, double bound, float scalar) {
        String where = what + ": [" + p / n + "][" + p % n + "] (" + input + ") gave " + got;
        if (!(Math.abs(got - want) <= bound)) {
            fail(where + ", reference " + want + ", |error| " + Math.abs(got - want) + " > bound " + bound);
        }
        if (Float.floatToRawIntBits(got) != Float.floatToRawIntBits(scalar)) {
            fail(where + ", the scalar kernel gave " + scalar + ": every implementation must give the scalar bits");
        }
    }
}
