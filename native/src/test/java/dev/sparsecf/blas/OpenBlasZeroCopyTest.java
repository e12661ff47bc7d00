package dev.sparsecf.blas;

import static dev.sparsecf.blas.OpenBlasTests.f;
import static dev.sparsecf.blas.OpenBlasTests.openBlasOrSkip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** OpenBLAS works on the caller's memory: writes go both ways through the segment, and nothing is copied. */
class OpenBlasZeroCopyTest {

    @Test
    void writesThroughSlicesOfOneSegmentAreSeenBothWays() {
        OpenBlas blas = openBlasOrSkip();
        int n = 5;
        try (Arena arena = Arena.ofConfined()) {
            // A, B and C are slices at odd float offsets of one allocation, so any copy to an aligned buffer
            // or mixed-up base address would show up in the result or the guard floats.
            MemorySegment all = arena.allocate(4L * 100, 64);
            all.fill((byte) 0);
            MemorySegment a = all.asSlice(4L * 3, 4L * n * n);
            MemorySegment b = all.asSlice(4L * 31, 4L * n * n);
            MemorySegment c = all.asSlice(4L * 59, 4L * n * n);
            for (int i = 0; i < n; i++) {
                a.setAtIndex(ValueLayout.JAVA_FLOAT, (long) i * n + i, 1f); // A = I
                for (int j = 0; j < n; j++) {
                    b.setAtIndex(ValueLayout.JAVA_FLOAT, (long) i * n + j, 10 * i + j);
                }
            }
            blas.sgemm(false, false, n, n, n, 1f, a, n, b, n, 0f, c, n);
            for (int i = 0; i < n * n; i++) {
                assertEquals(f(b, i), f(c, i), "C = I*B written by BLAS, read by Java at " + i);
            }
            b.setAtIndex(ValueLayout.JAVA_FLOAT, 7, -1f); // a Java write BLAS must see on the next call
            blas.sgemm(false, false, n, n, n, 2f, a, n, b, n, 0f, c, n);
            assertEquals(-2f, f(c, 7), "Java write to B seen by BLAS");
            for (long g : new long[] {0, 1, 2, 28, 29, 30, 56, 57, 58, 84, 99}) { // floats outside the slices
                assertEquals(0f, f(all, g), "guard float " + g + " outside the operands was written");
            }
        }
    }

    @Test
    void callsAllocateNothingLikeTheOperands() {
        OpenBlas blas = openBlasOrSkip();
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean,
                "needs com.sun.management.ThreadMXBean to count allocated bytes");
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(mx.isThreadAllocatedMemorySupported() && mx.isThreadAllocatedMemoryEnabled(),
                "thread allocation counting is not enabled in this JVM");
        int n = 128;
        long operandBytes = 3L * n * n * Float.BYTES + (long) n * n * Double.BYTES;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = OpenBlasTests.randomFloats(arena, (long) n * n, 1);
            MemorySegment b = OpenBlasTests.randomFloats(arena, (long) n * n, 2);
            MemorySegment c = arena.allocate((long) n * n * Float.BYTES, 64);
            MemorySegment spd = arena.allocateFrom(ValueLayout.JAVA_DOUBLE, OpenBlasCholeskyTest.spd(n, 100, 3));
            MemorySegment work = arena.allocate(spd.byteSize(), 64);
            int calls = 5;
            long before = 0;
            for (int r = 0; r < 2; r++) { // round 0 warms up (method handle linkage allocates once)
                before = mx.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < calls; i++) {
                    blas.sgemm(false, true, n, n, n, 1f, a, n, b, n, 0f, c, n);
                    work.copyFrom(spd);
                    blas.dpotrfInverse(work, n, n);
                }
            }
            long perCall = (mx.getCurrentThreadAllocatedBytes() - before) / calls;
            // A copying wrapper would allocate at least the operand bytes per call; allow 1 % for small garbage.
            assertTrue(perCall < operandBytes / 100,
                    "allocated " + perCall + " bytes per sgemm+inverse call, operands are " + operandBytes + " bytes");
        }
    }
}
