package dev.sparsecf.kernels;

/**
 * {@link GemmTest} run where the native module is on the class path, so {@link KernelImpls#denseLegs()} adds the
 * OpenBLAS tier: the same grid, oracle and bounds as the Java kernels.
 */
class OpenBlasGemmAgreementTest extends GemmTest {
}
