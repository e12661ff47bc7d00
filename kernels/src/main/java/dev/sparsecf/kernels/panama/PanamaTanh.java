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
 * <p>Accuracy, in float ulps against {@code Math.tanh} (u = 2^-24), derived; PanamaTanhTest checks both bounds on
 * every 61st float in [-10, 10]. Below 0.625: {@code a^2} and {@code a^3} err by 1 and 2 roundings; the Horner sum
 * by {@code 1.18u} (its last step {@code u}, the earlier ones damped by powers of {@code a^2 <= 0.39}) plus
 * {@code 0.13u} from {@code a^2}'s rounding, so the cubic term, at most {@code 0.127 tanh a}, carries
 * {@code 0.127 * 3.32u = 0.42u}; with the polynomial's own error ({@code 0.144u}, measured in double over every
 * 7th float below 0.625) and the final rounding (half an ulp): within {@code 1.07} ulps. From 0.625:
 * {@code q = 2 / (e + 1)} errs by exp's relative {@code 2.03u} (PanamaExp) times {@code e / (e + 1)}, then the
 * sum's and the quotient's {@code u} each; {@code 1 - q} lies in [0.55, 1), where an ulp is {@code u}, so the
 * error is {@code 2.03 * 2e / (e + 1)^2 + 2q} ulps for the quotient plus half an ulp for the subtraction, at most
 * {@code 0.70 + 0.89 + 0.5 = 2.1} ulps at {@code a = 0.625} ({@code e = 3.49}) and falling with a. Beyond 9.011,
 * +-1 is within half an ulp. Measured over every float in [0, 10] (tanh is odd here exactly): 0.721 ulps below
 * 0.625, 1.330 from it.
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
