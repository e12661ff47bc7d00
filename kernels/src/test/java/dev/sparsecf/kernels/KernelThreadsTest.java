package dev.sparsecf.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link KernelThreads#forRange}: every index exactly once, chunk starts aligned, failures rethrown. */
class KernelThreadsTest {

    @ParameterizedTest(name = "count={0}, align={1}, threads={2}")
    @CsvSource({"1, 1, 1", "7, 1, 2", "1000, 1, 3", "17, 16, 2", "20108, 16, 5", "33, 16, 3", "5, 16, 5", "0, 1, 2"})
    void coversEveryIndexOnceWithAlignedChunks(int count, int align, int threads) {
        AtomicIntegerArray hits = new AtomicIntegerArray(count);
        KernelThreads.of(threads).forRange(count, align, (from, to) -> {
            assertTrue(from % align == 0 && from < to && to <= count, "chunk [" + from + ", " + to + ")");
            for (int i = from; i < to; i++) {
                hits.incrementAndGet(i);
            }
        });
        for (int i = 0; i < count; i++) {
            assertEquals(1, hits.get(i), "index " + i);
        }
    }

    @Test
    void rethrowsTheFirstFailure() {
        KernelThreads.RangeTask failing = (from, to) -> {
            if (from <= 500 && 500 < to) {
                throw new IllegalStateException("chunk with 500");
            }
        };
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> KernelThreads.of(3).forRange(1000, 1, failing));
        assertEquals("chunk with 500", e.getMessage());
        assertSame(KernelThreads.of(3), KernelThreads.of(3), "pools are shared per thread count");
        assertThrows(IllegalArgumentException.class, () -> KernelThreads.of(0));
    }
}
