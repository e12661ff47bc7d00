package dev.sparsecf.kernels.panama;

import dev.sparsecf.kernels.CholeskyInverseKernel;
import dev.sparsecf.kernels.GemmKernel;
import dev.sparsecf.kernels.GramKernel;
import dev.sparsecf.kernels.KernelProvider;
import dev.sparsecf.kernels.LogSoftmaxKernel;
import dev.sparsecf.kernels.SpmmKernel;
import dev.sparsecf.kernels.SpmmTransposeKernel;
import dev.sparsecf.kernels.TopKKernel;
import java.util.Locale;

/**
 * The SIMD tier: {@code jdk.incubator.vector} kernels on {@code MemorySegment}s.
 *
 * <p>NOTE: no static field or initialiser here may touch the Vector API; it would run before the checks
 * in the constructor. Vector constants live in {@link PanamaVectorConstants}.
 */
public final class PanamaKernelProvider extends KernelProvider {

    private final int bitSize;
    private final SpmmKernel spmm;
    private final SpmmTransposeKernel spmmTranspose;
    private final LogSoftmaxKernel logSoftmax;
    private final TopKKernel topK;
    private final GemmKernel gemm;
    private final CholeskyInverseKernel choleskyInverse;
    private final GramKernel gram;

    /** @throws UnsupportedOperationException when the CPU's vectors are too narrow to pay off */
    public PanamaKernelProvider() {
        int bits = PanamaVectorConstants.FLOATS.vectorBitSize();
        if (bits < 128) {
            throw new UnsupportedOperationException("preferred float vector is " + bits + " bits (< 128): no usable SIMD");
        }
        this.bitSize = bits;
        this.spmm = new PanamaSpmm();
        this.spmmTranspose = new PanamaSpmmTranspose();
        this.logSoftmax = new PanamaLogSoftmax();
        this.topK = new PanamaTopK();
        this.gemm = new PanamaGemm();
        this.choleskyInverse = new PanamaCholeskyInverse();
        this.gram = new PanamaGram();
    }

    @Override
    public String name() {
        return "panama";
    }

    @Override
    public int vectorBitSize() {
        return bitSize;
    }

    @Override
    public String describe() {
        return String.format(Locale.ROOT, "panama (jdk.incubator.vector, %d float lanes)", PanamaVectorConstants.LANES);
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
