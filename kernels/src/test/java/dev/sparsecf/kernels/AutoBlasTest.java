package dev.sparsecf.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code -Dsparsecf.blas=auto} with both tiers present: the per-operation choice, its cache (key, corruption,
 * atomic rewrite), the rule, and that forced flags win. Timings are injected, so no test depends on which tier is
 * faster on the machine running it.
 */
class AutoBlasTest {

    private static final Clock DAY = Clock.fixed(Instant.parse("2026-12-06T22:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    /** Counts calls into a tier's kernels, which compute with the scalar ones. */
    private static final class Counting {
        final AtomicInteger gemmCalls = new AtomicInteger();
        final AtomicInteger inverseCalls = new AtomicInteger();
        final GemmKernel gemm = (ta, tb, alpha, a, b, beta, c, r0, r1, c0, c1) -> {
            gemmCalls.incrementAndGet();
            KernelProvider.scalar().gemm().gemm(ta, tb, alpha, a, b, beta, c, r0, r1, c0, c1);
        };
        final CholeskyInverseKernel inverse = (a, n, lda, pool) -> {
            inverseCalls.incrementAndGet();
            KernelProvider.scalar().choleskyInverse().invertUpper(a, n, lda, pool);
        };
    }

    private final Counting nativeCalls = new Counting();
    private final Counting javaCalls = new Counting();

    /** A stand-in for a native tier: its GEMM, OpenBLAS's inverses (counted), a float32 inverse and a build string. */
    private BlasProvider nativeTier(String name, String label, GemmKernel gemm, String build) {
        return nativeTier(name, label, gemm, nativeCalls.inverse, (a, progress) -> { }, "openblas", build);
    }

    /** A stand-in for a native tier with its own inverses, run by {@code inverseLibrary}. */
    private static BlasProvider nativeTier(String name, String label, GemmKernel gemm, CholeskyInverseKernel inverse,
                                           FloatCholeskyInverseKernel floatInverse, String inverseLibrary, String build) {
        return new BlasProvider(gemm, inverse, floatInverse, KernelProvider.scalar().spdSolve()) {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String label() {
                return label;
            }

            @Override
            public String inverseLibrary() {
                return inverseLibrary;
            }

            @Override
            public String gemmLibrary() {
                return name;
            }

            @Override
            public String describe() {
                return "fake " + build;
            }

            @Override
            public boolean isNative() {
                return true;
            }

            @Override
            public String build() {
                return build;
            }
        };
    }

    /** A stand-in for OpenBLAS. */
    private final BlasProvider openBlas = nativeTier("openblas", "OpenBLAS", nativeCalls.gemm, "OpenBLAS 0.3.31 fake");

    private final Counting dnnlCalls = new Counting();

    /** A stand-in for oneDNN's tier: its own GEMM, OpenBLAS's inverses (as DnnlProvider). */
    private final BlasProvider dnnl = nativeTier("dnnl", "oneDNN", dnnlCalls.gemm, "oneDNN 3.11.0 fake");

    /** A Java tier with 512-bit vectors (the scalar kernels underneath, counted). */
    private final KernelProvider wide = new KernelProvider(KernelProvider.scalar().spmm(), KernelProvider.scalar().spmmTranspose(),
            KernelProvider.scalar().logSoftmax(), KernelProvider.scalar().topK(), javaCalls.gemm, javaCalls.inverse,
            KernelProvider.scalar().gram(), KernelProvider.scalar().tanh(), KernelProvider.scalar().adam(),
            KernelProvider.scalar().elementwise(), KernelProvider.scalar().sampling(), KernelProvider.scalar().cooccurrence(),
            KernelProvider.scalar().spdSolve(), KernelProvider.scalar().csrProduct(), KernelProvider.scalar().bf16()) {
        @Override
        public String name() {
            return "panama";
        }

        @Override
        public int vectorBitSize() {
            return 512;
        }

        @Override
        public String describe() {
            return "fake panama";
        }
    };

    /** Returns fixed rates and counts how often it was asked. */
    private static final class FixedCalibrator implements AutoBlas.Calibrator {
        final AutoBlas.Rates rates;
        double cpuShare = 1;
        int calls;

        FixedCalibrator(AutoBlas.Rates rates) {
            this.rates = rates;
        }

        @Override
        public AutoBlas.Rates measure(List<BlasProvider> gemmTiers, List<BlasProvider> inverseTiers, KernelProvider kernels,
                                      int threads) {
            calls++;
            return rates;
        }

        @Override
        public double lastCpuShare() {
            return cpuShare;
        }

        @Override
        public String gemmShape() {
            return "500x20108x600";
        }

        @Override
        public int inverseN() {
            return 3072;
        }
    }

    /** GEMM on OpenBLAS, Java (and oneDNN), inverse on OpenBLAS and Java, in GFLOP/s. */
    private static AutoBlas.Rates rates(double gemmOpenBlas, double gemmJava, double inverseOpenBlas, double inverseJava,
                                        double... gemmDnnl) {
        Map<String, Double> gemm = new java.util.LinkedHashMap<>(Map.of("openblas", gemmOpenBlas, "java", gemmJava));
        for (double d : gemmDnnl) {
            gemm.put("dnnl", d);
        }
        return new AutoBlas.Rates(gemm, Map.of("openblas", inverseOpenBlas, "java", inverseJava));
    }

    private final FixedCalibrator javaGemmFaster = new FixedCalibrator(rates(178, 265, 80, 60));
    private final List<String> warnings = new ArrayList<>();

    private AutoBlas.Settings settings(boolean calibrate, String coreType, AutoBlas.Calibrator calibrator) {
        return new AutoBlas.Settings(calibrate, dir.resolve("cache/calibration.properties"),
                Map.of("OPENBLAS_CORETYPE", coreType), calibrator, DAY);
    }

    private BlasProvider auto(int threads, AutoBlas.Settings settings) {
        return BlasProvider.forName("auto", threads, wide, warnings::add, t -> openBlas, settings);
    }

    @Test
    void eachOperationGoesToItsFasterTierAndTheFacadeCallsIt() {
        BlasProvider chosen = auto(2, settings(true, "Haswell", javaGemmFaster));
        assertFalse(chosen.gemmIsNative(), chosen.describe());
        assertTrue(chosen.inverseIsNative(), chosen.describe());
        assertTrue(chosen.floatCholeskyInverse().isPresent(), "OpenBLAS's float32 inverse stays available");
        assertTrue(chosen.startupLine().contains("GEMM on Panama (OpenBLAS 178 vs Panama 265 GFLOP/s at 500x20108x600)")
                && chosen.startupLine().contains("SPD inverse on OpenBLAS (OpenBLAS 80 vs Panama 60 GFLOP/s at n=3072)")
                && chosen.startupLine().contains("calibrated now in ") && chosen.startupLine().contains(" s, saved to " + dir), chosen.startupLine());

        Kernels k = Kernels.of(wide, chosen, 1);
        assertEquals("gemm java/panama, inverse openblas", k.denseImplementationName());
        assertOneGemm(k);
        try (Arena arena = Arena.ofShared()) {
            MemorySegment spd = arena.allocate(4 * Double.BYTES, 64);
            spd.setAtIndex(ValueLayout.JAVA_DOUBLE, 0, 4.0);
            spd.setAtIndex(ValueLayout.JAVA_DOUBLE, 3, 2.0);
            k.invertSpd(spd, 2, 2, true);
            assertEquals(0.25, spd.getAtIndex(ValueLayout.JAVA_DOUBLE, 0), 1e-15);
            assertEquals(0.5, spd.getAtIndex(ValueLayout.JAVA_DOUBLE, 3), 1e-15);
        }
        assertEquals(List.of(1, 0, 0, 1), List.of(javaCalls.gemmCalls.get(), javaCalls.inverseCalls.get(),
                nativeCalls.gemmCalls.get(), nativeCalls.inverseCalls.get()), "calls: java gemm, java inverse, native gemm, native inverse");
        assertTrue(warnings.isEmpty(), warnings.toString());
    }

    /** One small product through the facade, whichever tier runs it. */
    private static void assertOneGemm(Kernels k) {
        try (DenseMatrix a = DenseMatrix.allocate(3, 4); DenseMatrix b = DenseMatrix.allocate(4, 5);
                DenseMatrix c = DenseMatrix.allocate(3, 5)) {
            a.set(2, 3, 2f);
            b.set(3, 4, 3f);
            k.gemm(false, false, 1f, a, b, 0f, c);
            assertEquals(6f, c.get(2, 4));
        }
    }

    private BlasProvider autoWithDnnl(AutoBlas.Settings settings) {
        return BlasProvider.forName("auto", 2, wide, warnings::add, t -> openBlas, t -> dnnl, settings);
    }

    @Test
    void oneDnnRunsGemmWhenItBeatsBothAndTheChoiceIsCached() throws IOException {
        FixedCalibrator dnnlFastest = new FixedCalibrator(rates(250, 190, 80, 60, 300));
        BlasProvider chosen = autoWithDnnl(settings(true, "", dnnlFastest));
        assertTrue(chosen.startupLine().contains("GEMM on oneDNN (OpenBLAS 250 vs Panama 190 vs oneDNN 300 GFLOP/s at"
                + " 500x20108x600), SPD inverse on OpenBLAS") && chosen.describe().endsWith("; GEMM on oneDNN 3.11.0 fake"),
                chosen.startupLine());
        Kernels k = Kernels.of(wide, chosen, 2);
        assertEquals("gemm dnnl, inverse openblas", k.denseImplementationName());
        assertOneGemm(k);
        assertEquals(List.of(1, 0, 0), List.of(dnnlCalls.gemmCalls.get(), nativeCalls.gemmCalls.get(),
                javaCalls.gemmCalls.get()), "GEMM calls: oneDNN, OpenBLAS, Java");
        String text = Files.readString(dir.resolve("cache/calibration.properties"));
        assertTrue(text.contains("gemm.dnnl=300.0") && text.contains("dnnl\\=oneDNN 3.11.0 fake"), text);
        BlasProvider again = autoWithDnnl(settings(true, "", dnnlFastest));
        assertEquals(1, dnnlFastest.calls, "read from the cache");
        assertEquals("dnnl", again.gemmLibrary(), again.describe());
        assertTrue(warnings.isEmpty(), warnings.toString());
    }

    @Test
    void aCachedEntryWithoutACandidatesRateIsMeasuredAgain() throws IOException {
        FixedCalibrator dnnlFastest = new FixedCalibrator(rates(250, 190, 80, 60, 300));
        AutoBlas.Settings s = settings(true, "", dnnlFastest);
        Path file = dir.resolve("cache/calibration.properties");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "format=1\nentry0.key=" + AutoBlas.cacheKey(openBlas, List.of(dnnl), wide, 2, s).replace("=", "\\=")
                + "\nentry0.date=2026-12-01\nentry0.gemm.openblas=250\nentry0.gemm.java=190\nentry0.inverse.openblas=80"
                + "\nentry0.inverse.java=60\n", StandardCharsets.ISO_8859_1);
        BlasProvider p = autoWithDnnl(s);
        assertEquals(1, dnnlFastest.calls, "oneDNN's GEMM rate was missing");
        assertEquals("dnnl", p.gemmLibrary(), p.describe());
        assertTrue(Files.readString(file).contains("entry0.gemm.dnnl=300.0"), Files.readString(file));
        assertTrue(warnings.isEmpty(), warnings.toString());
    }

    private final Counting mklCalls = new Counting();
    private final AtomicInteger mklFloatInverseCalls = new AtomicInteger();

    /** A stand-in for MKL's tier: its own GEMM, double inverse and float32 inverse (all counted). */
    private final BlasProvider mkl = nativeTier("mkl", "MKL", mklCalls.gemm, mklCalls.inverse,
            (a, progress) -> mklFloatInverseCalls.incrementAndGet(), "mkl", "Intel MKL 2025.2 fake");

    private BlasProvider autoWithOptional(AutoBlas.Settings settings, IntFunction<BlasProvider> mklLoader) {
        return BlasProvider.forName("auto", 2, wide, warnings::add, t -> openBlas,
                List.of(new BlasProvider.OptionalTier("dnnl", "oneDNN", t -> dnnl),
                        new BlasProvider.OptionalTier("mkl", "Intel MKL", mklLoader)), settings);
    }

    /** GEMM on OpenBLAS, Java, oneDNN, MKL; the inverse on OpenBLAS, Java, MKL. */
    private static AutoBlas.Rates ratesWithMkl(double gemmMkl, double inverseOpenBlas, double inverseJava, double inverseMkl) {
        Map<String, Double> gemm = new java.util.LinkedHashMap<>();
        gemm.put("openblas", 250.0);
        gemm.put("java", 190.0);
        gemm.put("dnnl", 300.0);
        gemm.put("mkl", gemmMkl);
        Map<String, Double> inverse = new java.util.LinkedHashMap<>();
        inverse.put("openblas", inverseOpenBlas);
        inverse.put("java", inverseJava);
        inverse.put("mkl", inverseMkl);
        return new AutoBlas.Rates(gemm, inverse);
    }

    @Test
    void mklCompetesForGemmAndTheInverseAndRunsBothWhenFastest() throws IOException {
        FixedCalibrator mklFastest = new FixedCalibrator(ratesWithMkl(350, 150, 120, 190));
        BlasProvider chosen = autoWithOptional(settings(true, "", mklFastest), t -> mkl);
        assertTrue(chosen.describe().contains("GEMM on MKL (OpenBLAS 250 vs Panama 190 vs oneDNN 300 vs MKL 350 GFLOP/s at"
                + " 500x20108x600), SPD inverse on MKL (OpenBLAS 150 vs Panama 120 vs MKL 190 GFLOP/s at n=3072)")
                && chosen.describe().endsWith("; GEMM and SPD inverse on Intel MKL 2025.2 fake"), chosen.describe());
        Kernels k = Kernels.of(wide, chosen, 2);
        assertEquals("mkl", k.denseImplementationName());
        assertOneGemm(k);
        try (Arena arena = Arena.ofShared(); DenseMatrix f = DenseMatrix.of(1, 1, new float[] {2})) {
            k.invertSpd(arena.allocateFrom(ValueLayout.JAVA_DOUBLE, 4.0), 1, 1, true);
            k.invertSpdFloat(f, true);
        }
        assertEquals(List.of(1, 1, 1, 0, 0), List.of(mklCalls.gemmCalls.get(), mklCalls.inverseCalls.get(),
                mklFloatInverseCalls.get(), nativeCalls.inverseCalls.get(), dnnlCalls.gemmCalls.get()),
                "calls: MKL gemm, MKL inverse, MKL float inverse, OpenBLAS inverse, oneDNN gemm");
        String text = Files.readString(dir.resolve("cache/calibration.properties"));
        assertTrue(text.contains("mkl\\=Intel MKL 2025.2 fake") && text.contains("inverse.mkl=190.0"), text);
        assertTrue(warnings.isEmpty(), warnings.toString());
    }

    @Test
    void eachOperationGoesToItsOwnFastestOptionalTier() {
        // oneDNN fastest for GEMM, MKL for the inverse; oneDNN has no inverse of its own, so it is not timed there
        BlasProvider chosen = autoWithOptional(settings(true, "", new FixedCalibrator(ratesWithMkl(280, 150, 120, 190))),
                t -> mkl);
        assertEquals("gemm dnnl, inverse mkl", Kernels.of(wide, chosen, 2).denseImplementationName());
        assertTrue(chosen.describe().endsWith("; GEMM on oneDNN 3.11.0 fake; SPD inverse on Intel MKL 2025.2 fake"),
                chosen.describe());
        // the Java inverse must beat the fastest native one (MKL here) by the margin, not only OpenBLAS
        BlasProvider java = autoWithOptional(settings(true, "Haswell", new FixedCalibrator(ratesWithMkl(280, 150, 200, 190))),
                t -> mkl);
        assertEquals("mkl", java.inverseLibrary(), "200 < 1.1 x 190: " + java.describe());
        BlasProvider javaWins = autoWithOptional(settings(true, "SkylakeX", new FixedCalibrator(ratesWithMkl(280, 150, 210, 190))),
                t -> mkl);
        assertFalse(javaWins.inverseIsNative(), javaWins.describe());
        assertTrue(javaWins.floatCholeskyInverse().isPresent(), "a float32 inverse stays available");
    }

    @Test
    void mklNotInTheBuildIsLeftOutSilentlyAndKeyedAsNone() {
        FixedCalibrator dnnlFastest = new FixedCalibrator(rates(250, 190, 80, 60, 300));
        BlasProvider p = autoWithOptional(settings(true, "", dnnlFastest), t -> {
            throw new BlasProvider.NotInBuildException("Intel MKL is not part of this build: rebuild with -Pmkl");
        });
        assertTrue(warnings.isEmpty(), "no warning for a tier the build does not have: " + warnings);
        assertEquals("dnnl", p.gemmLibrary(), p.describe());
        assertFalse(p.describe().contains("MKL"), p.describe());
        String key = AutoBlas.cacheKey(openBlas, List.of(dnnl), wide, 2, settings(true, "", dnnlFastest));
        assertTrue(key.contains("dnnl=oneDNN 3.11.0 fake") && key.contains("mkl=none"), key);
        assertFalse(key.equals(AutoBlas.cacheKey(openBlas, List.of(dnnl, mkl), wide, 2, settings(true, "", dnnlFastest))));
    }

    @Test
    void aForcedMklWithoutItInTheBuildFailsWithTheProfileToBuildWith() {
        AutoBlas.Settings s = settings(true, "", javaGemmFaster);
        assertSame(mkl, autoOrForced("mkl", s, t -> mkl));
        IllegalStateException absent = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> autoOrForced("mkl", s, t -> {
                    throw new BlasProvider.NotInBuildException("Intel MKL is not part of this build: rebuild with -Pmkl");
                }));
        assertEquals("Intel MKL is not part of this build: rebuild with -Pmkl", absent.getMessage());
        assertEquals(0, javaGemmFaster.calls);
    }

    private BlasProvider autoOrForced(String flag, AutoBlas.Settings s, IntFunction<BlasProvider> mklLoader) {
        return BlasProvider.forName(flag, 2, wide, w -> fail(w), t -> fail("OpenBLAS is not asked"),
                List.of(new BlasProvider.OptionalTier("mkl", "Intel MKL", mklLoader)), s);
    }

    @Test
    void oneDnnMustBeatTheBetterOfTheOtherTwo() {
        BlasProvider p = autoWithDnnl(settings(true, "", new FixedCalibrator(rates(178, 265, 80, 60, 250))));
        assertEquals("java", p.gemmLibrary(), p.describe());
        assertFalse(p.gemmIsNative(), p.describe());
        assertTrue(p.describe().contains("GEMM on Panama (OpenBLAS 178 vs Panama 265 vs oneDNN 250 GFLOP/s"), p.describe());
        BlasProvider tie = autoWithDnnl(settings(true, "Haswell", new FixedCalibrator(rates(250, 190, 80, 60, 250))));
        assertEquals("openblas", tie.gemmLibrary(), "a tie keeps OpenBLAS: " + tie.describe());
    }

    @Test
    void aOneDnnThatCannotLoadUnderAutoWarnsAndTheOtherTwoCompete() {
        BlasProvider p = BlasProvider.forName("auto", 2, wide, warnings::add, t -> openBlas,
                t -> { throw new UnsatisfiedLinkError("no jnidnnl"); }, settings(true, "Haswell", javaGemmFaster));
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("leaves oneDNN out of its choice")
                && warnings.get(0).contains("oneDNN could not be loaded (java.lang.UnsatisfiedLinkError: no jnidnnl)"), warnings.get(0));
        assertFalse(p.gemmIsNative(), p.describe());
        assertFalse(p.describe().contains("oneDNN"), p.describe());
        assertTrue(AutoBlas.cacheKey(openBlas, List.of(), wide, 2, settings(true, "Haswell", javaGemmFaster)).contains("dnnl=none"));
    }

    @Test
    void theRuleNeverLoadsOneDnn() {
        BlasProvider p = BlasProvider.forName("auto", 2, wide, warnings::add, t -> openBlas,
                t -> fail("the rule does not consider oneDNN"), settings(false, "", javaGemmFaster));
        assertEquals("openblas", p.gemmLibrary(), p.describe());
        assertTrue(warnings.isEmpty(), warnings.toString());
    }

    @Test
    void aForcedOneDnnLoadsWithoutCalibratingOrFailsNamingTheCause() {
        AutoBlas.Settings s = settings(true, "", javaGemmFaster);
        assertSame(dnnl, BlasProvider.forName("dnnl", 2, wide, w -> fail(w), t -> fail("OpenBLAS is not asked"), t -> dnnl, s));
        IllegalStateException broken = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> BlasProvider.forName("dnnl", 2, wide, w -> fail(w), t -> openBlas,
                        t -> { throw new NoClassDefFoundError("org/bytedeco/dnnl/global/dnnl"); }, s));
        assertTrue(broken.getMessage().startsWith("oneDNN could not be loaded (java.lang.NoClassDefFoundError"), broken.getMessage());
        IllegalStateException absent = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> BlasProvider.forName(" DNNL ", 2, wide, w -> fail(w), t -> openBlas, s));
        assertTrue(absent.getMessage().contains("not part of this build"), absent.getMessage());
        assertEquals(0, javaGemmFaster.calls);
    }

    @Test
    void theCalibrationTimesOneDnnsGemmWhenItIsThere() {
        BlasCalibration small = new BlasCalibration(8, 40, 16, 24);
        BlasProvider java = BlasProvider.java(wide, 2);
        AutoBlas.Rates r = small.measure(List.of(openBlas, java, dnnl), List.of(openBlas, java), wide, 2);
        assertTrue(r.gemm().get("dnnl") > 0 && Double.isFinite(r.gemm().get("dnnl")), r.toString());
        assertEquals(List.of("openblas", "java"), List.copyOf(r.inverse().keySet()), r.toString());
        assertEquals(List.of(3, 3, 3), List.of(dnnlCalls.gemmCalls.get(), nativeCalls.gemmCalls.get(),
                javaCalls.gemmCalls.get()), "a warm-up and two timed GEMM calls each");
        assertEquals(3, nativeCalls.inverseCalls.get(), "the inverse is timed on OpenBLAS and Java only");
    }

    @Test
    void aCalibrationOnABusyMachineDecidesThisRunOnly() {
        javaGemmFaster.cpuShare = 0.3;
        BlasProvider busy = auto(2, settings(true, "Haswell", javaGemmFaster));
        assertFalse(busy.gemmIsNative(), "the measurement still decides this run");
        assertTrue(busy.startupLine().contains("on a busy machine (this process got 30% of 2 cores), so for this run only:"
                + " not cached"), busy.startupLine());
        assertFalse(Files.exists(dir.resolve("cache/calibration.properties")));
        javaGemmFaster.cpuShare = 0.9;
        auto(2, settings(true, "Haswell", javaGemmFaster));
        auto(2, settings(true, "Haswell", javaGemmFaster));
        assertEquals(2, javaGemmFaster.calls, "measured again, then cached");
    }

    @Test
    void theJavaInverseMustWinByTheMargin() {
        BlasProvider slightly = auto(2, settings(true, "", new FixedCalibrator(rates(250, 190, 70, 75))));
        assertTrue(slightly.gemmIsNative() && slightly.inverseIsNative(), slightly.describe());
        // thread count 1: another key, so a second calibration
        BlasProvider clearly = auto(1, settings(true, "", new FixedCalibrator(rates(250, 190, 50, 70))));
        assertTrue(clearly.gemmIsNative() && !clearly.inverseIsNative(), clearly.describe());
    }

    @Test
    void aCalibrationIsCachedAndAChangedKeyCalibratesAgain() throws IOException {
        auto(2, settings(true, "Haswell", javaGemmFaster));
        assertEquals(1, javaGemmFaster.calls);
        BlasProvider again = auto(2, settings(true, "Haswell", javaGemmFaster));
        assertEquals(1, javaGemmFaster.calls, "same key: read from the cache");
        assertTrue(again.describe().contains("calibrated 2026-12-06, cached in " + dir.resolve("cache/calibration.properties")), again.describe());
        assertFalse(again.gemmIsNative());

        auto(2, settings(true, "SkylakeX", javaGemmFaster));
        assertEquals(2, javaGemmFaster.calls, "OPENBLAS_CORETYPE changed");
        auto(1, settings(true, "SkylakeX", javaGemmFaster));
        assertEquals(3, javaGemmFaster.calls, "thread count changed");
        auto(2, settings(true, "Haswell", javaGemmFaster));
        assertEquals(3, javaGemmFaster.calls, "the first key's entry is still there");
        String text = Files.readString(dir.resolve("cache/calibration.properties"));
        assertTrue(text.contains("OPENBLAS_CORETYPE\\=SkylakeX") && text.contains("OPENBLAS_CORETYPE\\=Haswell")
                && text.contains("OpenBLAS 0.3.31 fake"), text);
        try (var files = Files.list(dir.resolve("cache"))) {
            assertEquals(List.of("calibration.properties"), files.map(p -> p.getFileName().toString()).toList(),
                    "no temporary file left behind");
        }
        assertTrue(warnings.isEmpty(), warnings.toString());
    }

    @Test
    void theKeyNamesEverythingThatChangesTheOutcome() {
        String key = AutoBlas.cacheKey(openBlas, List.of(), wide, 2, settings(true, "Haswell", javaGemmFaster));
        for (String part : List.of("cpu=", "cores=", "jdk=" + Runtime.version(), "blas=OpenBLAS 0.3.31 fake",
                "java=panama 512-bit", "code=" + CodeFingerprint.of(AutoBlas.class), "threads=2", "OPENBLAS_CORETYPE=Haswell", "shapes=500x20108x600 n=3072")) {
            assertTrue(key.contains(part), part + " missing from " + key);
        }
        assertFalse(key.equals(AutoBlas.cacheKey(openBlas, List.of(), KernelProvider.scalar(), 2, settings(true, "Haswell", javaGemmFaster))));
    }

    @Test
    void aCorruptCacheIsReportedRecalibratedAndReplaced() throws IOException {
        Path file = dir.resolve("cache/calibration.properties");
        Files.createDirectories(file.getParent());
        String key = AutoBlas.cacheKey(openBlas, List.of(), wide, 2, settings(true, "Haswell", javaGemmFaster));
        List<String> corruptions = List.of(
                "\u0000\u00ff garbage",
                "format=1\nentry0.key=" + key.replace("=", "\\=") + "\nentry0.date=2026-12-01\nentry0.gemm.openblas=fast\n",
                "format=1\nentry0.key=x\nentry0.date=yesterday\nentry0.gemm.openblas=1\nentry0.gemm.java=1\n"
                        + "entry0.inverse.openblas=1\nentry0.inverse.java=1\n",
                "format=1\nentry0.key=x\nentry0.date=2026-12-01\nentry0.gemm.openblas=-3\n",
                "format=1\nentry0.key=x\nentry0.date=2026-12-01\nentry0.gemm.openblas=1\n",
                "format=1\nentry0.key=x\\u00");
        int calls = 0;
        for (String bad : corruptions) {
            Files.writeString(file, bad, StandardCharsets.ISO_8859_1);
            warnings.clear();
            BlasProvider chosen = auto(2, settings(true, "Haswell", javaGemmFaster));
            assertEquals(++calls, javaGemmFaster.calls, bad);
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).contains(file.toString()) && warnings.get(0).contains("calibrating again"), warnings.get(0));
            assertFalse(chosen.gemmIsNative());
            auto(2, settings(true, "Haswell", javaGemmFaster));
            assertEquals(calls, javaGemmFaster.calls, "the replaced file is valid: " + Files.readString(file));
        }
    }

    @Test
    void anUnwritableCacheWarnsAndStillChooses() throws IOException {
        Path notADirectory = dir.resolve("file");
        Files.writeString(notADirectory, "x");
        AutoBlas.Settings s = new AutoBlas.Settings(true, notADirectory.resolve("calibration.properties"),
                Map.of("OPENBLAS_CORETYPE", ""), javaGemmFaster, DAY);
        BlasProvider chosen = auto(2, s);
        assertFalse(chosen.gemmIsNative());
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("could not write the calibration cache"), warnings.get(0));
    }

    @Test
    void withoutCalibrationTheRuleDecidesAndNothingIsTimedOrWritten() {
        BlasProvider haswell = auto(2, settings(false, "Haswell", javaGemmFaster));
        assertFalse(haswell.gemmIsNative() || haswell.inverseIsNative(), haswell.describe());
        assertTrue(haswell.describe().contains("OPENBLAS_CORETYPE=Haswell forces 256-bit kernels, narrower than the"
                + " 512-bit Panama vectors"), haswell.describe());
        for (String wider : List.of("", "SkylakeX", "cooperlake", "SomethingNew")) {
            BlasProvider p = auto(2, settings(false, wider, javaGemmFaster));
            assertTrue(p.gemmIsNative() && p.inverseIsNative(), wider + ": " + p.describe());
        }
        assertEquals(0, javaGemmFaster.calls);
        assertFalse(Files.exists(dir.resolve("cache")));
        assertTrue(AutoBlas.forcedNarrower("Haswell", 512) && !AutoBlas.forcedNarrower("Haswell", 256)
                && AutoBlas.forcedNarrower("Nehalem", 256) && !AutoBlas.forcedNarrower("", 512));
    }

    @Test
    void forcedFlagsWinAndNeverCalibrate() {
        AutoBlas.Settings s = settings(true, "Haswell", javaGemmFaster);
        BlasProvider forced = BlasProvider.forName("openblas", 2, wide, w -> fail(w), t -> openBlas, s);
        assertSame(openBlas, forced);
        BlasProvider java = BlasProvider.forName("java", 2, wide, w -> fail(w), t -> fail("java loads nothing"), s);
        assertEquals("java", java.name());
        assertSame(javaCalls.gemm, java.gemm());
        assertEquals(0, javaGemmFaster.calls);
        assertFalse(Files.exists(dir.resolve("cache")));
    }

    @Test
    void withTheScalarTierAutoIsOpenBlasWithoutCalibrating() {
        BlasProvider p = BlasProvider.forName("auto", 2, KernelProvider.scalar(), warnings::add, t -> openBlas,
                settings(true, "Haswell", javaGemmFaster));
        assertSame(openBlas, p);
        assertEquals(0, javaGemmFaster.calls);
    }

    @Test
    void theCalibrationMeasuresBothTiersOfEachOperation() {
        // small shapes: this checks that both tiers run and give finite rates, not which one is faster
        BlasCalibration small = new BlasCalibration(8, 40, 16, 24);
        BlasProvider java = BlasProvider.java(wide, 2);
        AutoBlas.Rates r = small.measure(List.of(openBlas, java), List.of(openBlas, java), wide, 2);
        for (Map<String, Double> op : List.of(r.gemm(), r.inverse())) {
            assertEquals(List.of("openblas", "java"), List.copyOf(op.keySet()), r.toString());
            op.values().forEach(rate -> assertTrue(rate > 0 && Double.isFinite(rate), r.toString()));
        }
        assertEquals(List.of(3, 3, 3, 3), List.of(javaCalls.gemmCalls.get(), javaCalls.inverseCalls.get(),
                nativeCalls.gemmCalls.get(), nativeCalls.inverseCalls.get()), "a warm-up and two timed calls each");
        assertEquals("8x40x16", small.gemmShape());
    }

    @Test
    void theCpuIdentityComesFromCpuinfo() {
        String a = CpuModel.describe("processor\t: 0\nvendor_id\t: GenuineIntel\ncpu family\t: 6\nmodel\t\t: 143\n"
                + "model name\t: Intel(R) Xeon(R) Processor\nflags\t\t: fpu avx2 avx512f\nprocessor\t: 1\nmodel name\t: other\n");
        String b = CpuModel.describe("vendor_id\t: GenuineIntel\ncpu family\t: 6\nmodel\t\t: 143\n"
                + "model name\t: Intel(R) Xeon(R) Processor\nflags\t\t: fpu avx2\n");
        assertTrue(a.startsWith("GenuineIntel 6 143  Intel(R) Xeon(R) Processor flags "), a);
        assertFalse(a.equals(b), "the same generic name with other ISA flags is another CPU");
    }
}
