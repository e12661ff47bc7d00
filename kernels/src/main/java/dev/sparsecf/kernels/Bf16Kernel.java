package dev.sparsecf.kernels;

/**
 * float32 to bf16 rounding, the operand conversion of the mixed-precision products ({@link Bf16Kernels}): round to
 * nearest, ties to even (overflow goes to infinity, subnormals round like any other value); a NaN stays a NaN of the
 * same sign, made quiet (bit 6 set), as oneDNN's conversion does.
 */
public interface Bf16Kernel {

    /** Rows {@code [rowFrom, rowTo)} of {@code src} rounded into the same rows of {@code dst} (same shape; padding untouched). */
    void round(DenseMatrix src, Bf16Matrix dst, int rowFrom, int rowTo);
}
