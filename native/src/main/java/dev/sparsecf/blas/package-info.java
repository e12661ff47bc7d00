/**
 * The OpenBLAS tier of GEMM and the SPD inverse ({@code BlasGemm}, {@code BlasCholeskyInverse},
 * {@code OpenBlasProvider}) through bytedeco JavaCPP, zero-copy on the kernels' {@code MemorySegment}s, and oneDNN's
 * GEMM ({@code Dnnl}, {@code DnnlProvider}) and its bf16 matmul ({@code DnnlBf16Gemm}, {@code DnnlBf16Provider}), and, in a
 * build with {@code -Pmkl}, Intel MKL's GEMM and blocked sweep inverse ({@code Mkl}, {@code MklSweepInverse},
 * {@code MklProvider}; FFM only, no org.bytedeco.mkl class); loaded by name by {@code dev.sparsecf.kernels.BlasProvider}
 * ({@code -Dsparsecf.blas}). {@code ExitGate} keeps the JVM from exiting during a native call.
 *
 * <p>Depends on {@code dev.sparsecf.kernels} and {@code org.bytedeco}; the only package that may import
 * {@code org.bytedeco}.
 */
package dev.sparsecf.blas;
