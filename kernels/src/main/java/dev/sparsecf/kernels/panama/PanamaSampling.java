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
 * scalar formulas of {@link SamplingKernel} lane by lane, floats widened to double for the lanewise EXP and rounded
 * back to float as the scalar code rounds {@code Math.exp}. Two differences in the last bits: the EXP (the JDK's
 * vector math library, within 1 double ulp like {@code Math.exp} but not always the same double), so an
 * {@code exp} rounded to float can land one float ulp away where the exact value is within a double ulp of a rounding
 * boundary; and each row's KL is summed per lane, then across lanes, not in column order (the double sum errs by at
 * most {@code gamma(k) * sum |terms|} either way, Higham Eq. 3.5). Row tails run the scalar formulas.
 */
final class PanamaSampling implements SamplingKernel {

    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    @Override
    public void sample(DenseMatrix muLogvar, DenseMatrix noise, DenseMatrix z, double[] rowKl, int rowFrom, int rowTo) {
        MemorySegment ms = muLogvar.segment();
        MemorySegment ns = noise.segment();
        MemorySegment zs = z.segment();
        int k = z.cols();
        int bound = DOUBLES.loopBound(k);
        for (int i = rowFrom; i < rowTo; i++) {
            long muRow = muLogvar.offset(i, 0);
            long logvarRow = muLogvar.offset(i, k);
            long noiseRow = noise.offset(i, 0);
            long zRow = z.offset(i, 0);
            DoubleVector kl = DoubleVector.zero(DOUBLES);
            for (int j = 0; j < bound; j += DOUBLES.length()) {
                long o = (long) j * Float.BYTES;
                FloatVector muF = FloatVector.fromMemorySegment(HALF_FLOATS, ms, muRow + o, ORDER);
                FloatVector eps = FloatVector.fromMemorySegment(HALF_FLOATS, ns, noiseRow + o, ORDER);
                DoubleVector mu = (DoubleVector) muF.castShape(DOUBLES, 0);
                DoubleVector logvar = (DoubleVector) FloatVector.fromMemorySegment(HALF_FLOATS, ms, logvarRow + o, ORDER)
                        .castShape(DOUBLES, 0);
                FloatVector std = (FloatVector) logvar.mul(0.5).lanewise(VectorOperators.EXP).castShape(HALF_FLOATS, 0);
                muF.add(eps.mul(std)).intoMemorySegment(zs, zRow + o, ORDER);
                kl = kl.add(logvar.neg().add(logvar.lanewise(VectorOperators.EXP)).add(mu.mul(mu)).sub(1).mul(0.5));
            }
            rowKl[i] = SamplingKernel.sampleElements(muLogvar, noise, z, i, bound, k, kl.reduceLanes(VectorOperators.ADD));
        }
    }

    @Override
    public void backward(DenseMatrix muLogvar, DenseMatrix noise, DenseMatrix dz, float[] rowBeta, DenseMatrix dMuLogvar,
                         int rowFrom, int rowTo) {
        MemorySegment ms = muLogvar.segment();
        MemorySegment ns = noise.segment();
        MemorySegment gs = dz.segment();
        MemorySegment ds = dMuLogvar.segment();
        int k = dz.cols();
        int bound = DOUBLES.loopBound(k);
        for (int i = rowFrom; i < rowTo; i++) {
            float b = rowBeta[i];
            float halfB = 0.5f * b;
            long muRow = muLogvar.offset(i, 0);
            long logvarRow = muLogvar.offset(i, k);
            long noiseRow = noise.offset(i, 0);
            long gRow = dz.offset(i, 0);
            long dMuRow = dMuLogvar.offset(i, 0);
            long dLogvarRow = dMuLogvar.offset(i, k);
            for (int j = 0; j < bound; j += DOUBLES.length()) {
                long o = (long) j * Float.BYTES;
                FloatVector mu = FloatVector.fromMemorySegment(HALF_FLOATS, ms, muRow + o, ORDER);
                FloatVector g = FloatVector.fromMemorySegment(HALF_FLOATS, gs, gRow + o, ORDER);
                FloatVector eps = FloatVector.fromMemorySegment(HALF_FLOATS, ns, noiseRow + o, ORDER);
                DoubleVector logvar = (DoubleVector) FloatVector.fromMemorySegment(HALF_FLOATS, ms, logvarRow + o, ORDER)
                        .castShape(DOUBLES, 0);
                FloatVector var = (FloatVector) logvar.lanewise(VectorOperators.EXP).castShape(HALF_FLOATS, 0);
                FloatVector std = (FloatVector) logvar.mul(0.5).lanewise(VectorOperators.EXP).castShape(HALF_FLOATS, 0);
                g.add(mu.mul(b)).intoMemorySegment(ds, dMuRow + o, ORDER);
                g.mul(0.5f).mul(eps).mul(std).add(var.sub(1f).mul(halfB)).intoMemorySegment(ds, dLogvarRow + o, ORDER);
            }
        }
        SamplingKernel.backwardElements(muLogvar, noise, dz, rowBeta, dMuLogvar, rowFrom, rowTo, bound, k);
    }
}
