package dev.sparsecf.blas;

import static dev.sparsecf.blas.OpenBlasTests.f;
import static dev.sparsecf.blas.OpenBlasTests.randomFloats;
import static dev.sparsecf.testing.ErrorBounds.U_FLOAT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sparsecf.kernels.Bf16Kernels;
import dev.sparsecf.kernels.Bf16Matrix;
import dev.sparsecf.kernels.BlasProvider;
import dev.sparsecf.kernels.DenseMatrix;
import dev.sparsecf.kernels.KernelThreads;
import dev.sparsecf.kernels.Kernels;
import dev.sparsecf.testing.ErrorBounds;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * oneDNN's bf16 matmul ({@link DnnlBf16Gemm}) against two double-precision references over transposes, alpha, beta,
 * padded leading dimensions and awkward sizes, and its f32 -> bf16 conversion against round-to-nearest-even computed
 * from the float bits in Java.
 *
 * <p>The bounds. bf16 keeps 8 significant bits, so rounding x to bf16 gives {@code x(1 + d)} with {@code |d| <= u_b =
 * 2^-8}; the product of two rounded operands is exact in float32 (8 + 8 bits) and off by at most
 * {@code (2 u_b + u_b^2) |a b|}. float32 accumulation of k terms, the alpha scaling and the beta sum add at most
 * {@code gamma(k + 3) = (k + 3) u / (1 - (k + 3) u)} (u = 2^-24) of the sum of magnitudes. Hence
 * <pre>
 *   |C - C_exact| <= ((2 u_b + u_b^2)(1 + gamma) + gamma) |alpha| sum_p |a_ip b_pj| + gamma |beta c_ij|
 * </pre>
 * against the exact product of the float inputs, and, against the exact product of the inputs rounded to bf16 in Java
 * (RNE), only {@code gamma (|alpha| sum_p |a'_ip b'_pj| + |beta c_ij|)}: the second check fails if oneDNN rounded
 * differently (truncation, say) or did not round at all.
 */
class DnnlBf16GemmTest {

    private static final double U_BF16 = 0x1p-8;
    private static final int[] SIZES = {1, 7, 17, 33};

    private static DnnlBf16Gemm gemm;

    /** The bf16 GEMM, or a skip naming why: {@code -Dsparsecf.blas=java}, oneDNN missing, or no bf16 hardware. */
    static synchronized DnnlBf16Gemm bf16OrSkip() {
        String flag = System.getProperty(BlasProvider.BLAS_PROPERTY, "auto").trim();
        assumeFalse(flag.equalsIgnoreCase("java"),
                "oneDNN bf16 test skipped: -D" + BlasProvider.BLAS_PROPERTY + "=java selects the pure-Java kernels");
        if (gemm == null) {
            try {
                gemm = new DnnlBf16Gemm(Dnnl.load(Math.min(KernelThreads.configuredThreads(),
                        Runtime.getRuntime().availableProcessors())));
            } catch (IllegalStateException e) {
                assumeTrue(false, "oneDNN bf16 test skipped: " + e.getMessage());
            }
        }
        return gemm;
    }

    /** Round to nearest even of a finite float to bf16, from its bits (the independent calculation). */
    static float roundToBf16(float x) {
        int bits = Float.floatToRawIntBits(x);
        int lsb = (bits >>> 16) & 1;
        return Float.intBitsToFloat((bits + 0x7FFF + lsb) & 0xFFFF0000);
    }

    static List<Arguments> cases() {
        return OpenBlasGemmTest.cases();
    }

    @ParameterizedTest(name = "transA={0} transB={1} alpha={2} beta={3}")
    @MethodSource("cases")
    void matchesBothReferencesWithinTheBf16Bound(boolean transA, boolean transB, float alpha, float beta) {
        checkAllSizes(bf16OrSkip()::gemm, transA, transB, alpha, beta, 11);
    }

    /** Every m, n, k of {@link #SIZES}, seeds from {@code seed} on. */
    private static void checkAllSizes(BlasGemm.Sgemm sgemm, boolean transA, boolean transB, float alpha, float beta, long seed) {
        for (int m : SIZES) {
            for (int n : SIZES) {
                for (int k : SIZES) {
                    checkCase(sgemm, transA, transB, m, n, k, alpha, beta, seed);
                    seed += 3;
                }
            }
        }
    }

    /** The Mult-VAE shapes' structure in small: a long k (odd, over 1,000), and thin m or n. */
    @ParameterizedTest(name = "transA={0} transB={1}")
    @MethodSource("transposes")
    void longAndThinShapesMatchTheReferences(boolean transA, boolean transB) {
        DnnlBf16Gemm g = bf16OrSkip();
        int[][] shapes = {{33, 17, 1031}, {17, 1031, 65}, {1031, 7, 33}, {1, 1031, 1}, {1, 1, 2049}};
        long seed = 300;
        for (int[] s : shapes) {
            checkCase(g, transA, transB, s[0], s[1], s[2], 1.5f, 0.5f, seed++);
            checkCase(g, transA, transB, s[0], s[1], s[2], 1f, 0f, seed++);
        }
    }

    static List<Arguments> transposes() {
        return DnnlGemmTest.transposes();
    }

    /**
     * {@link DnnlBf16Gemm#gemmRounded} (the matmul alone, no reorder) on operands the Java kernels rounded
     * ({@link Bf16Kernels#round}, Panama where it loads): the same two bounds, so the rounding and the bf16 layout
     * (leading dimensions in elements, transposes as strides) are what oneDNN expects.
     */
    @ParameterizedTest(name = "transA={0} transB={1} alpha={2} beta={3}")
    @MethodSource("cases")
    void preRoundedOperandsMatchBothReferences(boolean transA, boolean transB, float alpha, float beta) {
        BlasGemm.Sgemm rounded = javaRounded(bf16OrSkip());
        checkAllSizes(rounded, transA, transB, alpha, beta, 911);
        checkCase(rounded, transA, transB, 33, 1031, 65, alpha, beta, 7);
    }

    /** An sgemm that rounds A and B on the Java kernels into bf16 copies with the same leading dimensions, then runs the matmul alone. */
    private static BlasGemm.Sgemm javaRounded(DnnlBf16Gemm g) {
        Kernels kernels = Kernels.create("auto", 1); // the operands live in confined arenas
        return (transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) -> {
            try (Arena arena = Arena.ofShared()) {
                MemorySegment a16 = roundedCopy(kernels, arena, a, transA ? k : m, transA ? m : k, lda);
                MemorySegment b16 = roundedCopy(kernels, arena, b, transB ? n : k, transB ? k : n, ldb);
                g.gemmRounded(transA, transB, m, n, k, alpha, a16, lda, b16, ldb, beta, c, ldc);
            }
        };
    }

    private static MemorySegment roundedCopy(Kernels kernels, Arena arena, MemorySegment src, int rows, int cols, int ld) {
        MemorySegment dst = arena.allocate(Math.max(2L, ((long) rows * ld) * 2), 64);
        if (rows > 0 && cols > 0) {
            Bf16Kernels.roundingOnly(kernels).round(DenseMatrix.wrap(src, rows, cols, ld), Bf16Matrix.wrap(dst, rows, cols, ld));
        }
        return dst;
    }

    private static void checkCase(DnnlBf16Gemm g, boolean transA, boolean transB, int m, int n, int k, float alpha,
                                  float beta, long seed) {
        checkCase(g::gemm, transA, transB, m, n, k, alpha, beta, seed);
    }

    private static void checkCase(BlasGemm.Sgemm sgemm, boolean transA, boolean transB, int m, int n, int k, float alpha,
                                  float beta, long seed) {
        OpenBlasGemmTest.checkCase("bf16", sgemm, transA, transB, m, n, k, alpha, beta, seed,
                (where, a, lda, b, ldb, c0, c, ldc) -> {
                    double gamma = ErrorBounds.gamma(k + 3, U_FLOAT);
                    double product = (2 * U_BF16 + U_BF16 * U_BF16) * (1 + gamma) + gamma;
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < n; j++) {
                            double dot = 0;
                            double abs = 0;
                            double dotRounded = 0;
                            double absRounded = 0;
                            for (int p = 0; p < k; p++) {
                                float x = f(a, transA ? (long) p * lda + i : (long) i * lda + p);
                                float y = f(b, transB ? (long) j * ldb + p : (long) p * ldb + j);
                                dot += (double) x * y;
                                abs += Math.abs((double) x * y);
                                double xy = (double) roundToBf16(x) * roundToBf16(y);
                                dotRounded += xy;
                                absRounded += Math.abs(xy);
                            }
                            double old = beta == 0 ? 0 : beta * (double) f(c0, (long) i * ldc + j);
                            float actual = f(c, (long) i * ldc + j);
                            double exact = alpha * dot + old;
                            double bound = product * Math.abs(alpha) * abs + gamma * Math.abs(old);
                            if (!(Math.abs(actual - exact) <= bound)) {
                                fail(where + ": C[" + i + "][" + j + "] = " + actual + ", exact " + exact + " +- " + bound);
                            }
                            double ofRounded = alpha * dotRounded + old;
                            double accumulation = gamma * (Math.abs(alpha) * absRounded + Math.abs(old));
                            if (!(Math.abs(actual - ofRounded) <= accumulation)) {
                                fail(where + ": C[" + i + "][" + j + "] = " + actual + ", of the bf16-rounded inputs "
                                        + ofRounded + " +- " + accumulation);
                            }
                        }
                        for (int j = n; j < ldc; j++) {
                            assertEquals(OpenBlasGemmTest.PAD, f(c, (long) i * ldc + j),
                                    where + ": padding C[" + i + "][" + j + "] was written");
                        }
                    }
                });
    }

    /** oneDNN's reorder rounds to nearest, ties to even, bit for bit (normal numbers, zeros, infinities, ties). */
    @Test
    void conversionIsRoundToNearestEven() {
        DnnlBf16Gemm g = bf16OrSkip();
        SplittableRandom random = new SplittableRandom(5);
        int count = 4099;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment src = arena.allocate((long) count * Float.BYTES, 64);
            MemorySegment dst = arena.allocate((long) count * 2, 64);
            float[] special = {0f, -0f, 1f, -1f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_NORMAL,
                    Float.intBitsToFloat(0x3F808000), Float.intBitsToFloat(0x3F818000), // ties: to even down, to even up
                    Float.intBitsToFloat(0x3F808001), Float.intBitsToFloat(0x3F807FFF), 3.0e38f, -65504f};
            for (int i = 0; i < count; i++) {
                float x;
                if (i < special.length) {
                    x = special[i];
                } else {
                    // every normal exponent and random low bits, ties included by chance and by construction
                    int exponent = 1 + random.nextInt(254);
                    int mantissa = random.nextInt(1 << 23);
                    if (i % 7 == 0) {
                        mantissa = (mantissa & ~0xFFFF) | 0x8000;
                    }
                    x = Float.intBitsToFloat((random.nextBoolean() ? 0x80000000 : 0) | exponent << 23 | mantissa);
                }
                src.setAtIndex(ValueLayout.JAVA_FLOAT, i, x);
            }
            g.toBf16(src, dst, count);
            for (int i = 0; i < count; i++) {
                float x = src.getAtIndex(ValueLayout.JAVA_FLOAT, i);
                float converted = Float.intBitsToFloat((dst.getAtIndex(ValueLayout.JAVA_SHORT, i) & 0xFFFF) << 16);
                assertEquals(Float.floatToRawIntBits(roundToBf16(x)), Float.floatToRawIntBits(converted),
                        "bf16 of " + x + " (0x" + Integer.toHexString(Float.floatToRawIntBits(x)) + ") at " + i);
            }
        }
    }

    /**
     * The Java kernels' rounding ({@link Bf16Kernels#round}, scalar and Panama) gives oneDNN's reorder's bits,
     * including what the finite check above leaves out: NaN payloads (oneDNN keeps the sign and the top payload bits
     * and sets the quiet bit) and infinities. The one difference: oneDNN (vcvtneps2bf16) flushes subnormal inputs to a
     * zero of their sign, where the Java kernels round them like any other value (Bf16KernelTest checks those).
     */
    @Test
    void javaRoundingMatchesOneDnnBitForBit() {
        DnnlBf16Gemm g = bf16OrSkip();
        SplittableRandom random = new SplittableRandom(8);
        int count = 50_021;
        try (Arena arena = Arena.ofShared()) {
            MemorySegment src = arena.allocate((long) count * Float.BYTES, 64);
            MemorySegment want = arena.allocate((long) count * 2, 64);
            MemorySegment got = arena.allocate((long) count * 2, 64);
            for (int i = 0; i < count; i++) {
                int bits = switch (i % 4) {
                    case 0 -> 0x7F80_0000 | random.nextInt(1 << 23) | (random.nextBoolean() ? 1 << 31 : 0); // NaN or infinity
                    case 1 -> random.nextInt(1 << 23) | (random.nextBoolean() ? 1 << 31 : 0); // subnormal or zero
                    case 2 -> (random.nextInt() & 0xFFFF_0000) | 0x8000; // a tie
                    default -> random.nextInt();
                };
                src.setAtIndex(ValueLayout.JAVA_FLOAT, i, Float.intBitsToFloat(bits));
            }
            g.toBf16(src, want, count);
            for (String impl : List.of("scalar", "auto")) {
                Bf16Kernels.roundingOnly(Kernels.create(impl, 2)).round(DenseMatrix.wrap(src, 1, count, count),
                        Bf16Matrix.wrap(got, 1, count, count));
                for (int i = 0; i < count; i++) {
                    short w = want.getAtIndex(ValueLayout.JAVA_SHORT, i);
                    short r = got.getAtIndex(ValueLayout.JAVA_SHORT, i);
                    int bits = Float.floatToRawIntBits(src.getAtIndex(ValueLayout.JAVA_FLOAT, i));
                    if ((bits & 0x7F80_0000) == 0) { // zero or subnormal: oneDNN gives the signed zero
                        assertEquals((short) ((bits >>> 16) & 0x8000), w, "oneDNN's bf16 of 0x" + Integer.toHexString(bits));
                        continue;
                    }
                    if (w != r) {
                        fail(impl + ": bf16 of 0x" + Integer.toHexString(Float.floatToRawIntBits(src.getAtIndex(ValueLayout.JAVA_FLOAT, i)))
                                + " is 0x" + Integer.toHexString(r & 0xFFFF) + ", oneDNN 0x" + Integer.toHexString(w & 0xFFFF));
                    }
                }
            }
        }
    }

    @Test
    void zeroInnerDimensionScalesCByBeta() {
        DnnlGemmTest.checkZeroInnerDimension(bf16OrSkip()::gemm);
    }

    /** Primitives and scratch are made once per shape: repeated products allocate (almost) nothing on the heap. */
    @Test
    void repeatedProductsAllocateNothingPerCall() {
        DnnlBf16Gemm g = bf16OrSkip();
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported(), "no per-thread allocation counter in this JVM");
        try (Arena arena = Arena.ofConfined()) {
            int m = 40;
            int n = 70;
            int k = 50;
            MemorySegment a = randomFloats(arena, (long) m * k, 1);
            MemorySegment b = randomFloats(arena, (long) k * n, 2);
            MemorySegment c = arena.allocate((long) m * n * Float.BYTES, 64);
            for (int i = 0; i < 100; i++) { // warm-up: the plan, scratch and JIT
                g.gemm(false, true, m, n, k, 1f, a, k, b, k, 1f, c, n);
            }
            long before = threads.getCurrentThreadAllocatedBytes();
            int calls = 1_000;
            for (int i = 0; i < calls; i++) {
                g.gemm(false, true, m, n, k, 1f, a, k, b, k, 1f, c, n);
            }
            long perCall = (threads.getCurrentThreadAllocatedBytes() - before) / calls;
            assertTrue(perCall < 16, "bf16 GEMM allocated " + perCall + " bytes per call");
        }
    }

    @Test
    void aCpuWithoutBf16FlagsIsRefusedWithTheFix(@TempDir Path dir) throws IOException {
        Path none = Files.writeString(dir.resolve("cpuinfo"), "processor\t: 0\nflags\t\t: fpu sse avx2 avx512f avx512bw\n");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> DnnlBf16Gemm.requireBf16Cpu(none));
        assertEquals("this CPU has no bf16 arithmetic (neither avx512_bf16 nor amx_bf16 among the flags of " + none
                + "); use a float32 GEMM (-Dsparsecf.blas=auto, dnnl, openblas or java)", e.getMessage());
        DnnlBf16Gemm.requireBf16Cpu(Files.writeString(dir.resolve("avx"), "flags\t: fpu avx512f avx512_bf16\n"));
        DnnlBf16Gemm.requireBf16Cpu(Files.writeString(dir.resolve("amx"), "flags\t: fpu amx_bf16 amx_tile\n"));
    }

    /** Through the facade: bf16 GEMM named in the dense implementation and the start-up line. */
    @Test
    void theFacadeRunsGemmInBf16() {
        DnnlBf16Gemm gemm = bf16OrSkip();
        int threads = KernelThreads.configuredThreads();
        Kernels kernels = Kernels.create("scalar", "java", threads).withBf16Gemm();
        assertEquals("gemm dnnl-bf16, inverse openblas", kernels.denseImplementationName());
        assertEquals("dnnl-bf16", kernels.blas().gemmLibrary());
        Dnnl dnnl = Dnnl.load(Math.min(threads, Runtime.getRuntime().availableProcessors()));
        assertEquals("GEMM in bf16 (float32 accumulation) on " + dnnl.describe() + ", matmul " + gemm.matmulImplementation()
                + ", SPD inverse and solves on " + new OpenBlasProvider(threads).describe(), kernels.blas().describe());
        assertEquals(dnnl.version() + " bf16, " + OpenBlasProvider.preset("dnnl"), kernels.blas().build());
        String line = kernels.blas().startupLine();
        assertTrue(line.startsWith("sparsecf BLAS: dnnl-bf16: GEMM in bf16 (float32 accumulation) on oneDNN 3.")
                && line.contains(", matmul "), line);
        try (DenseMatrix a = DenseMatrix.allocate(19, 23); DenseMatrix b = DenseMatrix.allocate(29, 23);
             DenseMatrix c = DenseMatrix.allocate(19, 29)) {
            SplittableRandom r = new SplittableRandom(3);
            for (DenseMatrix x : List.of(a, b)) {
                for (int i = 0; i < x.rows(); i++) {
                    for (int j = 0; j < x.cols(); j++) {
                        x.set(i, j, (float) r.nextGaussian());
                    }
                }
            }
            kernels.gemm(false, true, 1f, a, b, 0f, c);
            double gamma = ErrorBounds.gamma(23 + 3, U_FLOAT);
            for (int i = 0; i < 19; i++) {
                for (int j = 0; j < 29; j++) {
                    double dot = 0;
                    for (int p = 0; p < 23; p++) {
                        dot += (double) roundToBf16(a.get(i, p)) * roundToBf16(b.get(j, p));
                    }
                    double abs = 0;
                    for (int p = 0; p < 23; p++) {
                        abs += Math.abs((double) roundToBf16(a.get(i, p)) * roundToBf16(b.get(j, p)));
                    }
                    assertTrue(Math.abs(c.get(i, j) - dot) <= gamma * abs, "C[" + i + "][" + j + "] = " + c.get(i, j)
                            + ", of the bf16-rounded inputs " + dot);
                }
            }
        }
    }
}
