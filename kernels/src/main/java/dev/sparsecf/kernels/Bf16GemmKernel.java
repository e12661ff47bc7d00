package dev.sparsecf.kernels;

/**
 * {@code C = alpha * op(A) * op(B) + beta * C} with A and B already in bf16 and C, the accumulation and the scalars in
 * float32 (oneDNN's matmul on AMX or AVX-512 BF16); {@code beta == 0} ignores C's old contents. Trusts its input:
 * {@link Bf16Kernels} checks it.
 */
public interface Bf16GemmKernel {

    /** The whole product on the library's threads. */
    void gemm(boolean transA, boolean transB, float alpha, Bf16Matrix a, Bf16Matrix b, float beta, DenseMatrix c);

    /** What runs the product, for the start-up line (library, version, matmul implementation). */
    String describe();
}
