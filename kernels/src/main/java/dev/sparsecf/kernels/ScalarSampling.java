package dev.sparsecf.kernels;

/** The reparameterisation and its backward pass as plain loops (the element formulas of {@link SamplingKernel}): the oracle. */
final class ScalarSampling implements SamplingKernel {

    @Override
    public void sample(DenseMatrix muLogvar, DenseMatrix noise, DenseMatrix z, double[] rowKl, int rowFrom, int rowTo) {
        for (int i = rowFrom; i < rowTo; i++) {
            rowKl[i] = SamplingKernel.sampleElements(muLogvar, noise, z, i, 0, z.cols(), 0);
        }
    }

    @Override
    public void backward(DenseMatrix muLogvar, DenseMatrix noise, DenseMatrix dz, float[] rowBeta, DenseMatrix dMuLogvar,
                         int rowFrom, int rowTo) {
        SamplingKernel.backwardElements(muLogvar, noise, dz, rowBeta, dMuLogvar, rowFrom, rowTo, 0, dz.cols());
    }
}
