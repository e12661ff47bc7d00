package dev.sparsecf.kernels.panama;

import dev.sparsecf.kernels.KernelProvider;
import java.util.Locale;

/**
 * The SIMD tier: {@code jdk.incubator.vector} kernels on {@code MemorySegment}s.
 *
 * <p>NOTE: no static field or initialiser here may touch the Vector API; it would run before the checks
 * in the constructor. Vector constants live in {@link PanamaVectorConstants}.
 */
public final class PanamaKernelProvider extends KernelProvider {

    private final int bitSize;

    /** @throws UnsupportedOperationException when the CPU's vectors are too narrow to pay off */
    public PanamaKernelProvider() {
        int bits = PanamaVectorConstants.FLOATS.vectorBitSize();
        if (bits < 128) {
            throw new UnsupportedOperationException("preferred float vector is " + bits + " bits (< 128): no usable SIMD");
        }
        // the kernels are built only after the check above (a flexible constructor body, JDK 25)
        super(new PanamaSpmm(), new PanamaSpmmTranspose(), new PanamaLogSoftmax(), new PanamaTopK(), new PanamaGemm(),
                new PanamaCholeskyInverse(), new PanamaGram(), new PanamaTanh(), new PanamaAdam(),
                new PanamaElementwise(), new PanamaSampling(), KernelProvider.scalar().cooccurrence(), // counting: no SIMD gain
                new PanamaSpdSolve(), new PanamaCsrProduct(), new PanamaBf16());
        this.bitSize = bits;
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
}
