package dev.sparsecf.kernels.panama;

import dev.sparsecf.kernels.Bf16Kernel;
import dev.sparsecf.kernels.Bf16Matrix;
import dev.sparsecf.kernels.DenseMatrix;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The bf16 rounding of {@code ScalarBf16} on whole vectors: the same integer arithmetic on the float bits per lane
 * (so the same bits), narrowed to shorts; the row tail runs the same ops under a mask.
 */
final class PanamaBf16 implements Bf16Kernel {

    private static final VectorSpecies<Float> F = PanamaVectorConstants.FLOATS;
    private static final VectorSpecies<Integer> I = F.withLanes(int.class);
    private static final VectorSpecies<Short> S = VectorSpecies.of(short.class, VectorShape.forBitSize(F.vectorBitSize() / 2));
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    @Override
    public void round(DenseMatrix src, Bf16Matrix dst, int rowFrom, int rowTo) {
        MemorySegment s = src.segment();
        MemorySegment d = dst.segment();
        int n = src.cols();
        int body = F.loopBound(n);
        for (int i = rowFrom; i < rowTo; i++) {
            long from = src.offset(i, 0);
            long to = dst.offset(i, 0);
            int j = 0;
            for (; j < body; j += F.length()) {
                FloatVector x = FloatVector.fromMemorySegment(F, s, from + (long) j * Float.BYTES, ORDER);
                rounded(x).intoMemorySegment(d, to + (long) j * Short.BYTES, ORDER);
            }
            if (j < n) {
                VectorMask<Float> m = F.indexInRange(j, n);
                FloatVector x = FloatVector.fromMemorySegment(F, s, from + (long) j * Float.BYTES, ORDER, m);
                rounded(x).intoMemorySegment(d, to + (long) j * Short.BYTES, ORDER, m.cast(S));
            }
        }
    }

    private static ShortVector rounded(FloatVector x) {
        IntVector bits = x.reinterpretAsInts();
        IntVector odd = bits.lanewise(VectorOperators.LSHR, 16).and(1);
        IntVector up = bits.add(0x7FFF).add(odd).lanewise(VectorOperators.LSHR, 16);
        IntVector quietNaN = bits.lanewise(VectorOperators.LSHR, 16).or(0x40);
        IntVector r = up.blend(quietNaN, x.test(VectorOperators.IS_NAN).cast(I));
        return (ShortVector) r.convertShape(VectorOperators.I2S, S, 0);
    }
}
