package dev.sparsecf.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/** Parsing and fallback of -Dsparsecf.blas=auto|openblas|java, with a simulated native load failure. */
class BlasProviderTest {

    private static final IntFunction<BlasProvider> BROKEN = threads -> {
        throw new UnsatisfiedLinkError("no jniopenblas in java.library.path");
    };
    private static final IntFunction<BlasProvider> MUST_NOT_LOAD = threads -> fail("java mode must not load OpenBLAS");

    @Test
    void javaNeverLoadsNativeCode() {
        List<String> warnings = new ArrayList<>();
        BlasProvider p = BlasProvider.forName("java", 3, KernelProvider.scalar(), warnings::add, MUST_NOT_LOAD);
        assertEquals("java", p.name());
        assertFalse(p.isNative());
        assertTrue(p.floatCholeskyInverse().isEmpty());
        assertSame(KernelProvider.scalar().gemm(), p.gemm());
        assertTrue(warnings.isEmpty(), warnings.toString());
        assertTrue(p.startupLine().contains("java") && p.startupLine().contains("3 threads"), p.startupLine());
    }

    @Test
    void forcedOpenBlasThatCannotLoadFailsWithCauseAndFix() {
        for (String flag : List.of("openblas", " OpenBLAS ")) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> BlasProvider.forName(flag, 2, KernelProvider.scalar(), w -> fail("no fallback when forced: " + w), BROKEN));
            assertTrue(e.getMessage().contains("could not be loaded") && e.getMessage().contains("no jniopenblas"),
                    e.getMessage());
        }
    }

    @Test
    void autoFallsBackToJavaWithAWarningNamingCauseAndFix() {
        for (String flag : new String[] {"auto", "AUTO", "", null}) {
            List<String> warnings = new ArrayList<>();
            BlasProvider p = BlasProvider.forName(flag, 2, KernelProvider.scalar(), warnings::add, BROKEN);
            assertEquals("java", p.name(), "flag '" + flag + "'");
            assertEquals(1, warnings.size(), warnings.toString());
            String w = warnings.get(0);
            assertTrue(w.contains("no jniopenblas") && w.contains("-Dsparsecf.blas=java"), w);
        }
    }

    @Test
    void unknownValueIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BlasProvider.forName("bogus", 2, KernelProvider.scalar(), w -> fail(w), MUST_NOT_LOAD));
        assertTrue(e.getMessage().contains("'bogus'") && e.getMessage().contains("auto, openblas, dnnl, mkl or java"), e.getMessage());
    }

    @Test
    void badThreadCountIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> BlasProvider.forName("java", 0, KernelProvider.scalar(), w -> fail(w), MUST_NOT_LOAD));
    }

    @Test
    void withoutTheNativeModuleAutoFallsBackAndForcedFails() {
        // the kernels module's tests run without the native module: the OpenBLAS tier class is absent
        List<String> warnings = new ArrayList<>();
        assertEquals("java", BlasProvider.forName("auto", 1, KernelProvider.scalar(), warnings::add).name());
        assertTrue(warnings.size() == 1 && warnings.get(0).contains("native module is not on the class path"), warnings.toString());
        assertThrows(IllegalStateException.class, () -> BlasProvider.forName("openblas", 1, KernelProvider.scalar(), w -> fail(w)));
    }
}
