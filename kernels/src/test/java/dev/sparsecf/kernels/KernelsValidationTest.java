package dev.sparsecf.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The {@link Kernels} facade rejects mismatched shapes and aliased buffers before any kernel runs. */
class KernelsValidationTest {

    private final Kernels kernels = Kernels.create("scalar", 2);
    private Arena arena;
    private CsrMatrix a; // 2 x 3

    @BeforeEach
    void setUp() {
        arena = Arena.ofShared();
        a = CsrMatrix.binary(2, 3, new int[] {0, 1, 3}, new int[] {2, 0, 1});
    }

    @AfterEach
    void tearDown() {
        a.close();
        arena.close();
    }

    private DenseMatrix dense(int rows, int cols) {
        return DenseMatrix.allocate(arena, rows, cols);
    }

    private static void assertRejected(String fragment, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(fragment), () -> "message '" + e.getMessage() + "' should contain '" + fragment + "'");
    }

    @Test
    void spmmChecksShapesAndAliasing() {
        DenseMatrix c = dense(2, 4);
        assertRejected("spmm: B is 2x4, expected 3x4", () -> kernels.spmm(a, dense(2, 4), null, null, c));
        assertRejected("spmm: B is 3x5, expected 3x4", () -> kernels.spmm(a, dense(3, 5), null, null, c));
        assertRejected("spmm: C is 3x4, expected 2x4", () -> kernels.spmm(a, dense(3, 4), null, null, dense(3, 4)));
        assertRejected("spmm: rowScale has 1 floats, A has 2 rows", () -> kernels.spmm(a, dense(3, 4), new float[1], null, c));
        MemorySegment shortBias = arena.allocate(ValueLayout.JAVA_FLOAT, 3);
        assertRejected("spmm: bias has 3 floats, C has 4 columns", () -> kernels.spmm(a, dense(3, 4), null, shortBias, c));
        // C and B in one allocation: rows 0-1 are C (2 x 4), rows 1-3 are B (3 x 4)
        DenseMatrix shared = dense(4, 4);
        assertRejected("spmm: C and B share memory", () -> kernels.spmm(a, shared.rows(1, 4), null, null, shared.rows(0, 2)));
        assertThrows(NullPointerException.class, () -> kernels.spmm(null, dense(3, 4), null, null, c));
    }

    @Test
    void spmmAcceptsDisjointViewsOfOneAllocation() {
        DenseMatrix shared = dense(5, 4);
        shared.fill(1f);
        kernels.spmm(a, shared.rows(2, 5), null, null, shared.rows(0, 2));
        assertEquals(2f, shared.get(1, 3), "row 1 of A has two entries of 1 times rows of ones");
    }

    @Test
    void spmmTransposeChecksShapesAndAliasing() {
        assertRejected("spmmTranspose: D is 3x4, expected 2x4", () -> kernels.spmmTransposeAccumulate(a, dense(3, 4), dense(3, 4)));
        assertRejected("spmmTranspose: G is 2x4, expected 3x4", () -> kernels.spmmTransposeAccumulate(a, dense(2, 4), dense(2, 4)));
        DenseMatrix shared = dense(5, 4);
        assertRejected("spmmTranspose: G and D share memory",
                () -> kernels.spmmTransposeAccumulate(a, shared.rows(0, 2), shared.rows(1, 4)));
    }

    @Test
    void likelihoodChecksShapesAndAliasing() {
        DenseMatrix logits = dense(2, 3);
        double[] rowLoss = new double[2];
        assertRejected("multinomialLikelihood: grad is 2x4, expected 2x3",
                () -> kernels.multinomialLikelihood(logits, a, dense(2, 4), rowLoss));
        assertRejected("multinomialLikelihood: rowLoss has 1 entries, logits have 2 rows",
                () -> kernels.multinomialLikelihood(logits, a, logits, new double[1]));
        assertRejected("multinomialLikelihood: targets are 2x3, logits are 2x4",
                () -> kernels.multinomialLikelihood(dense(2, 4), a, dense(2, 4), rowLoss));
        assertRejected("multinomialLikelihood: targets is 2x4, expected 2x3",
                () -> kernels.multinomialLikelihood(logits, dense(2, 4), logits, rowLoss));
        assertRejected("logits have no columns",
                () -> kernels.multinomialLikelihood(dense(2, 0), dense(2, 0), dense(2, 0), rowLoss));
        // a gradient overlapping the logits without being them: a one-row shift would read overwritten logits
        DenseMatrix shared = dense(3, 3);
        assertRejected("grad and logits (pass the same matrix for in place) share memory",
                () -> kernels.multinomialLikelihood(shared.rows(0, 2), a, shared.rows(1, 3), rowLoss));
        DenseMatrix grad = dense(2, 3);
        assertRejected("grad and targets share memory", () -> kernels.multinomialLikelihood(logits, grad, grad, rowLoss));
        // in place is allowed
        kernels.multinomialLikelihood(logits, a, logits, rowLoss);
        assertEquals(Math.log(3), rowLoss[0], 1e-6, "one target among three equal logits");
    }

    @Test
    void topKChecksArguments() {
        DenseMatrix scores = dense(2, 3);
        assertRejected("topK: k must be >= 1, got 0", () -> kernels.topK(scores, null, 0, new int[4]));
        assertRejected("topK: out has 3 ints, needs rows*k = 4", () -> kernels.topK(scores, null, 2, new int[3]));
        try (CsrMatrix wrong = CsrMatrix.binary(2, 4, new int[] {0, 0, 0}, new int[0])) {
            assertRejected("topK: exclude is 2x4, scores are 2x3", () -> kernels.topK(scores, wrong, 2, new int[4]));
        }
    }

    @Test
    void adamUpdateChecksShapesAndAliasing() {
        DenseMatrix w = dense(2, 3);
        DenseMatrix g = dense(2, 3);
        DenseMatrix m = dense(2, 3);
        DenseMatrix v = dense(2, 3);
        assertRejected("adamUpdate: grad is 2x4, expected 2x3", () -> kernels.adamUpdate(w, dense(2, 4), m, v, 1e-3, 0.9, 0.999, 1e-8, 0));
        assertRejected("adamUpdate: m is 3x3, expected 2x3", () -> kernels.adamUpdate(w, g, dense(3, 3), v, 1e-3, 0.9, 0.999, 1e-8, 0));
        assertRejected("adamUpdate: v is 2x2, expected 2x3", () -> kernels.adamUpdate(w, g, m, dense(2, 2), 1e-3, 0.9, 0.999, 1e-8, 0));
        assertRejected("adamUpdate: param and grad share memory", () -> kernels.adamUpdate(w, w, m, v, 1e-3, 0.9, 0.999, 1e-8, 0));
        DenseMatrix shared = dense(3, 3);
        assertRejected("adamUpdate: m and v share memory",
                () -> kernels.adamUpdate(w, g, shared.rows(0, 2), shared.rows(1, 3), 1e-3, 0.9, 0.999, 1e-8, 0));
        assertThrows(NullPointerException.class, () -> kernels.adamUpdate(w, g, m, null, 1e-3, 0.9, 0.999, 1e-8, 0));
        assertThrows(NullPointerException.class, () -> kernels.tanh(null));
    }

    @Test
    void elementwiseStepsCheckShapesAndAliasing() {
        DenseMatrix d = dense(2, 3);
        assertRejected("tanhBackward: y is 2x4, expected 2x3", () -> kernels.tanhBackward(dense(2, 4), d));
        DenseMatrix shared = dense(3, 3);
        assertRejected("tanhBackward: y and d share memory", () -> kernels.tanhBackward(shared.rows(0, 2), shared.rows(1, 3)));
        assertRejected("scaleRows: rowScale has 1 floats, d has 2 rows", () -> kernels.scaleRows(d, new float[1], 1f));
        assertRejected("columnSums: sums is 2x3, expected 1x3", () -> kernels.columnSums(d, 1f, dense(2, 3), new double[3]));
        assertRejected("columnSums: scratch has 2 doubles, d has 3 columns", () -> kernels.columnSums(d, 1f, dense(1, 3), new double[2]));
        assertRejected("broadcastRow: bias is 1x4, expected 1x3", () -> kernels.broadcastRow(dense(1, 4), d));
        assertRejected("broadcastRow: bias and out share memory", () -> kernels.broadcastRow(shared.rows(0, 1), shared));
        assertThrows(NullPointerException.class, () -> kernels.tanhBackward(null, d));
        assertThrows(NullPointerException.class, () -> kernels.scaleRows(null, null, 1f));
        assertThrows(NullPointerException.class, () -> kernels.columnSums(d, 1f, dense(1, 3), null));
        kernels.scaleRows(d, null, 1f); // no rowScale: all ones
    }

    @Test
    void samplingChecksShapesAndAliasing() {
        DenseMatrix muLogvar = dense(2, 6);
        DenseMatrix noise = dense(2, 3);
        DenseMatrix z = dense(2, 3);
        double[] rowKl = new double[2];
        assertRejected("sample: muLogvar has 5 columns, expected an even 2k", () -> kernels.sample(dense(2, 5), noise, z, rowKl));
        assertRejected("sample: noise is 2x4, expected 2x3", () -> kernels.sample(muLogvar, dense(2, 4), z, rowKl));
        assertRejected("sample: z is 3x3, expected 2x3", () -> kernels.sample(muLogvar, noise, dense(3, 3), rowKl));
        assertRejected("sample: rowKl has 1 entries, z has 2 rows", () -> kernels.sample(muLogvar, noise, z, new double[1]));
        assertRejected("sample: z and noise share memory", () -> kernels.sample(muLogvar, noise, noise, rowKl));
        assertRejected("sample: z and muLogvar share memory",
                () -> kernels.sample(muLogvar, noise, DenseMatrix.wrap(muLogvar.segment(), 2, 3, muLogvar.ld()), rowKl));
        DenseMatrix d = dense(2, 6);
        float[] beta = new float[2];
        assertRejected("sampleBackward: dz is 2x2, expected 2x3", () -> kernels.sampleBackward(muLogvar, noise, dense(2, 2), beta, d));
        assertRejected("sampleBackward: dMuLogvar is 2x4, expected 2x6",
                () -> kernels.sampleBackward(muLogvar, noise, z, beta, dense(2, 4)));
        assertRejected("sampleBackward: rowBeta has 1 entries, dz has 2 rows",
                () -> kernels.sampleBackward(muLogvar, noise, z, new float[1], d));
        assertRejected("sampleBackward: dMuLogvar and muLogvar share memory",
                () -> kernels.sampleBackward(muLogvar, noise, z, beta, muLogvar));
        assertRejected("sampleBackward: dMuLogvar and dz share memory",
                () -> kernels.sampleBackward(muLogvar, noise, DenseMatrix.wrap(d.segment(), 2, 3, d.ld()), beta, d));
        assertThrows(NullPointerException.class, () -> kernels.sample(muLogvar, null, z, rowKl));
        assertThrows(NullPointerException.class, () -> kernels.sampleBackward(muLogvar, noise, z, null, d));
        kernels.sample(muLogvar, noise, z, rowKl);
        assertEquals(0.0, rowKl[0], "mu = logvar = 0 is N(0, 1) itself");
    }

    @Test
    void threadCountsMustBePositive() {
        assertRejected("thread count must be >= 1, got 0", () -> Kernels.create("scalar", 0));
    }

    /**
     * GEMM and the SPD inverses are checked once, by the facade, for every BLAS tier: a native tier whose kernels
     * fail when called sees none of these calls.
     */
    @Test
    void blasTierRunsOnlyOnCheckedInput() {
        GemmKernel gemm = (transA, transB, alpha, x, y, beta, c, rowFrom, rowTo, colFrom, colTo) -> {
            throw new AssertionError("gemm ran on input the facade should have rejected");
        };
        CholeskyInverseKernel inverse = (x, n, lda, pool) -> {
            throw new AssertionError("invertSpd ran on input the facade should have rejected");
        };
        FloatCholeskyInverseKernel floatInverse = (x, progress) -> {
            throw new AssertionError("invertSpdFloat ran on input the facade should have rejected");
        };
        SpdSolveKernel solve = (x, n, lda, b) -> {
            throw new AssertionError("solveSpdBatch ran on input the facade should have rejected");
        };
        BlasProvider failing = new BlasProvider(gemm, inverse, floatInverse, solve) {
            @Override
            public String name() {
                return "openblas";
            }

            @Override
            public String describe() {
                return "kernels that must not run";
            }

            @Override
            public boolean isNative() {
                return true;
            }
        };
        Kernels checked = Kernels.of(KernelProvider.scalar(), failing, 2);
        assertRejected("inner dimensions differ", () -> checked.gemm(false, false, 1f, dense(3, 4), dense(5, 6), 0f, dense(3, 6)));
        assertRejected("gemm: C is 2x6, expected 3x6", () -> checked.gemm(false, false, 1f, dense(3, 4), dense(4, 6), 0f, dense(2, 6)));
        DenseMatrix square = dense(4, 4);
        assertRejected("gemm: C and A share memory", () -> checked.gemm(false, false, 1f, square, dense(4, 4), 0f, square));
        MemorySegment g = arena.allocate(9 * Double.BYTES, 64);
        assertRejected("invertSpd: lda 2 < max(1, n) = 3", () -> checked.invertSpd(g, 3, 2, true));
        assertRejected("too small for 4x4 doubles", () -> checked.invertSpd(g, 4, 4, true));
        assertRejected("read-only", () -> checked.invertSpd(g.asReadOnly(), 3, 3, true));
        assertRejected("heap segment", () -> checked.invertSpd(MemorySegment.ofArray(new double[9]), 3, 3, true));
        try (Arena confined = Arena.ofConfined()) {
            assertRejected("confined to one thread", () -> checked.invertSpd(confined.allocate(9 * Double.BYTES), 3, 3, true));
        }
        assertRejected("invertSpdFloat: matrix is 3x4, expected square", () -> checked.invertSpdFloat(dense(3, 4), true));
        MemorySegment rhs = arena.allocate(3 * Double.BYTES, 64);
        assertRejected("system 0 has order 4 outside [0, 3]", () -> checked.solveSpdBatch(g, rhs, new int[] {4}, 1, 3));
        int big = Kernels.NATIVE_SOLVE_MIN_ORDER; // smaller systems stay on the Java kernels
        assertRejected("OpenBLAS needs native (off-heap) segments", () -> checked.solveSpdBatch(
                MemorySegment.ofArray(new double[big * big]), arena.allocate((long) big * Double.BYTES, 64), new int[] {3}, 1, big));
        assertRejected("a and b share memory", () -> checked.solveSpdBatch(g, g, new int[] {3}, 1, 3));
    }
}
