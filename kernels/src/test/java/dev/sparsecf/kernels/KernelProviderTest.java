package dev.sparsecf.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Implementation selection: forced, automatic with fallback, and unknown values; the start-up line. */
class KernelProviderTest {

    private final List<String> warnings = new ArrayList<>();

    @Test
    void unknownImplementationIsRejectedNamingTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KernelProvider.forName("bogus", warnings::add));
        assertTrue(e.getMessage().contains("'bogus'") && e.getMessage().contains("-Dsparsecf.kernels")
                && e.getMessage().contains("auto, scalar or panama"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Kernels.create("bogus", 1));
    }

    @Test
    void scalarIsAlwaysAvailable() {
        KernelProvider p = KernelProvider.forName(" Scalar ", warnings::add);
        assertEquals("scalar", p.name());
        assertEquals(Float.SIZE, p.vectorBitSize());
        assertTrue(warnings.isEmpty());
    }

    @Test
    void autoFallsBackToScalarWithTheFixWhenTheModuleIsMissing() {
        KernelProvider p = KernelProvider.forName("auto", warnings::add, false);
        assertEquals("scalar", p.name());
        assertEquals(1, warnings.size(), "exactly one warning");
        assertTrue(warnings.get(0).contains("--add-modules jdk.incubator.vector"), warnings.get(0));
        assertTrue(warnings.get(0).contains("scalar"), "the warning says what runs instead: " + warnings.get(0));
    }

    @Test
    void forcedPanamaWithoutTheModuleFails() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> KernelProvider.forName("panama", warnings::add, false));
        assertTrue(e.getMessage().contains("--add-modules jdk.incubator.vector"), e.getMessage());
        assertTrue(warnings.isEmpty(), "a forced choice throws instead of warning");
    }

    @Test
    void autoAndPanamaLoadPanamaWhenTheModuleIsPresent() {
        assumeTrue(KernelProvider.vectorModulePresent(), "needs --add-modules jdk.incubator.vector");
        for (String flag : new String[] {"auto", "panama", null, ""}) {
            KernelProvider p = KernelProvider.forName(flag, warnings::add);
            assertEquals("panama", p.name(), "flag " + flag);
            assertTrue(p.vectorBitSize() >= 128 && p.vectorBitSize() % 128 == 0, "vector bits " + p.vectorBitSize());
        }
        assertTrue(warnings.isEmpty(), "no fallback warning: " + warnings);
    }

    @Test
    void startupLineNamesImplementationVectorWidthAndThreads() {
        String scalar = Kernels.create("scalar", 3).startupLine();
        assertTrue(scalar.contains("scalar") && scalar.contains("32-bit") && scalar.contains("3 threads"), scalar);
        String single = Kernels.create("scalar", 1).startupLine();
        assertTrue(single.contains("; 1 thread ("), single);

        assumeTrue(KernelProvider.vectorModulePresent(), "the Panama line needs --add-modules jdk.incubator.vector");
        Kernels panama = Kernels.create("panama", 2);
        String line = panama.startupLine();
        int bits = panama.provider().vectorBitSize();
        assertTrue(line.contains("panama") && line.contains(bits + "-bit") && line.contains((bits / Float.SIZE) + " float lanes")
                && line.contains("2 threads"), line);
    }

    @Test
    void defaultKernelsDescribeThemselves() {
        Kernels k = Kernels.get();
        assertTrue(k.startupLine().contains(k.implementationName()), k.startupLine());
        assertEquals(KernelThreads.configuredThreads(), k.threads());
    }
}
