package dev.sparsecf.blas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sparsecf.kernels.KernelThreads;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/** Parsing and fallback of -Dsparsecf.blas=auto|openblas|java, with a simulated native load failure. */
class BlasProviderTest {

    private static final IntFunction<OpenBlas> BROKEN = threads -> {
        throw new UnsatisfiedLinkError("no jniopenblas in java.library.path");
    };
    private static final IntFunction<OpenBlas> MUST_NOT_LOAD = threads -> fail("java mode must not load OpenBLAS");

    @Test
    void javaNeverLoadsNativeCode() {
        List<String> warnings = new ArrayList<>();
        BlasProvider p = BlasProvider.forName("java", 3, warnings::add, MUST_NOT_LOAD);
        assertEquals(BlasProvider.Impl.JAVA, p.impl());
        assertEquals("java", p.implementationName());
        assertTrue(p.openBlas().isEmpty());
        assertTrue(warnings.isEmpty(), warnings.toString());
        assertTrue(p.startupLine().contains("java") && p.startupLine().contains("3 threads"), p.startupLine());
    }

    @Test
    void forcedOpenBlasThatCannotLoadFailsWithCauseAndFix() {
        for (String flag : List.of("openblas", " OpenBLAS ")) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> BlasProvider.forName(flag, 2, w -> fail("no fallback when forced: " + w), BROKEN));
            assertTrue(e.getMessage().contains("could not be loaded") && e.getMessage().contains("no jniopenblas"),
                    e.getMessage());
        }
    }

    @Test
    void autoFallsBackToJavaWithAWarningNamingCauseAndFix() {
        for (String flag : new String[] {"auto", "AUTO", "", null}) {
            List<String> warnings = new ArrayList<>();
            BlasProvider p = BlasProvider.forName(flag, 2, warnings::add, BROKEN);
            assertEquals(BlasProvider.Impl.JAVA, p.impl(), "flag '" + flag + "'");
            assertEquals(1, warnings.size(), warnings.toString());
            String w = warnings.get(0);
            assertTrue(w.contains("no jniopenblas") && w.contains("-Dsparsecf.blas=java"), w);
        }
    }

    @Test
    void unknownValueIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BlasProvider.forName("bogus", 2, w -> fail(w), MUST_NOT_LOAD));
        assertTrue(e.getMessage().contains("'bogus'") && e.getMessage().contains("auto, openblas or java"), e.getMessage());
    }

    @Test
    void badThreadCountIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> BlasProvider.forName("java", 0, w -> fail(w), MUST_NOT_LOAD));
    }

    @Test
    void defaultProviderFollowsTheFlag() {
        String flag = System.getProperty(BlasProvider.BLAS_PROPERTY, "auto").trim();
        BlasProvider p = BlasProvider.get();
        if (flag.equalsIgnoreCase("java")) {
            assertEquals(BlasProvider.Impl.JAVA, p.impl());
            assertTrue(p.openBlas().isEmpty());
        } else {
            // This module ships the natives for its build platform, so auto must not have fallen back here.
            assertEquals(BlasProvider.Impl.OPENBLAS, p.impl(), "-Dsparsecf.blas=" + flag + ": " + p.startupLine());
            OpenBlas blas = p.openBlas().orElseThrow();
            String line = p.startupLine();
            assertTrue(line.contains("OpenBLAS") && line.contains(blas.threads() + " thread"), line);
            assertEquals(KernelThreads.configuredThreads(), blas.threads(), "OpenBLAS threads vs -Dsparsecf.threads");
        }
        assertFalse(p.startupLine().isBlank());
    }
}
