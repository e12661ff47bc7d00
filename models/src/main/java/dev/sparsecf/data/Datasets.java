package dev.sparsecf.data;

import dev.sparsecf.kernels.CsrMatrix;
import dev.sparsecf.kernels.synthetic.SyntheticClicks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Resolves the data directory and loads datasets by name ({@code ml-1m}, ..., {@code synthetic[:scale]}). */
public final class Datasets {

    /** Environment variable naming the data directory; it overrides the default. */
    public static final String DATA_DIR_ENV = "SPARSECF_DATA_DIR";

    /** Seed of the named synthetic dataset, so {@code synthetic} is the same matrix on every run. */
    public static final long SYNTHETIC_SEED = 0;

    private Datasets() {
    }

    /**
     * The data directory: {@code $SPARSECF_DATA_DIR} when set, else {@code ../shared/data} relative to the
     * working directory when that exists, else {@code ./data}.
     */
    public static Path defaultDataDir() {
        return defaultDataDir(System.getenv(DATA_DIR_ENV), Path.of(""));
    }

    /** {@link #defaultDataDir()} for a given environment value (may be null) and working directory. */
    static Path defaultDataDir(String env, Path workingDir) {
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        Path shared = workingDir.resolve("..").resolve("shared").resolve("data").normalize();
        return Files.isDirectory(shared) ? shared : workingDir.resolve("data");
    }

    /**
     * The positives of dataset {@code spec}: a {@link Dataset} id, or {@code synthetic:SCALE} for the
     * ML-20M-shaped generator scaled in users ({@code synthetic} alone is scale 1.0), or
     * {@code synthetic:users=U,items=I,activity=A} (each optional) scaling users and items separately with A mean
     * clicks per user (default 73): {@code synthetic:users=1,items=10,activity=220} is 200,000+ items, 30M clicks.
     */
    public static Interactions load(String spec, Path dataDir) throws IOException {
        String name = spec.strip();
        int colon = name.indexOf(':');
        Dataset d = Dataset.byId(colon < 0 ? name : name.substring(0, colon));
        if (d == Dataset.SYNTHETIC) {
            double scale = 1.0;
            if (colon >= 0 && name.indexOf('=', colon) >= 0) {
                return synthetic(name.substring(colon + 1), spec);
            }
            if (colon >= 0) {
                try {
                    scale = Double.parseDouble(name.substring(colon + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("bad synthetic scale in '" + spec + "'; expected e.g. synthetic:0.1");
                }
            }
            return synthetic(scale, SYNTHETIC_SEED);
        }
        if (colon >= 0) {
            throw new IllegalArgumentException("dataset '" + d.id() + "' takes no parameter, got '" + spec + "'");
        }
        return d.loadPositives(dataDir);
    }

    /** {@code users=U,items=I,activity=A}: scales of the ML-20M shape's users and items, mean clicks per user. */
    private static Interactions synthetic(String params, String spec) {
        double users = 1;
        double items = 1;
        double activity = SyntheticClicks.ML20M_MEAN_ACTIVITY;
        for (String kv : params.split(",")) {
            int eq = kv.indexOf('=');
            double v;
            try {
                v = Double.parseDouble(kv.substring(eq + 1).strip());
            } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
                v = Double.NaN;
            }
            String key = eq < 0 ? kv.strip() : kv.substring(0, eq).strip();
            if (!(v > 0) || Double.isInfinite(v) || !List.of("users", "items", "activity").contains(key)) {
                throw new IllegalArgumentException("bad synthetic parameter '" + kv + "' in '" + spec + "'; expected e.g."
                        + " synthetic:users=1.0,items=10,activity=220 (positive scales of 136,677 users and 20,108 items,"
                        + " mean clicks per user)");
            }
            switch (key) {
                case "users" -> users = v;
                case "items" -> items = v;
                default -> activity = v;
            }
        }
        int u = Math.max(1, (int) Math.round(SyntheticClicks.ML20M_USERS * users));
        int n = Math.max(1, (int) Math.round(SyntheticClicks.ML20M_ITEMS * items));
        if (!(activity >= SyntheticClicks.MIN_ACTIVITY)) {
            throw new IllegalArgumentException("synthetic activity must be >= " + SyntheticClicks.MIN_ACTIVITY + " clicks per"
                    + " user, got " + activity + " in '" + spec + "'");
        }
        try (CsrMatrix m = SyntheticClicks.generate(u, n, activity, SYNTHETIC_SEED)) {
            return Interactions.fromCsr(String.format(Locale.ROOT, "synthetic (%,d users x %,d items, %s clicks per user,"
                    + " seed %d)", u, n, activity, SYNTHETIC_SEED), m);
        }
    }

    /** ML-20M-shaped synthetic clicks with {@code scale * 136,677} users and 20,108 items; ids are the indices. */
    public static Interactions synthetic(double scale, long seed) {
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("synthetic scale must be a positive number, got " + scale);
        }
        try (CsrMatrix m = SyntheticClicks.ml20mShape(scale, seed)) {
            return Interactions.fromCsr(String.format(Locale.ROOT, "synthetic (ML-20M shape, scale %s, seed %d)", scale, seed), m);
        }
    }
}
