package dev.sparsecf.blas;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Calls OpenBLAS back to back on 2 threads until killed; prints "running" once the first calls are done. */
public final class OpenBlasBusyMain {

    private OpenBlasBusyMain() {
    }

    public static void main(String[] args) {
        int n = 300;
        OpenBlas blas = OpenBlas.load(2);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = arena.allocate((long) n * n * Double.BYTES, 64);
            MemorySegment x = OpenBlasTests.randomFloats(arena, (long) n * n, 1);
            MemorySegment c = arena.allocate((long) n * n * Float.BYTES, 64);
            for (long round = 0; ; round++) {
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        a.setAtIndex(ValueLayout.JAVA_DOUBLE, (long) i * n + j, i == j ? n : 1.0 / (1 + i + j)); // SPD
                    }
                }
                blas.dpotrfInverse(a, n, n);
                blas.sgemm(false, true, n, n, n, 1f, x, n, x, n, 0f, c, n);
                if (round == 0) {
                    System.out.println("running");
                    System.out.flush();
                }
            }
        }
    }
}
