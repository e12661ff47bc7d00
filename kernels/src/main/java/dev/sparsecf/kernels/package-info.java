/**
 * The compute kernels and their off-heap data types: {@link dev.sparsecf.kernels.CsrMatrix} and
 * {@link dev.sparsecf.kernels.DenseMatrix}; one interface per operation family ({@code *Kernel}), its plain
 * {@code Scalar*} twin (baseline and test oracle), the providers that pick a tier once
 * ({@code KernelProvider}: {@code -Dsparsecf.kernels}; {@code BlasProvider}, for GEMM and the SPD inverse:
 * {@code -Dsparsecf.blas}), and the checking facade {@link dev.sparsecf.kernels.Kernels} that validates once
 * and then calls kernels that assume valid input; beside it {@link dev.sparsecf.kernels.Bf16Kernels}, the same for the
 * mixed-precision family ({@code Bf16Matrix}, the float32 to bf16 rounding, the GEMM of bf16 operands on oneDNN).
 *
 * <p>Depends on the JDK only. Nothing here may touch {@code jdk.incubator.vector}: the Vector API lives in
 * {@code dev.sparsecf.kernels.panama} and is loaded by name after the module check; the OpenBLAS tier lives in the
 * native module and is loaded by name too. The one native call here is libc's {@code mmap}/{@code munmap} (FFM, Linux
 * only, with a plain {@code Arena} fallback) behind {@code Kernels.allocateTouched}.
 */
package dev.sparsecf.kernels;
