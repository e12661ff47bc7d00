package dev.sparsecf.kernels;

/**
 * {@link SpdSolveTest} run where the native module is on the class path, so {@link KernelImpls#denseLegs()} adds the
 * OpenBLAS tier (dpotrf + dpotrs): the same systems, residual bound and triangle checks as the Java kernels.
 */
class OpenBlasSpdSolveAgreementTest extends SpdSolveTest {
}
