package dev.sparsecf.kernels;

/**
 * One in-place Adam step over a row range of same-shape matrices, in float with separate multiplies and adds
 * (no FMA), so that every implementation gives bit-identical results:
 * {@code g = grad + decay * w; m = beta1 * m + (1 - beta1) * g; v = beta2 * v + (1 - beta2) * g * g;
 * w -= stepSize * m / (sqrt(v) + epsilon)}.
 */
public interface AdamKernel {

    /** Rows {@code [rowFrom, rowTo)} of {@code param}, {@code m} and {@code v}; {@code grad} is only read. */
    void update(DenseMatrix param, DenseMatrix grad, DenseMatrix m, DenseMatrix v, float stepSize, float beta1, float beta2,
                float epsilon, float decay, int rowFrom, int rowTo);
}
