package dev.sparsecf.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsecf.testing.ErrorBounds;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Kernels#solveSpdBatch}: every solution's residual within the backward-error bound of a Cholesky solve
 * (derived from the factor the kernel leaves in A), over awkward orders, a padded leading dimension, Gram-like
 * (co-occurrence count) systems and ill-conditioned ones; the strict lower triangle is never read or written.
 */
class SpdSolveTest {

    private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;
    /** Below the diagonal: a kernel that reads it gets NaN into its result, one that writes it changes these bits. */
    private static final double LOWER = Double.longBitsToDouble(0x7ff8_0000_0bad_cafeL);
    /** Awkward orders on both sides of the Panama kernel's panel (32) and tile (4) sizes and of its former blocked threshold (48). */
    private static final int[] ORDERS = {0, 1, 2, 3, 7, 8, 9, 15, 16, 17, 33, 47, 48, 49, 63, 64, 65, 95, 97, 103, 129, 257};

    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> cases = Stream.builder();
        for (Named<String> impl : KernelImpls.denseLegs()) {
            for (int threads : new int[] {1, 2}) {
                cases.add(Arguments.of(impl, Named.of("counts + lambda", 0), threads));
                cases.add(Arguments.of(impl, Named.of("ill-conditioned (lambda 1e-3)", 1), threads));
            }
        }
        return cases.build();
    }

    @ParameterizedTest(name = "{0}, {1}, {2} threads")
    @MethodSource("cases")
    void residualsWithinTheBackwardErrorBound(String impl, int kind, int threads) {
        int lda = ldaFor(impl, 257 + 3);
        int count = ORDERS.length;
        SplittableRandom rnd = new SplittableRandom(5 + kind);
        double[][] as = new double[count][];
        double[][] bs = new double[count][];
        try (Arena arena = Arena.ofShared()) {
            MemorySegment a = arena.allocate(D, (long) count * lda * lda);
            MemorySegment b = arena.allocate(D, (long) count * lda);
            for (int s = 0; s < count; s++) {
                int n = ORDERS[s];
                as[s] = countsPlusLambda(rnd, n, kind == 0 ? 50.0 : 1e-3);
                bs[s] = new double[n];
                for (int i = 0; i < n; i++) {
                    bs[s][i] = rnd.nextInt(40);
                    b.setAtIndex(D, (long) s * lda + i, bs[s][i]);
                    for (int j = 0; j < lda; j++) {
                        double v = j >= i && j < n ? as[s][i * n + j] : LOWER;
                        a.setAtIndex(D, ((long) s * lda + i) * lda + j, v);
                    }
                }
            }
            KernelImpls.kernels(impl, threads).solveSpdBatch(a, b, ORDERS, count, lda);
            for (int s = 0; s < count; s++) {
                check(impl, ORDERS[s], as[s], bs[s], a, (long) s * lda * lda, b, (long) s * lda, lda);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.sparsecf.kernels.KernelImpls#denseLegs")
    void namesTheFailingSystemAndPivot(String impl) {
        try (Arena arena = Arena.ofShared()) {
            int lda = ldaFor(impl, 4);
            MemorySegment a = arena.allocate(D, 3L * lda * lda);
            MemorySegment b = arena.allocate(D, 3L * lda);
            for (int s = 0; s < 3; s++) {
                for (int i = 0; i < lda; i++) {
                    a.setAtIndex(D, ((long) s * lda + i) * lda + i, 1.0);
                }
            }
            long s1 = (long) lda * lda;
            a.setAtIndex(D, s1 + 1, 2.0); // [[1, 2], [2, 1]]: the second pivot is 1 - 4 < 0
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> KernelImpls.kernels(impl, 2).solveSpdBatch(a, b, new int[] {4, 2, 4}, 3, lda));
            assertEquals("solveSpdBatch: system 1 is not positive definite: pivot 1", e.getMessage());
        }
    }

    @Test
    void rejectsBadShapes() {
        Kernels kernels = Kernels.get();
        try (Arena arena = Arena.ofShared()) {
            MemorySegment a = arena.allocate(D, 8);
            MemorySegment b = arena.allocate(D, 2);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> kernels.solveSpdBatch(a, b, new int[] {3}, 1, 2));
            assertEquals("solveSpdBatch: system 0 has order 3 outside [0, 2]", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> kernels.solveSpdBatch(a, b, new int[] {2, 2, 2}, 3, 2));
            assertTrue(e.getMessage().startsWith("solveSpdBatch: 3 systems of lda 2 need 96 + 48 bytes"), e.getMessage());
        }
    }

    /** OpenBLAS gets only systems of leading dimension {@link Kernels#NATIVE_SOLVE_MIN_ORDER} or more. */
    private static int ldaFor(String impl, int lda) {
        return impl.equals("openblas") ? Math.max(lda, Kernels.NATIVE_SOLVE_MIN_ORDER) : lda;
    }

    /** {@code C^T C + lambda I} for a random 0/1 matrix C of 3n rows: co-occurrence counts, as EASE's systems. */
    private static double[] countsPlusLambda(SplittableRandom rnd, int n, double lambda) {
        int m = 3 * n + 1;
        boolean[][] c = new boolean[m][n];
        for (int u = 0; u < m; u++) {
            for (int i = 0; i < n; i++) {
                c[u][i] = rnd.nextInt(4) == 0;
            }
        }
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                int count = 0;
                for (int u = 0; u < m; u++) {
                    count += c[u][i] && c[u][j] ? 1 : 0;
                }
                a[i * n + j] = count + (i == j ? lambda : 0);
            }
        }
        return a;
    }

    private static void check(String impl, int n, double[] a0, double[] b0, MemorySegment a, long aAt, MemorySegment b,
                              long bAt, int lda) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = b.getAtIndex(D, bAt + i);
        }
        for (int i = 0; i < n; i++) {
            double r = b0[i];
            double axb = Math.abs(b0[i]);
            double utux = 0;
            for (int j = 0; j < n; j++) {
                r -= a0[i * n + j] * x[j];
                axb += Math.abs(a0[i * n + j] * x[j]);
                double ut = 0; // (|U^T| |U|)_ij = sum_k |U_ki| |U_kj|
                for (int k = 0; k <= Math.min(i, j); k++) {
                    ut += Math.abs(a.getAtIndex(D, aAt + (long) k * lda + i) * a.getAtIndex(D, aAt + (long) k * lda + j));
                }
                utux += ut * Math.abs(x[j]);
            }
            double bound = ErrorBounds.choleskySolveResidual(n, utux, axb);
            assertTrue(Math.abs(r) <= bound, impl + ", n = " + n + ": residual " + i + " is " + r + ", bound " + bound);
            for (int j = 0; j < lda; j++) {
                if (j < i || j >= n) {
                    assertEquals(Double.doubleToRawLongBits(LOWER), Double.doubleToRawLongBits(a.getAtIndex(D, aAt + (long) i * lda + j)),
                            impl + ", n = " + n + ": (" + i + ", " + j + ") outside the upper triangle was written");
                }
            }
        }
    }
}
