package dev.sparsecf.kernels;

/**
 * float32 to bf16 rounding, the operand conversion of the mixed-precision products ({@link Bf16Kernels}): round to
 * nearest, ties to even (overflow goes to infinity); a NaN stays a NaN of the same sign, made quiet (bit 6 set), as
 * oneDNN's conversion does. Subnormals round like any other value, where oneDNN's conversion (vcvtneps2bf16) flushes
 * them to zero: below 1.2e-38, no difference a product of Mult-VAE's magnitudes can show.
 */
public interface Bf16Kernel {

    /** Rows {@code [rowFrom, rowTo)} of {@code src} rounded into the same rows of {@code dst} (same shape; padding untouched). */
    void round(DenseMatrix src, Bf16Matrix dst, int rowFrom, int rowTo);
}
