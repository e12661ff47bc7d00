package dev.sparsecf.kernels;

/** In-place hyperbolic tangent, {@code x = tanh(x)}, over the valid columns of a row range (padding untouched). */
public interface TanhKernel {

    /** Rows {@code [rowFrom, rowTo)} of {@code x}. */
    void tanh(DenseMatrix x, int rowFrom, int rowTo);
}
