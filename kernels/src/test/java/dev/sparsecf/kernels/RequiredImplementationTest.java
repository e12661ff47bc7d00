package dev.sparsecf.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/**
 * CI guard: each surefire execution sets {@code -Dsparsecf.tests.requireImpl} to the implementation it means to
 * test, and this fails if the default kernels are a different one (e.g. a silent fallback to scalar because the
 * JVM lacks {@code --add-modules jdk.incubator.vector}).
 */
class RequiredImplementationTest {

    static final String REQUIRE_PROPERTY = "sparsecf.tests.requireImpl";

    @Test
    void defaultKernelsAreTheRequiredImplementation() {
        String required = System.getProperty(REQUIRE_PROPERTY);
        assumeTrue(required != null && !required.isBlank(), "-D" + REQUIRE_PROPERTY + " not set");
        assertEquals(required.trim(), Kernels.get().implementationName(),
                "-D" + REQUIRE_PROPERTY + "=" + required + " but the default kernels are: " + Kernels.get().startupLine());
    }
}
