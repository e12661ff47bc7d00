package dev.sparsecf.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Kernels#allocateTouched}: exact size, aligned, zeroed, shared with worker threads, freed with its arena. */
class FreshMemoryTest {

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(longs = {1, 4095, 4096, 5 * 1024 * 1024 + 123})
    void zeroedAlignedSharedAndFreedWithTheArena(long bytes) throws Exception {
        Kernels kernels = KernelImpls.kernels("scalar", 2);
        MemorySegment segment;
        try (Arena arena = Arena.ofShared()) {
            segment = kernels.allocateTouched(arena, bytes);
            assertEquals(bytes, segment.byteSize());
            assertEquals(0, segment.address() % 64, "64-byte aligned");
            assertEquals(-1L, segment.mismatch(MemorySegment.ofArray(new byte[(int) bytes])), "zeroed");
            MemorySegment seen = segment;
            CompletableFuture.runAsync(() -> seen.fill((byte) 7)).get(); // another thread may write it
            assertEquals(7, segment.get(ValueLayout.JAVA_BYTE, bytes - 1));
        }
        MemorySegment closed = segment;
        assertThrows(IllegalStateException.class, () -> closed.get(ValueLayout.JAVA_BYTE, 0));
    }
}
