package dev.sparsecf.kernels.panama;

import static dev.sparsecf.kernels.panama.PanamaVectorConstants.DOUBLES;
import static dev.sparsecf.kernels.panama.PanamaVectorConstants.FLOATS;
import static dev.sparsecf.kernels.panama.PanamaVectorConstants.HALF_FLOATS;

import dev.sparsecf.kernels.DenseMatrix;
import dev.sparsecf.kernels.ElementwiseKernel;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;

/**
 * The element-wise backward steps on vectors, bit-identical to the scalar formulas of {@link ElementwiseKernel}: the
 * same float multiplies and subtracts per lane (no FMA), and column sums that widen each float to double and add the
 * rows in order, one column per lane. Row (column) tails go through the scalar formulas themselves.
 */
final class PanamaElementwise implements ElementwiseKernel {

    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    @Override
    public void tanhBackward(DenseMatrix y, DenseMatrix d, int rowFrom, int rowTo) {
        MemorySegment ys = y.segment();
        MemorySegment ds = d.segment();
        int bound = FLOATS.loopBound(d.cols());
        for (int i = rowFrom; i < rowTo; i++) {
            long yRow = y.offset(i, 0);
            long dRow = d.offset(i, 0);
            for (int j = 0; j < bound; j += FLOATS.length()) {
                long o = (long) j * Float.BYTES;
                FloatVector v = FloatVector.fromMemorySegment(FLOATS, ys, yRow + o, ORDER);
                FloatVector.fromMemorySegment(FLOATS, ds, dRow + o, ORDER)
                        .mul(FloatVector.broadcast(FLOATS, 1f).sub(v.mul(v)))
                        .intoMemorySegment(ds, dRow + o, ORDER);
            }
        }
        ElementwiseKernel.tanhBackwardElements(y, d, rowFrom, rowTo, bound, d.cols());
    }

    @Override
    public void scaleRows(DenseMatrix d, float[] rowScale, float scale, int rowFrom, int rowTo) {
        MemorySegment ds = d.segment();
        int bound = FLOATS.loopBound(d.cols());
        for (int i = rowFrom; i < rowTo; i++) {
            float factor = ElementwiseKernel.rowFactor(rowScale, scale, i);
            long row = d.offset(i, 0);
            for (int j = 0; j < bound; j += FLOATS.length()) {
                long o = row + (long) j * Float.BYTES;
                FloatVector.fromMemorySegment(FLOATS, ds, o, ORDER).mul(factor).intoMemorySegment(ds, o, ORDER);
            }
        }
        ElementwiseKernel.scaleRowsElements(d, rowScale, scale, rowFrom, rowTo, bound, d.cols());
    }

    @Override
    public void columnSums(DenseMatrix d, float scale, DenseMatrix sums, double[] scratch, int colFrom, int colTo) {
        MemorySegment ds = d.segment();
        int end = colFrom + DOUBLES.loopBound(colTo - colFrom);
        Arrays.fill(scratch, colFrom, end, 0.0);
        // rows outer, as the scalar loop: each lane's column still adds its rows in order, and d streams row by row
        for (int i = 0; i < d.rows(); i++) {
            long row = d.offset(i, 0);
            for (int j = colFrom; j < end; j += DOUBLES.length()) {
                FloatVector x = FloatVector.fromMemorySegment(HALF_FLOATS, ds, row + (long) j * Float.BYTES, ORDER);
                DoubleVector.fromArray(DOUBLES, scratch, j).add((DoubleVector) x.castShape(DOUBLES, 0)).intoArray(scratch, j);
            }
        }
        for (int j = colFrom; j < end; j++) {
            sums.set(0, j, (float) (scale * scratch[j]));
        }
        ElementwiseKernel.columnSumsElements(d, scale, sums, scratch, end, colTo);
    }
}
