package dev.sparsecf.kernels;

/** The Adam step as a plain loop: the oracle every other implementation must match bit for bit. */
final class ScalarAdam implements AdamKernel {

    @Override
    public void update(DenseMatrix param, DenseMatrix grad, DenseMatrix m, DenseMatrix v, float stepSize, float beta1,
                       float beta2, float epsilon, float decay, int rowFrom, int rowTo) {
        AdamKernel.updateElements(param, grad, m, v, stepSize, beta1, beta2, epsilon, decay, rowFrom, rowTo, 0,
                param.cols());
    }
}
