package dev.sparsecf.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sparsecf.kernels.Bf16GemmKernel;
import dev.sparsecf.kernels.Bf16Kernels;
import dev.sparsecf.kernels.Bf16Matrix;
import dev.sparsecf.kernels.CsrMatrix;
import dev.sparsecf.kernels.DenseMatrix;
import dev.sparsecf.kernels.Kernels;
import dev.sparsecf.testing.ErrorBounds;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link MultVae} with {@link Bf16Kernels}: the output layer's three products take the bf16 roundings of the current
 * {@code h}, {@code W} and {@code d}, each rounded once per step and shared, and nothing else goes to bf16.
 *
 * <p>The products run on a Java stand-in for oneDNN (exact double sums of the bf16 values, rounded to float once), so
 * the check is of the model's wiring and rounding, not of oneDNN (DnnlBf16GemmTest covers that). Bounds: against the
 * exact product of the test's own round-to-nearest-even of the float operands, {@code gamma(k + 3)} of the sum of
 * magnitudes (float roundings of alpha, the bias and the result); against the product of the float operands,
 * additionally {@code (2 u_b + u_b^2)} of it, {@code u_b = 2^-8} (each operand off by at most u_b relatively).
 */
class MultVaeBf16Test {

    private static final int ITEMS = 37;
    private static final int USERS = 9;
    private static final double U_BF16 = 0x1p-8;

    /** One product's operands as the model passed them. */
    record Call(boolean transA, boolean transB, Bf16Matrix a, Bf16Matrix b, int m, int n, int k) {
    }

    /** C = alpha op(A) op(B) + beta C summed exactly in double from the bf16 values, rounded to float once; records the calls. */
    static final class JavaBf16Gemm implements Bf16GemmKernel {
        final List<Call> calls = new ArrayList<>();

        @Override
        public void gemm(boolean transA, boolean transB, float alpha, Bf16Matrix a, Bf16Matrix b, float beta, DenseMatrix c) {
            int m = c.rows();
            int n = c.cols();
            int k = transA ? a.rows() : a.cols();
            calls.add(new Call(transA, transB, a, b, m, n, k));
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double sum = 0;
                    for (int p = 0; p < k; p++) {
                        sum += (double) (transA ? a.get(p, i) : a.get(i, p)) * (transB ? b.get(j, p) : b.get(p, j));
                    }
                    c.set(i, j, (float) (alpha * sum + (beta == 0 ? 0 : beta * (double) c.get(i, j))));
                }
            }
        }

        @Override
        public String describe() {
            return "Java double reference";
        }
    }

    /** Round to nearest even of a finite float, from its bits. */
    static double bf16(float x) {
        int bits = Float.floatToRawIntBits(x);
        return Float.intBitsToFloat((bits + 0x7FFF + ((bits >>> 16) & 1)) & 0xFFFF_0000);
    }

    @ParameterizedTest
    @EnumSource(ModelConfig.Kind.class)
    void outputLayerProductsTakeTheRoundedCurrentOperands(ModelConfig.Kind kind) {
        ModelConfig config = new ModelConfig(kind, new int[] {24}, 6, 0.5, 1e-3, 16, 0.0, 7L);
        JavaBf16Gemm gemm = new JavaBf16Gemm();
        Kernels kernels = Kernels.get();
        SplittableRandom rnd = new SplittableRandom(3);
        CsrMatrix.Builder inputs = CsrMatrix.builder(ITEMS);
        CsrMatrix.Builder targets = CsrMatrix.builder(ITEMS);
        float[] rowScale = new float[USERS];
        for (int u = 0; u < USERS; u++) {
            int[] items = rnd.ints(0, ITEMS).distinct().limit(1 + rnd.nextInt(8)).sorted().toArray();
            float[] weights = new float[items.length];
            java.util.Arrays.fill(weights, 2f);
            inputs.addRow(items, weights);
            targets.addRow(items);
            rowScale[u] = 1 / (float) Math.sqrt(items.length);
        }
        try (CsrMatrix input = inputs.build(); CsrMatrix target = targets.build();
             MultVae model = new MultVae(config, ITEMS, kernels, Bf16Kernels.of(kernels, gemm))) {
            List<DenseMatrix> params = model.parameters();
            int out = params.size() / 2 - 1;
            DenseMatrix w = params.get(2 * out);
            DenseMatrix bias = params.get(2 * out + 1);
            for (int step = 0; step < 3; step++) { // Adam moves W: every step must round the new one
                gemm.calls.clear();
                model.gradientOnly(input, rowScale, target, 0.2, new SplittableRandom(step));
                assertEquals(3, gemm.calls.size(), "bf16 products per step: the output layer's three, nothing else");
                Call forward = gemm.calls.get(0);
                Call weights = gemm.calls.get(1);
                Call inputGrad = gemm.calls.get(2);
                int hidden = w.rows();
                assertEquals(new Call(false, false, forward.a(), forward.b(), USERS, ITEMS, hidden), forward);
                assertEquals(new Call(true, false, weights.a(), weights.b(), hidden, ITEMS, USERS), weights);
                assertEquals(new Call(false, true, inputGrad.a(), inputGrad.b(), USERS, hidden, ITEMS), inputGrad);
                // one rounding each, shared: h by the logits and gw, d by gw and dIn, W by the logits and dIn
                assertEquals(forward.a().segment().address(), weights.a().segment().address(), "h shared");
                assertEquals(weights.b().segment().address(), inputGrad.a().segment().address(), "d shared");
                assertEquals(forward.b().segment().address(), inputGrad.b().segment().address(), "W shared");
                DenseMatrix h = model.outputLayerInput(USERS);
                checkProduct("gw", kind, false, h, model.outputLayerDelta(USERS), 1f / USERS, null,
                        model.gradients().get(2 * out));
                model.trainStep(input, rowScale, target, 0.2, new SplittableRandom(step));
            }
            // the logits of scoring: bias + h W, from the current W after the updates
            DenseMatrix logits = model.score(input, rowScale);
            checkProduct("logits", kind, true, model.outputLayerInput(USERS), w, 1f, bias, logits);
        }
    }

    /**
     * {@code got = alpha * op(x) * y (+ bias)}: {@code transposeX} false means {@code x^T y} (the weight gradient),
     * true means {@code x y} (the logits), each within the bounds of the class comment.
     */
    private static void checkProduct(String what, ModelConfig.Kind kind, boolean plain, DenseMatrix x, DenseMatrix y,
                                     float alpha, DenseMatrix bias, DenseMatrix got) {
        int m = got.rows();
        int n = got.cols();
        int k = plain ? x.cols() : x.rows();
        double gamma = ErrorBounds.gamma(k + 3, ErrorBounds.U_FLOAT);
        int close = 0;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double rounded = 0;
                double roundedAbs = 0;
                double exact = 0;
                double exactAbs = 0;
                for (int p = 0; p < k; p++) {
                    float xv = plain ? x.get(i, p) : x.get(p, i);
                    float yv = y.get(p, j);
                    rounded += bf16(xv) * bf16(yv);
                    roundedAbs += Math.abs(bf16(xv) * bf16(yv));
                    exact += (double) xv * yv;
                    exactAbs += Math.abs((double) xv * yv);
                }
                double b = bias == null ? 0 : bias.get(0, j);
                double actual = got.get(i, j);
                double ofRounded = alpha * rounded + b;
                double bound = gamma * (Math.abs(alpha) * roundedAbs + Math.abs(b));
                String where = kind + " " + what + "[" + i + "][" + j + "] = " + actual;
                if (!(Math.abs(actual - ofRounded) <= bound)) {
                    fail(where + ", of the bf16-rounded operands " + ofRounded + " +- " + bound);
                }
                double ofFloats = alpha * exact + b;
                double floatBound = ((2 * U_BF16 + U_BF16 * U_BF16) * (1 + gamma) + gamma) * Math.abs(alpha) * exactAbs
                        + gamma * Math.abs(b);
                if (!(Math.abs(actual - ofFloats) <= floatBound)) {
                    fail(where + ", of the float operands " + ofFloats + " +- " + floatBound);
                }
                if (Math.abs(actual - ofFloats) <= bound) {
                    close++;
                }
            }
        }
        // the products really are of rounded operands: most entries are further from the float product than float32
        // accumulation alone would put them
        assertTrue(close < m * n / 2, kind + " " + what + ": " + close + " of " + m * n + " entries match the float32 product");
    }
}
