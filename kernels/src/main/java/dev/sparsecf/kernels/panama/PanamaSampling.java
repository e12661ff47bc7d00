package dev.sparsecf.kernels.panama;

import static dev.sparsecf.kernels.panama.PanamaVectorConstants.DOUBLES;
import static dev.sparsecf.kernels.panama.PanamaVectorConstants.HALF_FLOATS;

import dev.sparsecf.kernels.DenseMatrix;
import dev.sparsecf.kernels.SamplingKernel;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The reparameterisation and its backward pass on vectors of {@link PanamaVectorConstants#DOUBLE_LANES} columns: the
 * scalar formulas of {@link SamplingKernel} lane by lane, floats widened to double for the exp and rounded back to
 * float as the scalar code rounds {@code Math.exp}. Row tails run the scalar formulas. Three differences in the last
 * bits:
 * <ul>
 *   <li>{@code std = exp(logvar / 2)} is this class's double exp (below), within 2.2 double ulps where
 *   {@code Math.exp} is within 1, so {@code (float) std} can land one float ulp away from {@code (float) Math.exp}
 *   where the exact value is within about 3 double ulps of a float rounding boundary (about 1 in 2^26 inputs);</li>
 *   <li>{@code var = exp(logvar)} is {@code std * std} in double, within 5.4 double ulps (one exp per element);</li>
 *   <li>each row's KL is summed per lane, then the lanes in lane order, not in column order (the double sum errs by
 *   at most {@code gamma(k) * sum |terms|} either way, Higham Eq. 3.5).</li>
 * </ul>
 *
 * <p>Why not {@code lanewise(EXP)}: it runs the JDK's SVML stub once C2 compiled the caller and {@code Math.exp} per
 * lane before, which may differ in the last bit, and {@code reduceLanes(ADD)} may add in another order once compiled;
 * so a training run's bits depended on the JIT's timing. The exp here is Cody-Waite range reduction
 * {@code x = n ln2 + r}, {@code |r| <= ln2 / 2}, the Taylor polynomial of degree 13 by FMA Horner (truncation below
 * {@code 0.05 u}, u = 2^-53), times {@code 2^(n-1)} built in the exponent bits and by 2; all of it exact or correctly
 * rounded in both paths, so the bits are the same in every run. Its error, derived: the final rounding {@code u}, the
 * earlier Horner steps {@code 0.7u} (each damped by a power of r), r's rounding {@code 0.35u}, the coefficients'
 * {@code 0.1u} and the truncation: {@code 2.2u} relative (PanamaSamplingTest checks it on every 257th float logvar;
 * at most 1.0 ulp from {@code Math.exp} measured on every 3rd). Results below {@code exp(-708)} (logvar below -1416) are
 * flushed to 0, above {@code exp(709.78)} they are +inf, NaN stays NaN.
 */
final class PanamaSampling implements SamplingKernel {

    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    // the constants are package-private: PanamaSamplingTest re-implements the arithmetic lane by lane with them
    static final double LOG2E = 1.4426950408889634;
    /** {@code 1.5 * 2^52}: adding it rounds a double of magnitude below {@code 2^51} to an integer in the low bits. */
    static final double ROUND_MAGIC = 0x1.8p52;
    /** Added to the bits of {@code x log2 e + ROUND_MAGIC}: the biased exponent of {@code 2^(n-1)}. */
    static final long EXPONENT_BIAS = 1022 - Double.doubleToRawLongBits(ROUND_MAGIC);
    /** Cody-Waite split of ln 2 (fdlibm): {@code LN2_HI} has 32 trailing zero bits, so {@code n * LN2_HI} is exact. */
    static final double LN2_HI = 6.93147180369123816490e-01;
    static final double LN2_LO = 1.90821492927058770002e-10;
    // 1 / j!, each correctly rounded (13! < 2^53 is exact)
    static final double T13 = 1.0 / 6227020800L;
    static final double T12 = 1.0 / 479001600;
    static final double T11 = 1.0 / 39916800;
    static final double T10 = 1.0 / 3628800;
    static final double T9 = 1.0 / 362880;
    static final double T8 = 1.0 / 40320;
    static final double T7 = 1.0 / 5040;
    static final double T6 = 1.0 / 720;
    static final double T5 = 1.0 / 120;
    static final double T4 = 1.0 / 24;
    static final double T3 = 1.0 / 6;
    static final double T2 = 1.0 / 2;
    /** Above this {@code exp} overflows: {@code ln(Double.MAX_VALUE)}. */
    static final double X_OVERFLOW = 709.782712893384;
    /** Results below {@code exp(-708)} (3.3e-308) are flushed to 0: from {@code n = -1022} on, {@code 2^(n-1)} is not normal. */
    static final double X_FLUSH = -708.0;

    @Override
    public void sample(DenseMatrix muLogvar, DenseMatrix noise, DenseMatrix z, double[] rowKl, int rowFrom, int rowTo) {
        int k = z.cols();
        int bound = DOUBLES.loopBound(k);
        for (int i = rowFrom; i < rowTo; i++) {
            double kl = row(muLogvar, noise, z, null, i, 0f, bound);
            rowKl[i] = SamplingKernel.sampleElements(muLogvar, noise, z, i, bound, k, kl);
        }
    }

    @Override
    public void backward(DenseMatrix muLogvar, DenseMatrix noise, DenseMatrix dz, float[] rowBeta, DenseMatrix dMuLogvar,
                         int rowFrom, int rowTo) {
        int bound = DOUBLES.loopBound(dz.cols());
        for (int i = rowFrom; i < rowTo; i++) {
            row(muLogvar, noise, dz, dMuLogvar, i, rowBeta[i], bound);
        }
        SamplingKernel.backwardElements(muLogvar, noise, dz, rowBeta, dMuLogvar, rowFrom, rowTo, bound, dz.cols());
    }

    /**
     * Columns {@code [0, bound)} of row {@code i}: {@link #sample} into {@code zOrDz} when {@code dMuLogvar} is null,
     * returning the KL's lane sums added in lane order; else {@link #backward} from {@code zOrDz} (dz) with KL weight
     * {@code b}, returning 0. One method for both, with the exp inline: a vector crossing a call C2 does not inline is
     * boxed (see {@link PanamaExp#expRow}).
     */
    private static double row(DenseMatrix muLogvar, DenseMatrix noise, DenseMatrix zOrDz, DenseMatrix dMuLogvar, int i,
                              float b, int bound) {
        int k = zOrDz.cols();
        MemorySegment ms = muLogvar.segment();
        MemorySegment ns = noise.segment();
        MemorySegment gs = zOrDz.segment();
        long muRow = muLogvar.offset(i, 0);
        long logvarRow = muLogvar.offset(i, k);
        long noiseRow = noise.offset(i, 0);
        long gRow = zOrDz.offset(i, 0);
        DoubleVector kl = DoubleVector.zero(DOUBLES);
        for (int j = 0; j < bound; j += DOUBLES.length()) {
            long o = (long) j * Float.BYTES;
            FloatVector muF = FloatVector.fromMemorySegment(HALF_FLOATS, ms, muRow + o, ORDER);
            FloatVector eps = FloatVector.fromMemorySegment(HALF_FLOATS, ns, noiseRow + o, ORDER);
            DoubleVector logvar = (DoubleVector) FloatVector.fromMemorySegment(HALF_FLOATS, ms, logvarRow + o, ORDER)
                    .castShape(DOUBLES, 0);
            // std = exp(x), x = logvar / 2 (exact)
            DoubleVector x = logvar.mul(0.5);
            DoubleVector t = x.fma(LOG2E, ROUND_MAGIC); // n = round(x log2 e) in the low mantissa bits
            DoubleVector n = t.sub(ROUND_MAGIC);
            DoubleVector r = n.fma(DoubleVector.broadcast(DOUBLES, -LN2_LO), n.fma(DoubleVector.broadcast(DOUBLES, -LN2_HI), x));
            DoubleVector p = r.fma(T13, T12) // Horner written out: a loop would carry a vector through a phi
                    .fma(r, DoubleVector.broadcast(DOUBLES, T11))
                    .fma(r, DoubleVector.broadcast(DOUBLES, T10))
                    .fma(r, DoubleVector.broadcast(DOUBLES, T9))
                    .fma(r, DoubleVector.broadcast(DOUBLES, T8))
                    .fma(r, DoubleVector.broadcast(DOUBLES, T7))
                    .fma(r, DoubleVector.broadcast(DOUBLES, T6))
                    .fma(r, DoubleVector.broadcast(DOUBLES, T5))
                    .fma(r, DoubleVector.broadcast(DOUBLES, T4))
                    .fma(r, DoubleVector.broadcast(DOUBLES, T3))
                    .fma(r, DoubleVector.broadcast(DOUBLES, T2))
                    .fma(r, DoubleVector.broadcast(DOUBLES, 1.0))
                    .fma(r, DoubleVector.broadcast(DOUBLES, 1.0));
            DoubleVector scale = t.reinterpretAsLongs().add(EXPONENT_BIAS).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
            DoubleVector std = p.add(p).mul(scale); // exact for normal results: p * 2^n
            // NaN compares false both ways and stays NaN; -inf and +inf land in the blends
            std = std.blend(0, x.compare(VectorOperators.LT, X_FLUSH));
            std = std.blend(Double.POSITIVE_INFINITY, x.compare(VectorOperators.GT, X_OVERFLOW));
            DoubleVector var = std.mul(std);
            FloatVector stdF = (FloatVector) std.castShape(HALF_FLOATS, 0);
            if (dMuLogvar == null) {
                muF.add(eps.mul(stdF)).intoMemorySegment(gs, gRow + o, ORDER);
                DoubleVector mu = (DoubleVector) muF.castShape(DOUBLES, 0);
                kl = kl.add(logvar.neg().add(var).add(mu.mul(mu)).sub(1).mul(0.5));
            } else {
                MemorySegment ds = dMuLogvar.segment();
                FloatVector g = FloatVector.fromMemorySegment(HALF_FLOATS, gs, gRow + o, ORDER);
                FloatVector varF = (FloatVector) var.castShape(HALF_FLOATS, 0);
                g.add(muF.mul(b)).intoMemorySegment(ds, dMuLogvar.offset(i, 0) + o, ORDER);
                g.mul(0.5f).mul(eps).mul(stdF).add(varF.sub(1f).mul(0.5f * b))
                        .intoMemorySegment(ds, dMuLogvar.offset(i, k) + o, ORDER);
            }
        }
        double sum = 0;
        for (int l = 0; l < DOUBLES.length(); l++) {
            sum += kl.lane(l);
        }
        return sum;
    }
}
