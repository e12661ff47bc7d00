package dev.sparsecf.kernels;

/** The plain-Java tier: readable loops, the test oracle and the benchmark baseline. */
final class ScalarKernelProvider extends KernelProvider {

    static final ScalarKernelProvider INSTANCE = new ScalarKernelProvider();

    private ScalarKernelProvider() {
        super(new ScalarSpmm(), new ScalarSpmmTranspose(), new ScalarLogSoftmax(), new ScalarTopK(), new ScalarGemm(),
                new ScalarCholeskyInverse(), new ScalarGram(), new ScalarTanh(), new ScalarAdam(),
                new ScalarElementwise(), new ScalarSampling(), new ScalarCooccurrence(), new ScalarSpdSolve(),
                new ScalarCsrProduct(), new ScalarBf16());
    }

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public int vectorBitSize() {
        return Float.SIZE;
    }

    @Override
    public String describe() {
        return "scalar (plain Java loops, no explicit SIMD)";
    }
}
