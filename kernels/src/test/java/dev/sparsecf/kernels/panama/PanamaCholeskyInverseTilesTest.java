package dev.sparsecf.kernels.panama;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sparsecf.kernels.KernelProvider;
import dev.sparsecf.kernels.KernelThreads;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The 8 x 3 and 4 x 2 update tiles of {@link PanamaCholeskyInverse} must agree bit for bit (each element is the
 * same FMA chain in either), so this covers the tile the CPU does not pick; CholeskyInverseTest checks the
 * default one against A * inv(A) = I.
 */
class PanamaCholeskyInverseTilesTest {

    @ParameterizedTest(name = "n={0}")
    @ValueSource(ints = {5, 100, 300})
    void wideAndNarrowTilesGiveTheSameBits(int n) {
        assumeTrue(KernelProvider.vectorModulePresent(), "needs --add-modules jdk.incubator.vector");
        SplittableRandom rnd = new SplittableRandom(n);
        double[] m = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                m[i * n + j] = (i == j ? n : 0) + 2 * rnd.nextDouble() - 1; // diagonally dominant: SPD
            }
        }
        try (Arena arena = Arena.ofShared()) {
            MemorySegment wide = arena.allocate(ValueLayout.JAVA_DOUBLE, n * (long) n);
            MemorySegment narrow = arena.allocate(ValueLayout.JAVA_DOUBLE, n * (long) n);
            MemorySegment.copy(m, 0, wide, ValueLayout.JAVA_DOUBLE, 0, n * n);
            MemorySegment.copy(m, 0, narrow, ValueLayout.JAVA_DOUBLE, 0, n * n);
            new PanamaCholeskyInverse(true).invertUpper(wide, n, n, KernelThreads.of(2));
            new PanamaCholeskyInverse(false).invertUpper(narrow, n, n, KernelThreads.of(2));
            assertArrayEquals(wide.toArray(ValueLayout.JAVA_DOUBLE), narrow.toArray(ValueLayout.JAVA_DOUBLE));
        }
    }
}
