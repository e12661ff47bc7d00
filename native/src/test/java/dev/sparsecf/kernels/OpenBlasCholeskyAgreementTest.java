package dev.sparsecf.kernels;

/**
 * {@link CholeskyInverseTest} run where the native module is on the class path, so {@link KernelImpls#denseLegs()}
 * adds the OpenBLAS tier: the same matrices, residual bound and triangle checks as the Java kernels.
 */
class OpenBlasCholeskyAgreementTest extends CholeskyInverseTest {
}
