package dev.sparsecf.kernels;

import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What {@code -Dsparsecf.blas=auto} runs when both OpenBLAS and the Panama kernels are there: per operation the fastest
 * of its candidate tiers on this machine (GEMM: OpenBLAS, the Java tier, then each optional native tier that loaded,
 * oneDNN and MKL; SPD inverse: the fastest native inverse of OpenBLAS and the optional tiers that have their own (MKL),
 * unless the Java tier beats it by a margin). Decided by a short calibration ({@link BlasCalibration}),
 * cached per machine key ({@link CalibrationCache}: CPU, JDK, the native builds, Java tier and its code, threads and
 * the OpenBLAS environment), or, with {@code -Dsparsecf.calibrate=false}, by {@link #rule}. The one start-up line says which and
 * why.
 */
final class AutoBlas {

    /** {@code false} replaces the calibration by the rule. */
    static final String CALIBRATE_PROPERTY = "sparsecf.calibrate";
    /** The same for child JVMs (the launcher's integration tests): used when the property is not set. */
    static final String CALIBRATE_ENV = "SPARSECF_CALIBRATE";
    /** The cache file; default {@code $XDG_CACHE_HOME/sparsecf/calibration.properties} or {@code ~/.cache/...}. */
    static final String CACHE_PROPERTY = "sparsecf.calibrationFile";
    /**
     * The Java SPD inverse must beat OpenBLAS by this factor at the calibration size: OpenBLAS gains with n (its rate
     * over Panama's grew from 1.51x to 1.62x on an Intel Xeon and from 1.57x to 1.82x on an AMD EPYC Zen 2 between
     * n = 2,000 and 8,000; results/*-full.json), and EASE inverts at n in the tens of thousands.
     */
    static final double INVERSE_MARGIN = 1.1;
    /**
     * A calibration during which this process got less than this share of its threads' CPU time (other processes
     * ran on the same cores) measured the machine's load, not the tiers: it decides this run only and is not cached.
     */
    static final double BUSY_CPU_SHARE = 0.6;

    private AutoBlas() {
    }

    /**
     * GFLOP/s at the calibration shapes per operation and tier, keyed by the tier's {@link BlasProvider#name()}
     * ({@code openblas}, {@code java}, {@code dnnl}); a tier not measured has no entry.
     */
    record Rates(Map<String, Double> gemm, Map<String, Double> inverse) {

        Rates {
            gemm = Collections.unmodifiableMap(new LinkedHashMap<>(gemm));
            inverse = Collections.unmodifiableMap(new LinkedHashMap<>(inverse));
        }

        /** Whether every one of these tiers was measured for its operation. */
        boolean covers(List<BlasProvider> gemmTiers, List<BlasProvider> inverseTiers) {
            return gemmTiers.stream().allMatch(t -> gemm.containsKey(t.name()))
                    && inverseTiers.stream().allMatch(t -> inverse.containsKey(t.name()));
        }
    }

    /** Times the tiers (production: {@link BlasCalibration}; tests inject fixed rates). */
    interface Calibrator {
        /** The rate of each tier of each operation, keyed by the tier's name. */
        Rates measure(List<BlasProvider> gemmTiers, List<BlasProvider> inverseTiers, KernelProvider kernels, int threads);

        /**
         * The share of {@code threads} cores this process used during the last {@link #measure} (process CPU time
         * over wall time times threads); 1 where unknown.
         */
        default double lastCpuShare() {
            return 1;
        }

        /** The shapes measured, for the start-up line and the cache key, e.g. {@code 500x20108x600}. */
        String gemmShape();

        int inverseN();
    }

    /** How {@code auto} decides: calibrate or not, where the cache lives, the OpenBLAS environment, the clock. */
    record Settings(boolean calibrate, Path cacheFile, Map<String, String> environment, Calibrator calibrator, Clock clock) {

        /**
         * From {@code -Dsparsecf.calibrate} (else {@code $SPARSECF_CALIBRATE}), {@code -Dsparsecf.calibrationFile} and
         * the process environment.
         */
        static Settings fromSystem() {
            String flag = System.getProperty(CALIBRATE_PROPERTY, Optional.ofNullable(System.getenv(CALIBRATE_ENV)).orElse("true"));
            boolean calibrate = !"false".equalsIgnoreCase(flag.trim());
            String file = System.getProperty(CACHE_PROPERTY);
            Path cache = file != null && !file.isBlank() ? Path.of(file) : defaultCacheFile();
            Map<String, String> env = new LinkedHashMap<>();
            // OMP_WAIT_POLICY and GOMP_SPINCOUNT: how oneDNN's OpenMP threads wait between calls
            for (String name : new String[] {"OPENBLAS_CORETYPE", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS",
                    "OMP_WAIT_POLICY", "GOMP_SPINCOUNT"}) {
                env.put(name, Optional.ofNullable(System.getenv(name)).orElse(""));
            }
            return new Settings(calibrate, cache, env, new BlasCalibration(), Clock.systemUTC());
        }

        private static Path defaultCacheFile() {
            String xdg = System.getenv("XDG_CACHE_HOME");
            Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
            return base.resolve("sparsecf").resolve("calibration.properties");
        }

        String coreType() {
            return environment.getOrDefault("OPENBLAS_CORETYPE", "");
        }
    }

    /**
     * The tier per operation with the reason, for {@code kernels} with vectors wider than a float (Panama); the
     * {@code optional} native tiers that loaded compete for GEMM, and for the inverse those with their own, when
     * calibrating.
     */
    static BlasProvider choose(BlasProvider openBlas, BlasProvider java, List<BlasProvider> optional, KernelProvider kernels,
                               int threads, Settings settings, Consumer<String> warn) {
        String javaName = java.label();
        if (!settings.calibrate()) {
            boolean narrow = forcedNarrower(settings.coreType(), kernels.vectorBitSize());
            String why = narrow
                    ? "OPENBLAS_CORETYPE=" + settings.coreType() + " forces " + coreBits(settings.coreType())
                            + "-bit kernels, narrower than the " + kernels.vectorBitSize() + "-bit " + javaName + " vectors"
                    : settings.coreType().isEmpty() ? "OPENBLAS_CORETYPE unset"
                            : "OPENBLAS_CORETYPE=" + settings.coreType() + " is not narrower than the " + javaName + " vectors";
            String tier = narrow ? javaName : "OpenBLAS";
            return new Chosen(narrow ? java : openBlas, narrow ? java : openBlas, openBlas, String.format(Locale.ROOT,
                    "by rule (-D%s=false): GEMM and SPD inverse on %s (%s); %s",
                    CALIBRATE_PROPERTY, tier, why, openBlas.describe()));
        }
        // the candidates in the order that breaks ties: OpenBLAS, then the Java tier, then the optional tiers
        List<BlasProvider> gemmTiers = new ArrayList<>(List.of(openBlas, java));
        gemmTiers.addAll(optional);
        List<BlasProvider> nativeInverses = new ArrayList<>(List.of(openBlas));
        optional.stream().filter(t -> t.inverseIsNative() && !t.inverseLibrary().equals(openBlas.inverseLibrary()))
                .forEach(nativeInverses::add);
        List<BlasProvider> inverseTiers = new ArrayList<>(nativeInverses);
        inverseTiers.add(1, java);
        CalibrationCache cache = new CalibrationCache(settings.cacheFile(), warn);
        String key = cacheKey(openBlas, optional, kernels, threads, settings);
        Optional<CalibrationCache.Entry> cached = cache.lookup(key).filter(e -> e.rates().covers(gemmTiers, inverseTiers));
        long t0 = System.nanoTime();
        String when;
        CalibrationCache.Entry entry;
        if (cached.isPresent()) {
            entry = cached.get();
            when = "calibrated " + entry.date() + ", cached in " + settings.cacheFile();
        } else {
            entry = new CalibrationCache.Entry(key, LocalDate.now(settings.clock()),
                    settings.calibrator().measure(gemmTiers, inverseTiers, kernels, threads));
            double share = settings.calibrator().lastCpuShare();
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (share < BUSY_CPU_SHARE) {
                when = String.format(Locale.ROOT, "calibrated now in %.1f s on a busy machine (this process got %.0f%% of"
                        + " %d cores), so for this run only: not cached", seconds, 100 * share, threads);
            } else {
                cache.store(entry);
                when = String.format(Locale.ROOT, "calibrated now in %.1f s, saved to %s", seconds, settings.cacheFile());
            }
        }
        Rates r = entry.rates();
        Function<BlasProvider, String> label = BlasProvider::label;
        BlasProvider gemmTier = fastest(gemmTiers, r.gemm());
        BlasProvider nativeInverse = fastest(nativeInverses, r.inverse());
        BlasProvider inverseTier = r.inverse().get(java.name()) < INVERSE_MARGIN * r.inverse().get(nativeInverse.name())
                ? nativeInverse : java;
        String reason = String.format(Locale.ROOT,
                "GEMM on %s (%s GFLOP/s at %s), SPD inverse on %s (%s GFLOP/s at n=%d); %s (-D%s=false: by rule); %s%s",
                label.apply(gemmTier), rateList(gemmTiers, r.gemm(), label), settings.calibrator().gemmShape(),
                label.apply(inverseTier), rateList(inverseTiers, r.inverse(), label), settings.calibrator().inverseN(),
                when, CALIBRATE_PROPERTY, openBlas.describe(), optionalBuilds(optional, gemmTier, inverseTier));
        return new Chosen(gemmTier, inverseTier, openBlas, reason);
    }

    /**
     * "; GEMM on <build>" for each chosen optional tier (their describe() names tiers for the other operation that auto
     * may not have chosen, so only the build is shown).
     */
    private static String optionalBuilds(List<BlasProvider> optional, BlasProvider gemmTier, BlasProvider inverseTier) {
        StringBuilder sb = new StringBuilder();
        for (BlasProvider t : optional) {
            boolean gemm = t == gemmTier;
            boolean inverse = t == inverseTier;
            if (gemm || inverse) {
                sb.append("; ").append(gemm && inverse ? "GEMM and SPD inverse" : gemm ? "GEMM" : "SPD inverse")
                        .append(" on ").append(t.build());
            }
        }
        return sb.toString();
    }

    /** The first of the fastest tiers (a later tier must be strictly faster). */
    private static BlasProvider fastest(List<BlasProvider> tiers, Map<String, Double> rates) {
        BlasProvider best = tiers.get(0);
        for (BlasProvider t : tiers) {
            if (rates.get(t.name()) > rates.get(best.name())) {
                best = t;
            }
        }
        return best;
    }

    /** "OpenBLAS 250 vs Panama 190 vs oneDNN 300". */
    private static String rateList(List<BlasProvider> tiers, Map<String, Double> rates, Function<BlasProvider, String> label) {
        return tiers.stream().map(t -> String.format(Locale.ROOT, "%s %.0f", label.apply(t), rates.get(t.name())))
                .collect(Collectors.joining(" vs "));
    }

    /**
     * Everything that can change the outcome of a calibration (among it each optional tier's build, or {@code none});
     * a change means a new calibration.
     */
    static String cacheKey(BlasProvider openBlas, List<BlasProvider> optional, KernelProvider kernels, int threads,
                           Settings settings) {
        Map<String, String> key = new LinkedHashMap<>();
        key.put("cpu", CpuModel.name());
        key.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        key.put("jdk", Runtime.version() + " " + System.getProperty("java.vm.name", ""));
        key.put("blas", openBlas.build());
        for (String name : BlasProvider.OPTIONAL_TIERS) {
            key.put(name, optional.stream().filter(t -> t.name().equals(name)).findFirst().map(BlasProvider::build)
                    .orElse("none"));
        }
        key.put("java", kernels.name() + " " + kernels.vectorBitSize() + "-bit");
        key.put("code", CodeFingerprint.of(AutoBlas.class)); // new Java kernels, new measurement
        key.put("threads", Integer.toString(threads));
        key.putAll(settings.environment());
        key.put("shapes", settings.calibrator().gemmShape() + " n=" + settings.calibrator().inverseN());
        StringBuilder sb = new StringBuilder();
        key.forEach((k, v) -> sb.append(sb.isEmpty() ? "" : "; ").append(k).append('=').append(v));
        return sb.toString();
    }

    /**
     * The rule (used when calibration is off): OpenBLAS, unless {@code OPENBLAS_CORETYPE} forces kernels narrower
     * than the Java tier's vectors. Evidence (GEMM at 500 x 20,108 x 600, 2 threads): an Intel Xeon with AVX-512,
     * OpenBLAS's own kernels 247 vs Panama 188 GFLOP/s, with {@code OPENBLAS_CORETYPE=Haswell} 177 vs 186
     * (results/gemm-coretype); an AMD EPYC Zen 5 with Haswell forced, 178 vs 265 (issue #19); an AMD EPYC Zen 2
     * (AVX2), OpenBLAS ahead 1.3x (results/amd-epyc-avx2-2c).
     */
    static boolean forcedNarrower(String coreType, int javaBits) {
        int bits = coreBits(coreType);
        return bits > 0 && bits < javaBits;
    }

    /** The widest float vectors of an OpenBLAS core type's kernels; 0 if unset or unknown. */
    static int coreBits(String coreType) {
        return switch (coreType.trim().toLowerCase(Locale.ROOT)) {
            case "skylakex", "cooperlake", "sapphirerapids" -> 512;
            case "haswell", "zen", "sandybridge", "bulldozer", "piledriver", "steamroller", "excavator" -> 256;
            case "nehalem", "core2", "penryn", "dunnington", "prescott", "atom", "opteron", "opteron_sse3",
                 "barcelona", "bobcat", "nano", "katmai", "coppermine", "northwood" -> 128;
            default -> 0;
        };
    }

    /**
     * A tier whose GEMM and SPD inverse may come from different tiers; the float32 inverse is the inverse tier's, or
     * OpenBLAS's when that has none (the Java tier inverts in double only).
     */
    static final class Chosen extends BlasProvider {

        private final BlasProvider gemmTier;
        private final BlasProvider inverseTier;
        private final String reason;

        Chosen(BlasProvider gemmTier, BlasProvider inverseTier, BlasProvider openBlas, String reason) {
            // the batched SPD solves factorise like the inverse, so they follow the inverse's tier
            super(gemmTier.gemm(), inverseTier.choleskyInverse(),
                    inverseTier.floatCholeskyInverse().or(openBlas::floatCholeskyInverse).orElse(null),
                    inverseTier.spdSolve());
            this.gemmTier = gemmTier;
            this.inverseTier = inverseTier;
            this.reason = reason;
        }

        @Override
        public String name() {
            return "auto";
        }

        @Override
        public String describe() {
            return reason;
        }

        @Override
        public boolean isNative() {
            return gemmIsNative() || inverseIsNative();
        }

        @Override
        public boolean gemmIsNative() {
            return gemmTier.isNative();
        }

        @Override
        public String gemmLibrary() {
            return gemmTier.gemmLibrary();
        }

        @Override
        public boolean inverseIsNative() {
            return inverseTier.isNative();
        }

        @Override
        public String inverseLibrary() {
            return inverseTier.inverseLibrary();
        }

        /** The tier running GEMM (tests check that the chosen one is the one called). */
        BlasProvider gemmTier() {
            return gemmTier;
        }

        BlasProvider inverseTier() {
            return inverseTier;
        }
    }
}
