package dev.sparsecf.blas;

import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.sparsecf.kernels.BlasProvider;
import dev.sparsecf.kernels.KernelThreads;
import dev.sparsecf.kernels.Kernels;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;

/** Shared test plumbing: the OpenBLAS handle (skipped under -Dsparsecf.blas=java) and segment helpers. */
final class OpenBlasTests {

    private OpenBlasTests() {
    }

    /**
     * OpenBLAS at the configured thread count; the test is skipped when {@code -Dsparsecf.blas=java}. In
     * every other mode a load failure fails the test: this module declares the natives for its platform.
     */
    static OpenBlas openBlasOrSkip() {
        String flag = System.getProperty(BlasProvider.BLAS_PROPERTY, "auto").trim();
        assumeFalse(flag.equalsIgnoreCase("java"),
                "OpenBLAS test skipped: -D" + BlasProvider.BLAS_PROPERTY + "=java selects the pure-Java kernels");
        return OpenBlas.load(KernelThreads.configuredThreads());
    }

    /** The checking facade on the OpenBLAS tier (scalar kernels), skipped like {@link #openBlasOrSkip()}. */
    static Kernels openBlasKernelsOrSkip() {
        openBlasOrSkip();
        return Kernels.create("scalar", "openblas", KernelThreads.configuredThreads());
    }

    /** A native segment of {@code count} floats, each uniform in [-1, 1), seeded. */
    static MemorySegment randomFloats(Arena arena, long count, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        MemorySegment s = arena.allocate(count * Float.BYTES, 64);
        for (long i = 0; i < count; i++) {
            s.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) rnd.nextDouble(-1, 1));
        }
        return s;
    }

    /** A native segment of {@code count} doubles, each uniform in [-1, 1), seeded. */
    static MemorySegment randomDoubles(Arena arena, long count, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        MemorySegment s = arena.allocate(count * Double.BYTES, 64);
        for (long i = 0; i < count; i++) {
            s.setAtIndex(ValueLayout.JAVA_DOUBLE, i, rnd.nextDouble(-1, 1));
        }
        return s;
    }

    static float f(MemorySegment s, long index) {
        return s.getAtIndex(ValueLayout.JAVA_FLOAT, index);
    }

    static double d(MemorySegment s, long index) {
        return s.getAtIndex(ValueLayout.JAVA_DOUBLE, index);
    }
}
