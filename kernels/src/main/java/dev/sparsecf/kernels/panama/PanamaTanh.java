package dev.sparsecf.kernels.panama;

import dev.sparsecf.kernels.DenseMatrix;
import dev.sparsecf.kernels.TanhKernel;
import java.lang.foreign.MemorySegment;

/**
 * Tanh from plain vector arithmetic ({@link PanamaExp#tanhRow}): Cephes' {@code tanhf} polynomial below
 * {@code |x| = 0.625}, {@code 1 - 2 / (exp(2|x|) + 1)} with {@link PanamaExp}'s exp above, +-1 beyond 9.011.
 *
 * <p>Why not {@code lanewise(TANH)}: that op runs the JDK's SVML stub once C2 compiled the caller and
 * {@code Math.tanh} per lane before, which differ in the last bit on 472 of 65,536 inputs in [-4, 4], so a training
 * run's bits depended on the JIT's timing. Every op here (FMA, add, mul, div, blends, bit operations) is exact or
 * correctly rounded in both the compiled and the fallback path: the same bits in every run, tier, thread split and
 * column position (the masked row tail runs the same arithmetic).
 *
 * <p>Accuracy, in float ulps against {@code Math.tanh} (u = 2^-24), derived: ACCURACY.
 */
final class PanamaTanh implements TanhKernel {

    @Override
    public void tanh(DenseMatrix x, int rowFrom, int rowTo) {
        MemorySegment s = x.segment();
        int n = x.cols();
        for (int i = rowFrom; i < rowTo; i++) {
            PanamaExp.tanhRow(s, x.offset(i, 0), n);
        }
    }
}
