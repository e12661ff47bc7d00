package dev.sparsecf.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

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
 * {@link Kernels#invertSpd}: A * inv(A) = I within the rounding bound, triangle handling, non-SPD errors; the
 * native module runs it again with the OpenBLAS tier ({@code OpenBlasCholeskyAgreementTest}).
 */
class CholeskyInverseTest {

    private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;
    /** Marks the strict lower triangle: the kernels must neither read it (it would spread NaN) nor write it. */
    private static final double LOWER = Double.longBitsToDouble(0x7ff8_0000_dead_beefL);

    /** Orders: 1, small odd, one vector multiple, inside one 384-wide pivot block, and two blocks with a short last one. */
    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> cases = Stream.builder();
        for (Named<String> impl : KernelImpls.denseLegs()) {
            for (int n : new int[] {1, 7, 64, 129, 300, 531}) {
                cases.add(Arguments.of(impl, n));
            }
        }
        return cases.build();
    }

    @ParameterizedTest(name = "{0}, n={1}")
    @MethodSource("cases")
    void timesOriginalIsIdentity(String impl, int n) {
        int lda = n + 3; // a leading dimension larger than n
        double[] spd = randomSpd(new SplittableRandom(n), n);
        try (Arena arena = Arena.ofShared()) {
            MemorySegment a = load(arena, spd, n, lda);
            KernelImpls.kernels(impl, 2).invertSpd(a, n, lda, false);
            double[] x = new double[n * n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    if (j < i) {
                        assertEquals(Double.doubleToRawLongBits(LOWER), Double.doubleToRawLongBits(a.getAtIndex(D, (long) i * lda + j)),
                                impl + ": strict lower triangle (" + i + ", " + j + ") was written");
                        x[i * n + j] = a.getAtIndex(D, (long) j * lda + i);
                    } else {
                        x[i * n + j] = a.getAtIndex(D, (long) i * lda + j);
                    }
                }
            }
            assertResidual(impl, spd, x, n);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.sparsecf.kernels.KernelImpls#denseLegs")
    void fillLowerMirrorsTheInverse(String impl) {
        int n = 97;
        double[] spd = randomSpd(new SplittableRandom(3), n);
        try (Arena arena = Arena.ofShared()) {
            MemorySegment a = load(arena, spd, n, n);
            KernelImpls.kernels(impl, 2).invertSpd(a, n, n, true);
            double[] x = new double[n * n];
            MemorySegment.copy(a, D, 0, x, 0, n * n);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < i; j++) {
                    assertEquals(x[j * n + i], x[i * n + j], impl + ": lower (" + i + ", " + j + ") is not the mirror of upper");
                }
            }
            assertResidual(impl, spd, x, n);
        }
    }

    @Test
    void panamaReportsEveryPivotBlockWithoutChangingTheResult() {
        int n = 800; // three pivot blocks, the last one short
        double[] spd = randomSpd(new SplittableRandom(5), n);
        try (Arena arena = Arena.ofShared()) {
            MemorySegment quiet = load(arena, spd, n, n);
            MemorySegment watched = load(arena, spd, n, n);
            Kernels kernels = KernelImpls.kernels("panama", 2);
            kernels.invertSpd(quiet, n, n, false);
            java.util.List<Double> done = new java.util.ArrayList<>();
            kernels.invertSpd(watched, n, n, false, done::add);
            assertEquals(java.util.List.of(384.0 / n, 768.0 / n, 1.0), done);
            assertEquals(-1L, quiet.mismatch(watched), "progress changed the inverse");
        }
    }

    @Test
    void panamaResultDoesNotDependOnThreads() {
        int n = 300;
        double[] spd = randomSpd(new SplittableRandom(11), n);
        double[] first = null;
        for (int threads : new int[] {1, 2, 3}) {
            try (Arena arena = Arena.ofShared()) {
                MemorySegment a = load(arena, spd, n, n);
                KernelImpls.kernels("panama", threads).invertSpd(a, n, n, false);
                double[] got = a.toArray(D);
                if (first == null) {
                    first = got;
                } else {
                    for (int t = 0; t < got.length; t++) {
                        if (Double.doubleToRawLongBits(got[t]) != Double.doubleToRawLongBits(first[t])) {
                            fail(threads + " threads differ from 1 thread at (" + t / n + ", " + t % n + ")");
                        }
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.sparsecf.kernels.KernelImpls#legs")
    void negativePivotIsNamed(String impl) {
        int n = 40;
        double[] m = new double[n * n];
        for (int i = 0; i < n; i++) {
            m[i * n + i] = 1;
        }
        m[17 * n + 17] = -3.2e-5;
        try (Arena arena = Arena.ofShared()) {
            MemorySegment a = load(arena, m, n, n);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> KernelImpls.kernels(impl, 2).invertSpd(a, n, n, true));
            assertTrue(e.getMessage().startsWith("matrix is not positive definite: pivot 17 is -3.200e-05"), e.getMessage());
        }
    }

    /**
     * Row and column 450 repeat 449 with the diagonal lowered by 1, so the Schur complement at pivot 450 is exactly
     * -1: the failure comes from the trailing updates, in the second pivot block of the blocked kernel.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.sparsecf.kernels.KernelImpls#legs")
    void pivotMadeNegativeByEarlierUpdatesIsNamed(String impl) {
        int n = 500;
        double[] m = randomSpd(new SplittableRandom(5), n);
        for (int j = 0; j < n; j++) {
            m[450 * n + j] = m[449 * n + j];
            m[j * n + 450] = m[j * n + 449];
        }
        m[450 * n + 450] = m[449 * n + 449] - 1;
        try (Arena arena = Arena.ofShared()) {
            MemorySegment a = load(arena, m, n, n);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> KernelImpls.kernels(impl, 2).invertSpd(a, n, n, false));
            assertTrue(e.getMessage().startsWith("matrix is not positive definite: pivot 450 is -1.000"), e.getMessage());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.sparsecf.kernels.KernelImpls#legs")
    void nanPivotIsAnErrorNotANanResult(String impl) {
        int n = 5;
        double[] m = new double[n * n];
        for (int i = 0; i < n; i++) {
            m[i * n + i] = 2;
        }
        m[3 * n + 3] = Double.NaN;
        try (Arena arena = Arena.ofShared()) {
            MemorySegment a = load(arena, m, n, n);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> KernelImpls.kernels(impl, 1).invertSpd(a, n, n, false));
            assertTrue(e.getMessage().startsWith("matrix is not positive definite: pivot 3 is NaN"), e.getMessage());
        }
    }

    @Test
    void rejectsBadDimensions() {
        Kernels kernels = Kernels.get();
        try (Arena arena = Arena.ofShared()) {
            MemorySegment a = arena.allocate(D, 12);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> kernels.invertSpd(a, 4, 3, false));
            assertEquals("invertSpd: lda 3 < max(1, n) = 4", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> kernels.invertSpd(a, 4, 4, false));
            assertEquals("invertSpd: segment of 96 bytes is too small for 4x4 doubles with lda 4 (128 bytes)", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> kernels.invertSpd(a, -1, 4, false));
            assertEquals("invertSpd: negative order n = -1", e.getMessage());
            kernels.invertSpd(a, 0, 1, true); // the empty matrix is its own inverse
        }
        try (Arena confined = Arena.ofConfined()) {
            MemorySegment a = confined.allocate(D, 4);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Kernels.create("scalar", 2).invertSpd(a, 2, 2, false));
            assertTrue(e.getMessage().startsWith("invertSpd: the segment is confined to one thread"), e.getMessage());
        }
    }

    /** {@code B B^T / n + I} with B uniform in [-1, 1): eigenvalues in about [1, 2.4], so cond(A) is small. */
    static double[] randomSpd(SplittableRandom rnd, int n) {
        double[] bm = new double[n * n];
        for (int t = 0; t < bm.length; t++) {
            bm[t] = 2 * rnd.nextDouble() - 1;
        }
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = 0;
                for (int p = 0; p < n; p++) {
                    s += bm[i * n + p] * bm[j * n + p];
                }
                a[i * n + j] = s / n + (i == j ? 1 : 0);
                a[j * n + i] = a[i * n + j];
            }
        }
        return a;
    }

    /** The matrix in a segment with stride lda: the upper triangle from {@code m}, {@link #LOWER} below it. */
    static MemorySegment load(Arena arena, double[] m, int n, int lda) {
        MemorySegment a = arena.allocate(D, Math.max(1, (long) n * lda));
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                a.setAtIndex(D, (long) i * lda + j, j >= i ? m[i * n + j] : LOWER);
            }
        }
        return a;
    }

    /**
     * {@code max |A X - I| <= 4 n u kappa}, {@code kappa = ||A||_inf ||X||_inf}: the normwise residual bound of a
     * backward-stable inversion, {@code ||A X - I|| <= c n u ||A|| ||X||} (Higham, Accuracy and Stability of
     * Numerical Algorithms, 2nd ed., Sec. 14.1-14.3), with c = 4; plus the double product's own rounding.
     */
    private static void assertResidual(String impl, double[] a, double[] x, int n) {
        double bound = ErrorBounds.inverseResidual(n, (i, j) -> a[i * n + j], (i, j) -> x[i * n + j]);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < n; p++) {
                    s += a[i * n + p] * x[p * n + j];
                }
                double r = s - (i == j ? 1 : 0);
                if (!(Math.abs(r) <= bound)) {
                    fail(impl + " n=" + n + ": (A inv(A) - I)[" + i + "][" + j + "] = " + r + " exceeds " + bound);
                }
            }
        }
    }
}
