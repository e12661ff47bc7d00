package dev.sparsecf.kernels;

/** The element-wise backward steps as plain loops (the element formulas of {@link ElementwiseKernel}): the oracle. */
final class ScalarElementwise implements ElementwiseKernel {

    @Override
    public void tanhBackward(DenseMatrix y, DenseMatrix d, int rowFrom, int rowTo) {
        ElementwiseKernel.tanhBackwardElements(y, d, rowFrom, rowTo, 0, d.cols());
    }

    @Override
    public void scaleRows(DenseMatrix d, float[] rowScale, float scale, int rowFrom, int rowTo) {
        ElementwiseKernel.scaleRowsElements(d, rowScale, scale, rowFrom, rowTo, 0, d.cols());
    }

    @Override
    public void columnSums(DenseMatrix d, float scale, DenseMatrix sums, double[] scratch, int colFrom, int colTo) {
        ElementwiseKernel.columnSumsElements(d, scale, sums, scratch, colFrom, colTo);
    }
}
