package dev.sparsecf.kernels;

import static dev.sparsecf.kernels.OffHeapMatrices.assertPaddingIntact;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sparsecf.testing.DoubleReference;
import dev.sparsecf.testing.ErrorBounds;
import dev.sparsecf.testing.ErrorBounds.Arithmetic;
import dev.sparsecf.testing.TestMatrices;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import javax.management.JMException;
import javax.management.ObjectName;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Kernels#multinomialLikelihood}: loss and gradient against a double log-softmax, with sparse (binary and
 * weighted) and dense targets, in place and not, over awkward widths and boundary logits. Bounds: {@link ErrorBounds}.
 */
class MultinomialLikelihoodTest {

    enum Targets {
        BINARY_CSR("binary CSR targets"), WEIGHTED_CSR("weighted CSR targets"), DENSE("dense targets");

        private final String label;

        Targets(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /** The logits rows every case contains; each names what it exercises. */
    enum RowKind {
        RANDOM, EVERY_COLUMN_TARGET, NO_TARGETS, ALL_EQUAL_PLUS_1E4, ALL_EQUAL_MINUS_1E4, PLUS_MINUS_1E4, MASKED_MINUS_INF,
        INCREASING_RAMP
    }

    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> cases = Stream.builder();
        for (Named<String> impl : KernelImpls.legs()) {
            for (int n : KernelImpls.AWKWARD_COLUMNS) {
                for (Targets t : Targets.values()) {
                    for (boolean inPlace : new boolean[] {false, true}) {
                        cases.add(Arguments.of(impl, Named.of(KernelImpls.columnsLabel(n), n), t,
                                Named.of(inPlace ? "grad == logits" : "separate grad", inPlace)));
                    }
                }
            }
        }
        return cases.build();
    }

    /**
     * Most passes of the compiled-code sweep. Until C2 compiles the kernel, lanewise EXP runs the Vector API's Java
     * fallback ({@code (float) Math.exp} per lane), and C1 code does too; only C2 code calls the SIMD stub whose
     * accuracy the Panama bounds are about. A fixed count is not enough: on a loaded 2-core machine C2 compiled
     * the kernel in the 8th pass of a trial run and after 40 in another, so the sweep asks HotSpot for its code list
     * (jcmd Compiler.codelist) after each pass, and repeats until the kernel's entry points are live C2 code; then it
     * checks {@link #PASSES_AFTER_C2} more passes.
     */
    private static final int MAX_PASSES = 400;

    /** Passes checked once the kernel runs as C2 code. */
    private static final int PASSES_AFTER_C2 = 3;

    /** The HotSpot compile level of C2, and the state of code in use, as Compiler.codelist prints them. */
    private static final String C2_LEVEL = "4";
    private static final String LIVE = "0";

    /** Copies of every {@link RowKind} row in one sweep matrix: 128 rows of 1021 logits, each ending in a masked tail. */
    private static final int SWEEP_COPIES = 16;

    @ParameterizedTest(name = "{0}, {1}, {2}, {3}")
    @MethodSource("cases")
    void agreesWithDoubleLogSoftmax(String impl, int n, Targets targets, boolean inPlace) {
        check(impl, n, targets, inPlace, 1, 0, true);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.sparsecf.kernels.KernelImpls#legs")
    void agreesWithDoubleLogSoftmaxOnceCompiled(String impl) {
        String kernel = KernelImpls.kernels(impl, 1).provider().logSoftmax().getClass().getName();
        int after = 0;
        for (int pass = 0; after < PASSES_AFTER_C2; pass++) {
            if (pass == MAX_PASSES) {
                fail(impl + ": " + kernel + " still not compiled by C2 after " + MAX_PASSES + " passes");
            }
            boolean c2 = isC2Code(kernel + ".sparseTargets(") && isC2Code(kernel + ".denseTargets(");
            for (Targets targets : Targets.values()) {
                // the passes in between only warm the kernel up: checking them would just slow the sweep down
                check(impl, 1021, targets, pass % 2 == 1, SWEEP_COPIES, pass, pass == 0 || c2);
            }
            after += c2 ? 1 : 0;
        }
    }

    /** Whether HotSpot's code list holds live C2 code for {@code method} ("class.name("): lines "id level state method...". */
    private static boolean isC2Code(String method) {
        try {
            String list = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "compilerCodelist",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
            return list.lines().map(l -> l.split(" ", 4))
                    .anyMatch(f -> f.length == 4 && f[1].equals(C2_LEVEL) && f[2].equals(LIVE) && f[3].startsWith(method));
        } catch (JMException e) {
            throw new IllegalStateException("cannot read HotSpot's code list (jcmd Compiler.codelist)", e);
        }
    }

    /**
     * {@code copies} rows of every {@link RowKind} (seeded by n, targets and {@code pass}) through the kernel, checked
     * row by row if {@code verify}.
     */
    private static void check(String impl, int n, Targets targets, boolean inPlace, int copies, int pass, boolean verify) {
        Kernels kernels = KernelImpls.kernels(impl, 2);
        Arithmetic arith = Arithmetic.of(impl, KernelImpls.LANES);
        SplittableRandom rnd = new SplittableRandom(1009L * n + targets.ordinal() + 31L * pass);
        RowKind[] kinds = new RowKind[RowKind.values().length * copies];
        for (int i = 0; i < kinds.length; i++) {
            kinds[i] = RowKind.values()[i % RowKind.values().length];
        }
        int m = kinds.length;
        float[] z = new float[m * n];
        int[][] targetCols = new int[m][];
        for (int i = 0; i < m; i++) {
            targetCols[i] = fillRow(kinds[i], rnd, z, i * n, n, targets != Targets.BINARY_CSR);
        }
        float[][] weights = targets == Targets.BINARY_CSR ? null : TestMatrices.weights(rnd, targetCols, 0.5f, 3f);
        for (int i = 0; weights != null && i < m; i++) {
            for (int t = 0; t < targetCols[i].length; t++) {
                if (z[i * n + targetCols[i][t]] == Float.NEGATIVE_INFINITY) {
                    weights[i][t] = 0f; // an explicit zero weight on a masked item: 0 * log 0 counts as 0
                }
            }
        }
        double[] rowLoss = new double[m];
        Arrays.fill(rowLoss, Double.NaN);
        float[] grad;
        double total;
        try (CsrMatrix x = OffHeapMatrices.csr(n, targetCols, weights);
             DenseMatrix logits = OffHeapMatrices.dense(m, n, z);
             DenseMatrix separate = inPlace ? null : OffHeapMatrices.output(m, n)) {
            DenseMatrix g = inPlace ? logits : separate;
            if (targets == Targets.DENSE) {
                try (DenseMatrix xd = OffHeapMatrices.dense(m, n, OffHeapMatrices.densify(x))) {
                    total = kernels.multinomialLikelihood(logits, xd, g, rowLoss);
                }
            } else {
                total = kernels.multinomialLikelihood(logits, x, g, rowLoss);
            }
            assertPaddingIntact(g, impl + " gradient");
            grad = g.toArray();
        }
        if (!verify) {
            return;
        }

        float[] xs = denseTargets(n, targetCols, weights);
        double rowSum = 0;
        for (int i = 0; i < m; i++) {
            rowSum += rowLoss[i];
            checkRow(impl, arith, targets, kinds[i], i, n, z, xs, grad, rowLoss[i]);
        }
        assertEquals(rowSum, total, 0.0, impl + ": the returned loss must be the row losses summed in row order");
    }

    /** One item: softmax is 1, so a target of 1 has loss 0 and gradient 0 whatever the logit. */
    static Stream<Arguments> singleItemCases() {
        Stream.Builder<Arguments> cases = Stream.builder();
        for (Named<String> impl : KernelImpls.legs()) {
            for (float logit : new float[] {0f, 3.5f, -1e4f, 1e4f}) {
                cases.add(Arguments.of(impl, logit));
            }
        }
        return cases.build();
    }

    @ParameterizedTest(name = "{0}, logit {1}")
    @MethodSource("singleItemCases")
    void singleItemHasZeroLossAndGradient(String impl, float logit) {
        Kernels kernels = KernelImpls.kernels(impl, 1);
        Arithmetic arith = Arithmetic.of(impl, KernelImpls.LANES);
        float[] z = {logit};
        DoubleReference.SoftmaxRow row = DoubleReference.softmax(z, 0, 1);
        double lseError = arith.logSumExp(1, row);
        double[] rowLoss = new double[1];
        try (CsrMatrix x = CsrMatrix.binary(1, 1, new int[] {0, 1}, new int[] {0});
             DenseMatrix logits = OffHeapMatrices.dense(1, 1, z)) {
            kernels.multinomialLikelihood(logits, x, logits, rowLoss);
            // loss = 1 * lse - z and grad = 1 * exp(z - lse) - 1: both 0 up to the lse error
            assertEquals(0, rowLoss[0], ErrorBounds.loss(1, 0, 0, Math.abs(logit), row.logSumExp(), lseError),
                    impl + ": loss of the only item");
            assertEquals(0, logits.get(0, 0), arith.gradient(1, 1, 0, logit, row.logSumExp(), 0, lseError),
                    impl + ": gradient of the only item");
        }
    }

    /** Fills logits row {@code i} for {@code kind}; returns the row's target columns (sorted). */
    private static int[] fillRow(RowKind kind, SplittableRandom rnd, float[] z, int off, int n, boolean weighted) {
        switch (kind) {
            case RANDOM, EVERY_COLUMN_TARGET, NO_TARGETS -> {
                for (int j = 0; j < n; j++) {
                    z[off + j] = -5f + 10f * (float) rnd.nextDouble();
                }
                return kind == RowKind.EVERY_COLUMN_TARGET ? TestMatrices.allColumns(n)
                        : TestMatrices.subset(rnd, n, kind == RowKind.NO_TARGETS ? 0 : Math.min(n, 7));
            }
            case ALL_EQUAL_PLUS_1E4, ALL_EQUAL_MINUS_1E4 -> {
                Arrays.fill(z, off, off + n, kind == RowKind.ALL_EQUAL_PLUS_1E4 ? 1e4f : -1e4f);
                return TestMatrices.subset(rnd, n, Math.min(n, 3));
            }
            case PLUS_MINUS_1E4 -> {
                for (int j = 0; j < n; j++) {
                    z[off + j] = (rnd.nextBoolean() ? 1e4f : -1e4f) + (float) rnd.nextDouble();
                }
                return TestMatrices.subset(rnd, n, Math.min(n, 5));
            }
            case MASKED_MINUS_INF -> {
                // three quarters masked, column 0 never, so every lane pattern (some lanes all -inf) occurs
                int[] finite = new int[n];
                int count = 0;
                for (int j = 0; j < n; j++) {
                    boolean masked = j > 0 && rnd.nextInt(4) != 0;
                    z[off + j] = masked ? Float.NEGATIVE_INFINITY : -5f + 10f * (float) rnd.nextDouble();
                    if (!masked) {
                        finite[count++] = j;
                    }
                }
                int[] pick = TestMatrices.subset(rnd, count, Math.min(count, 4));
                int[] cols = new int[pick.length];
                for (int t = 0; t < pick.length; t++) {
                    cols[t] = finite[pick[t]];
                }
                if (weighted && count < n) { // also a target on the last masked column (its weight is set to 0)
                    int masked = n - 1;
                    while (z[off + masked] != Float.NEGATIVE_INFINITY) {
                        masked--;
                    }
                    cols = Arrays.copyOf(cols, cols.length + 1);
                    cols[cols.length - 1] = masked;
                    Arrays.sort(cols);
                }
                return cols;
            }
            case INCREASING_RAMP -> {
                // every element raises its lane's running max: the most rescaling an online log-sum-exp can do
                for (int j = 0; j < n; j++) {
                    z[off + j] = -5f + 10f * j / n;
                }
                return TestMatrices.subset(rnd, n, Math.min(n, 4));
            }
            default -> throw new AssertionError(kind);
        }
    }

    private static float[] denseTargets(int n, int[][] cols, float[][] weights) {
        float[] x = new float[cols.length * n];
        for (int i = 0; i < cols.length; i++) {
            for (int t = 0; t < cols[i].length; t++) {
                x[i * n + cols[i][t]] = weights == null ? 1f : weights[i][t];
            }
        }
        return x;
    }

    private static void checkRow(String impl, Arithmetic arith, Targets targets, RowKind kind, int i, int n,
                                 float[] z, float[] x, float[] grad, double loss) {
        int off = i * n;
        String where = impl + ", n=" + n + ", " + targets + ", row " + i + " (" + kind + ")";
        DoubleReference.SoftmaxRow row = DoubleReference.softmax(z, off, n);
        double lse = row.logSumExp();
        double lseError = arith.logSumExp(n, row);

        double sumX = 0;
        double sumAbsXZ = 0;
        int nnz = 0;
        for (int j = 0; j < n; j++) {
            if (x[off + j] != 0) {
                sumX += x[off + j];
                sumAbsXZ += Math.abs((double) x[off + j] * z[off + j]);
                nnz++;
            }
        }
        // sparse targets: sum(x) and x.z in double over the row's entries; dense: in the kernel's arithmetic over n
        double accumulation = targets == Targets.DENSE ? arith.sum(n) : ErrorBounds.gamma(nnz + 1, ErrorBounds.U_DOUBLE);
        double sumXError = accumulation * sumX;
        double dotError = accumulation * sumAbsXZ;

        double wantLoss = DoubleReference.multinomialLoss(z, x, off, n, row);
        double lossBound = ErrorBounds.loss(sumX, sumXError, dotError, sumAbsXZ, lse, lseError);
        if (!(Math.abs(loss - wantLoss) <= lossBound)) {
            fail(where + ": loss " + loss + ", reference -sum x log_softmax = " + wantLoss + ", |error| "
                    + Math.abs(loss - wantLoss) + " > bound " + lossBound);
        }

        double softmaxSum = 0;
        double softmaxSumBound = 0;
        for (int j = 0; j < n; j++) {
            double p = row.p()[j];
            double want = p * sumX - x[off + j];
            double got = grad[off + j];
            double bound = arith.gradient(p, sumX, sumXError, z[off + j], lse, want, lseError);
            if (!(Math.abs(got - want) <= bound)) {
                fail(where + ": grad[" + j + "] = " + got + " for logit " + z[off + j] + ", target " + x[off + j]
                        + "; reference " + want + ", |error| " + Math.abs(got - want) + " > bound " + bound);
            }
            softmaxSum += (got + x[off + j]);
            softmaxSumBound += bound;
        }
        if (sumX > 0) {
            // (grad + x) / sumX is the softmax: it sums to 1 up to the gradient bounds and n double additions
            double s = softmaxSum / sumX;
            double bound = (softmaxSumBound / sumX) + ErrorBounds.gamma(n + 1, ErrorBounds.U_DOUBLE) * Math.abs(s);
            if (!(Math.abs(s - 1) <= bound)) {
                fail(where + ": softmax (grad + x) / sumX sums to " + s + ", |s - 1| = " + Math.abs(s - 1) + " > bound " + bound);
            }
        }
        if (kind == RowKind.ALL_EQUAL_PLUS_1E4 || kind == RowKind.ALL_EQUAL_MINUS_1E4) {
            // uniform softmax: loss = -sum x log(1/n) = sumX * log(n), whatever the common logit
            assertEquals(sumX * Math.log(n), loss, lossBound + 2 * ErrorBounds.U_DOUBLE * sumX * Math.log(n) + Double.MIN_VALUE,
                    where + ": all-equal logits give loss sumX * log(n)");
        }
    }
}
