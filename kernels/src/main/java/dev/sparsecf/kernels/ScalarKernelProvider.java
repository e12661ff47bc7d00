package dev.sparsecf.kernels;

/** The plain-Java tier: readable loops, the test oracle and the benchmark baseline. */
final class ScalarKernelProvider extends KernelProvider {

    static final ScalarKernelProvider INSTANCE = new ScalarKernelProvider();

    private final SpmmKernel spmm = new ScalarSpmm();
    private final SpmmTransposeKernel spmmTranspose = new ScalarSpmmTranspose();
    private final LogSoftmaxKernel logSoftmax = new ScalarLogSoftmax();
    private final TopKKernel topK = new ScalarTopK();
    private final GemmKernel gemm = new ScalarGemm();
    private final CholeskyInverseKernel choleskyInverse = new ScalarCholeskyInverse();
    private final GramKernel gram = new ScalarGram();

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

    @Override
    public SpmmKernel spmm() {
        return spmm;
    }

    @Override
    public SpmmTransposeKernel spmmTranspose() {
        return spmmTranspose;
    }

    @Override
    public LogSoftmaxKernel logSoftmax() {
        return logSoftmax;
    }

    @Override
    public TopKKernel topK() {
        return topK;
    }

    @Override
    public GemmKernel gemm() {
        return gemm;
    }

    @Override
    public CholeskyInverseKernel choleskyInverse() {
        return choleskyInverse;
    }

    @Override
    public GramKernel gram() {
        return gram;
    }
}
