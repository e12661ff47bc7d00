package dev.sparsecf.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.sparsecf.kernels.BlasProvider;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Runs each benchmark's trial by hand (setup, a few calls, the correctness check) on the small shape, for
 * both implementations, without JMH.
 */
class BenchmarkHarnessTest {

    /** JMH guards direct construction with this phrase; the tests only feed it results. */
    private static final Blackhole BH =
            new Blackhole("Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");

    private static <T extends KernelBenchmark> T trial(T b, String impl) {
        b.impl = impl;
        b.shape = BenchShape.AWKWARD.name();
        b.setUpTrial();
        return b;
    }

    @ParameterizedTest
    @ValueSource(strings = {"scalar", "panama"})
    void everyBenchmarkAgreesWithTheScalarKernels(String impl) throws Exception {
        BytesCounter bytes = new BytesCounter();
        FlopsCounter flops = new FlopsCounter();

        SpmmBenchmark spmm = trial(new SpmmBenchmark(), impl);
        spmm.spmm(BH, bytes, flops);
        spmm.spmm(BH, bytes, flops);
        spmm.verifyAndFree();

        SpmmTransposeBenchmark spmmT = trial(new SpmmTransposeBenchmark(), impl);
        spmmT.zeroGradient();
        spmmT.spmmTranspose(BH, bytes, flops);
        spmmT.spmmTranspose(BH, bytes, flops); // G now holds two calls; the check recomputes one
        spmmT.verifyAndFree();

        LogSoftmaxBenchmark logSoftmax = trial(new LogSoftmaxBenchmark(), impl);
        assertTrue(logSoftmax.logSoftmax(bytes) > 0, "a negative log-likelihood is positive");
        logSoftmax.verifyAndFree();

        TopKBenchmark topK = trial(new TopKBenchmark(), impl);
        topK.topK(bytes);
        topK.verifyAndFree();

        AdamBenchmark adam = trial(new AdamBenchmark(), impl);
        adam.adam(bytes);
        adam.adam(bytes); // moments no longer zero: the check steps on from an evolved state
        adam.verifyAndFree();

        TanhBenchmark tanh = trial(new TanhBenchmark(), impl);
        tanh.tanh(bytes);
        tanh.tanh(bytes); // restores its input first: the check compares one tanh, not two
        tanh.verifyAndFree();

        ElementwiseBenchmark elementwise = trial(new ElementwiseBenchmark(), impl);
        elementwise.tanhBackward(bytes);
        elementwise.tanhBackward(bytes); // restores d first: the check compares one step, not two
        elementwise.columnSums(bytes);
        elementwise.verifyAndFree();

        SamplingBenchmark sampling = trial(new SamplingBenchmark(), impl);
        sampling.sample();
        sampling.sampleBackward();
        sampling.verifyAndFree();
    }

    /** The OpenBLAS and oneDNN legs are skipped under -Dsparsecf.blas=java, which rules native code out. */
    private static void assumeNativeAllowed(String impl) {
        if (impl.equals("openblas") || impl.equals("dnnl")) {
            assumeFalse(System.getProperty(BlasProvider.BLAS_PROPERTY, "auto").trim().equalsIgnoreCase("java"),
                    impl + " leg skipped: -D" + BlasProvider.BLAS_PROPERTY + "=java");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"scalar", "panama", "openblas", "dnnl"})
    void gemmAgreesWithExactDotProducts(String impl) throws Exception {
        assumeNativeAllowed(impl);
        FlopsCounter flops = new FlopsCounter();
        GemmBenchmark gemm = new GemmBenchmark();
        gemm.impl = impl;
        gemm.shape = "square-512";
        gemm.setUpTrial();
        gemm.gemm(flops);
        gemm.verifyAndFree();
        assertEquals(2L * 512 * 512 * 512, flops.flops);
    }

    @Test
    void naiveGemmRefusesTheBigShapes() {
        GemmBenchmark gemm = new GemmBenchmark();
        gemm.impl = "scalar";
        gemm.shape = "ml20m-vae-out";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, gemm::setUpTrial);
        assertTrue(e.getMessage().contains("runs on square-512 only"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"panama", "openblas"})
    void inverseTimesMatrixIsIdentity(String impl) throws Exception {
        assumeNativeAllowed(impl);
        CholeskyInverseBenchmark inv = new CholeskyInverseBenchmark();
        inv.impl = impl;
        inv.n = 301;
        inv.setUpTrial();
        Flops64Counter flops = new Flops64Counter();
        inv.restore();
        inv.invert(flops);
        inv.restore(); // the second call inverts the original again, not the inverse
        inv.invert(flops);
        assertEquals(2L * 301 * 301 * 301, flops.flops64, "n^3 float64 flops per inverse");
        inv.verifyAndFree();
    }

    @Test
    void aWrongInverseFailsTheTrial() {
        CholeskyInverseBenchmark inv = new CholeskyInverseBenchmark();
        inv.impl = "panama";
        inv.n = 64;
        inv.setUpTrial();
        inv.restore();
        inv.invert(new Flops64Counter());
        inv.invert(new Flops64Counter()); // no restore: inverts the inverse, which gives back the original matrix
        IllegalStateException e = assertThrows(IllegalStateException.class, inv::verifyAndFree);
        assertTrue(e.getMessage().startsWith("CholeskyInverseBenchmark[panama, n=64]: A inv(A)("), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"scalar", "panama"})
    void gramMatchesADirectCount(String impl) throws Exception {
        GramBenchmark gram = new GramBenchmark();
        gram.impl = impl;
        gram.shape = BenchShape.AWKWARD.name();
        gram.setUpTrial();
        BytesCounter bytes = new BytesCounter();
        gram.gram(bytes);
        gram.gram(bytes); // G is overwritten, not accumulated
        gram.verifyAndFree();
        assertEquals(2L * 1021 * 1022 / 2 * Double.BYTES, bytes.bytes, "the upper triangle, twice");
    }

    @ParameterizedTest
    @ValueSource(strings = {"scalar", "panama"})
    void spdSolvesPassTheirResidualCheck(String impl) throws Exception {
        SpdSolveBenchmark solve = new SpdSolveBenchmark();
        solve.impl = impl;
        solve.k = 17;
        solve.setUpTrial();
        solve.restore();
        Flops64Counter flops = new Flops64Counter();
        solve.solve(flops);
        solve.verifyAndFree();
        assertEquals(SpdSolveBenchmark.SYSTEMS * (17L * 17 * 17 / 3 + 2 * 17 * 17), flops.flops64);
    }

    @ParameterizedTest
    @ValueSource(strings = {"scalar", "panama"})
    void csrProductMatchesADoubleSum(String impl) throws Exception {
        CsrProductBenchmark product = new CsrProductBenchmark();
        product.impl = impl;
        product.k = 7;
        product.setUpTrial();
        product.product(new BytesCounter());
        product.product(new BytesCounter()); // S is overwritten, not accumulated
        product.verifyAndFree();
    }

    @Test
    void countersAddTheDefinedTrafficPerCall() throws Exception {
        BenchShape s = BenchShape.AWKWARD;
        BytesCounter bytes = new BytesCounter();
        TopKBenchmark topK = trial(new TopKBenchmark(), "scalar");
        topK.topK(bytes);
        topK.topK(bytes);
        topK.verifyAndFree();
        assertEquals(2L * s.users() * s.items() * Float.BYTES, bytes.bytes, "two reads of the scores");
        bytes.reset();
        assertEquals(0, bytes.bytes);
    }

    @Test
    void aWrongResultFailsTheTrial() {
        TopKBenchmark topK = trial(new TopKBenchmark(), "panama");
        int[] top = topK.topK(new BytesCounter());
        top[3 * TopKBenchmark.K + 7] = -1;
        IllegalStateException e = assertThrows(IllegalStateException.class, topK::verifyAndFree);
        assertTrue(e.getMessage().startsWith("TopKBenchmark[panama, awkward-37x1021x103]: top(3, 7) = -1"),
                e.getMessage());
    }

    @Test
    void unknownParamsAreRejected() {
        SpmmBenchmark b = new SpmmBenchmark();
        b.impl = "auto";
        b.shape = BenchShape.AWKWARD.name();
        assertThrows(IllegalArgumentException.class, b::setUpTrial);
        b.impl = "scalar";
        b.shape = "ml20m";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::setUpTrial);
        assertTrue(e.getMessage().contains("ml20m-vae"), e.getMessage());
    }
}
