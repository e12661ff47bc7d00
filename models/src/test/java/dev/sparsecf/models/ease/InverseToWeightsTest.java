package dev.sparsecf.models.ease;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sparsecf.kernels.KernelThreads;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link InverseToWeights#toFloatInPlace}: the upper triangle as floats, zeros elsewhere, on any thread count. */
class InverseToWeightsTest {

    @ParameterizedTest(name = "n={0}, lda={1}, ldf={2}, {3} threads")
    @CsvSource({"1, 8, 16, 2", "63, 64, 64, 2", "300, 304, 304, 1", "300, 304, 304, 3", "531, 536, 544, 2", "200, 200, 400, 2"})
    void upperTriangleBecomesFloatsInTheSameMemory(int n, int lda, int ldf, int threads) {
        SplittableRandom random = new SplittableRandom(n);
        double[] upper = new double[n * n];
        try (Arena arena = Arena.ofShared()) {
            MemorySegment g = arena.allocate((long) n * lda * Double.BYTES);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < lda; j++) {
                    double v = j >= i && j < n ? random.nextDouble(-1e3, 1e3) : Double.NaN; // NaN: must not be read
                    g.setAtIndex(ValueLayout.JAVA_DOUBLE, (long) i * lda + j, v);
                    if (j < n) {
                        upper[i * n + j] = v;
                    }
                }
            }
            InverseToWeights.toFloatInPlace(g, n, lda, ldf, KernelThreads.of(threads));
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < ldf; j++) {
                    float expected = j >= i && j < n ? (float) upper[i * n + j] : 0f;
                    assertEquals(Float.floatToRawIntBits(expected),
                            Float.floatToRawIntBits(g.getAtIndex(ValueLayout.JAVA_FLOAT, (long) i * ldf + j)),
                            "(" + i + ", " + j + ")");
                }
            }
        }
    }
}
