package dev.sparsecf.blas;

import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sparsecf.kernels.BlasProvider;
import dev.sparsecf.kernels.KernelThreads;

/** Shared test plumbing for the MKL tier: skipped with a message in a build without {@code -Pmkl}. */
final class MklTests {

    private MklTests() {
    }

    /** MKL at the configured threads; skipped without {@code -Pmkl} or under {@code -Dsparsecf.blas=java}. */
    static Mkl mklOrSkip() {
        assumeTrue(Mkl.onClassPath(), "MKL test skipped: this build has no MKL (run the tests with mvn -Pmkl)");
        String flag = System.getProperty(BlasProvider.BLAS_PROPERTY, "auto").trim();
        assumeFalse(flag.equalsIgnoreCase("java"),
                "MKL test skipped: -D" + BlasProvider.BLAS_PROPERTY + "=java selects the pure-Java kernels");
        return Mkl.load(KernelThreads.configuredThreads());
    }
}
