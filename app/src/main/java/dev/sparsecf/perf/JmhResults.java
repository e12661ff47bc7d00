package dev.sparsecf.perf;

import dev.sparsecf.render.TextTable;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a JMH JSON result file ({@code -rf json}) and builds the comparison table printed after a run:
 * score, bandwidth and flop rate from the {@code bytes}/{@code flops} aux counters, and each panama result's
 * speed-up over the scalar result with the same benchmark and other params, from the same file.
 */
public final class JmhResults {

    /** The baseline implementation every speed-up is relative to. */
    public static final String BASELINE = "scalar";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JmhResults() {
    }

    /**
     * One metric: {@code score ± error} in {@code unit} ("ops/s", "ms/op", ...), JMH's confidence interval
     * {@code [low, high]} and the per-iteration {@code samples} of every fork (empty when JMH kept none);
     * non-finite values are NaN/inf.
     */
    public record Metric(double score, double error, String unit, double low, double high, List<Double> samples) {

        /** Whether a higher score is better: throughput units ("ops/...") are, time-per-op units are not. */
        public boolean higherIsBetter() {
            return unit.startsWith("ops/");
        }

        /** This throughput in events per second (the unit's time base converted), or NaN for time-per-op units. */
        double perSecond() {
            if (!higherIsBetter()) {
                return Double.NaN;
            }
            return score / seconds(unit.substring("ops/".length()));
        }

        /** {@code value}, a score in this metric's unit, as operations per second: throughput and time per op alike. */
        public double opsPerSecond(double value) {
            if (higherIsBetter()) {
                return value / seconds(unit.substring("ops/".length()));
            }
            int slash = unit.indexOf('/');
            return slash < 0 ? Double.NaN : 1 / (value * seconds(unit.substring(0, slash)));
        }

        /** The median of the samples (robust to one disturbed iteration), or the score when there are none. */
        public double median() {
            if (samples.isEmpty()) {
                return score;
            }
            double[] s = samples.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            int mid = s.length / 2;
            return s.length % 2 == 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
        }

        /** Whether JMH gave a finite confidence interval (it does not for a single measured iteration). */
        public boolean hasConfidence() {
            return Double.isFinite(low) && Double.isFinite(high);
        }
    }

    /** Seconds in one of JMH's time units ("ns", "us", "ms", "s", "min", "hr", "day"), NaN for others. */
    private static double seconds(String timeUnit) {
        return switch (timeUnit) {
            case "ns" -> 1e-9;
            case "us" -> 1e-6;
            case "ms" -> 1e-3;
            case "s" -> 1;
            case "min" -> 60;
            case "hr" -> 3600;
            case "day" -> 86_400;
            default -> Double.NaN;
        };
    }

    /**
     * One benchmark result: {@code benchmark} is the JMH name (class.method), {@code mode} JMH's mode id
     * ("thrpt", "avgt", "sample", "ss"), {@code params} its JMH params, {@code jvmArgs} the flags its forks ran with.
     */
    public record Result(String benchmark, String mode, Map<String, String> params, Metric primary,
                  Map<String, Metric> secondary, List<String> jvmArgs) {

        /** Whether a higher score is better: from the mode (throughput is; time modes are not), else from the unit. */
        public boolean higherIsBetter() {
            return switch (mode) {
                case "thrpt" -> true;
                case "avgt", "sample", "ss" -> false;
                default -> primary.higherIsBetter();
            };
        }

        /** The benchmark and all its params, sorted: what identifies a result across runs. */
        public String key() {
            return benchmark + new TreeMap<>(params);
        }

        /** The benchmark method's name ("spmm"), plus any params besides impl and shape. */
        String kernel() {
            String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
            Map<String, String> other = new TreeMap<>(params);
            other.remove("impl");
            other.remove("shape");
            return other.isEmpty() ? method : method + " " + other;
        }

        public String impl() {
            return params.getOrDefault("impl", "");
        }

        String shape() {
            return params.getOrDefault("shape", "");
        }

        /** "SpmmBenchmark.spmm": the benchmark's class and method without the package. */
        public String shortName() {
            int method = benchmark.lastIndexOf('.');
            return method < 0 ? benchmark : benchmark.substring(benchmark.lastIndexOf('.', method - 1) + 1);
        }

        /** Results with equal keys differ only in impl, so their scores compare. */
        String comparisonKey() {
            Map<String, String> other = new TreeMap<>(params);
            other.remove("impl");
            return benchmark + other;
        }

        /** The aux counter {@code name} as a rate in units per second, or NaN when absent. */
        double ratePerSecond(String name) {
            Metric m = secondary.get(name);
            return m == null ? Double.NaN : m.perSecond();
        }
    }

    /**
     * A table row: a result with its bandwidth, flop rate ({@code flops}, or {@code flops64} for a float64 benchmark)
     * and speed-up over the baseline (NaN when not applicable).
     */
    record Row(Result result, double gbPerSecond, double gflopPerSecond, double speedup) {
    }

    /** Parses the JSON array JMH writes; JMH writes non-finite numbers as the strings "NaN", "+INF", "-INF". */
    public static List<Result> parse(String json) throws IOException {
        JsonNode root = MAPPER.readTree(json);
        if (!isResultArray(root)) {
            throw new IOException("not a JMH JSON result file: expected a top-level array");
        }
        return parse(root);
    }

    /** Reads a JMH JSON result file; errors name the file and, for broken JSON, the line. */
    public static List<Result> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file + ": no such file");
        }
        JsonNode root = readTree(file);
        if (!isResultArray(root)) {
            throw new IOException(file
                    + ": not a JMH JSON result file (expected the array that JMH's -rf json writes)");
        }
        return parse(root);
    }

    /** The JSON tree of {@code file}; a syntax error becomes an IOException naming the file and line. */
    public static JsonNode readTree(Path file) throws IOException {
        try {
            return MAPPER.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new IOException(file + ": not valid JSON at line " + e.getLocation().getLineNr() + ": "
                    + e.getOriginalMessage(), e);
        }
    }

    /** Whether {@code root} has the shape JMH writes: an array of objects with a benchmark and a primary metric. */
    static boolean isResultArray(JsonNode root) {
        if (root == null || !root.isArray()) {
            return false;
        }
        for (JsonNode r : root) {
            if (!r.path("benchmark").isTextual() || !r.path("primaryMetric").isObject()) {
                return false;
            }
        }
        return true;
    }

    /** The results in a tree that {@link #isResultArray} accepts. */
    public static List<Result> parse(JsonNode root) {
        List<Result> results = new ArrayList<>();
        for (JsonNode r : root) {
            Map<String, String> params = new LinkedHashMap<>();
            r.path("params").properties().forEach(e -> params.put(e.getKey(), e.getValue().asText()));
            Map<String, Metric> secondary = new LinkedHashMap<>();
            r.path("secondaryMetrics").properties().forEach(e -> secondary.put(e.getKey(), metric(e.getValue())));
            List<String> jvmArgs = new ArrayList<>();
            r.path("jvmArgs").forEach(a -> jvmArgs.add(a.asText()));
            results.add(new Result(r.path("benchmark").asText(), r.path("mode").asText(),
                    Collections.unmodifiableMap(params), metric(r.path("primaryMetric")),
                    Collections.unmodifiableMap(secondary), List.copyOf(jvmArgs)));
        }
        return results;
    }

    private static Metric metric(JsonNode m) {
        double score = number(m.get("score"));
        JsonNode confidence = m.path("scoreConfidence");
        List<Double> samples = new ArrayList<>();
        m.path("rawData").forEach(fork -> fork.forEach(v -> samples.add(number(v))));
        return new Metric(score, number(m.get("scoreError")), m.path("scoreUnit").asText(),
                number(confidence.get(0)), number(confidence.get(1)), List.copyOf(samples));
    }

    /** A JSON number, or one of JMH's non-finite strings; anything else (absent, null) is NaN. */
    static double number(JsonNode n) {
        if (n == null || n.isNull()) {
            return Double.NaN;
        }
        if (n.isNumber()) {
            return n.doubleValue();
        }
        return switch (n.asText()) {
            case "+INF", "INF", "Infinity" -> Double.POSITIVE_INFINITY;
            case "-INF", "-Infinity" -> Double.NEGATIVE_INFINITY;
            default -> Double.NaN;
        };
    }

    /** Rows in file order with rates and speed-ups; only results of the same run (list) are compared. */
    public static List<Row> rows(List<Result> results) {
        Map<String, Result> baselines = new HashMap<>();
        for (Result r : results) {
            if (r.impl().equals(BASELINE)) {
                baselines.put(r.comparisonKey(), r);
            }
        }
        List<Row> rows = new ArrayList<>();
        for (Result r : results) {
            Result base = baselines.get(r.comparisonKey());
            double speedup = Double.NaN;
            if (base != null && base != r && base.primary().unit().equals(r.primary().unit())) {
                speedup = r.primary().higherIsBetter()
                        ? r.primary().score() / base.primary().score()
                        : base.primary().score() / r.primary().score();
            }
            // float64 benchmarks (the SPD inverse) count flops64 instead of flops
            double flops = r.ratePerSecond("flops");
            rows.add(new Row(r, r.ratePerSecond("bytes") / 1e9, (Double.isNaN(flops) ? r.ratePerSecond("flops64") : flops) / 1e9,
                    speedup));
        }
        return rows;
    }

    /** The rows as an aligned text table: kernel, shape, impl, score ± error, GB/s, GFLOP/s, speed-up. */
    public static String table(List<Row> rows) {
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[] {"kernel", "shape", "impl", "score", "± error", "unit", "GB/s", "GFLOP/s",
                "vs " + BASELINE});
        for (Row row : rows) {
            Result r = row.result();
            cells.add(new String[] {r.kernel(), r.shape(), r.impl(), format(r.primary().score()),
                    "± " + format(r.primary().error()), r.primary().unit(), format(row.gbPerSecond()),
                    format(row.gflopPerSecond()),
                    Double.isNaN(row.speedup()) ? "-" : String.format(Locale.ROOT, "%.2fx", row.speedup())});
        }
        // text columns left-aligned, numbers right-aligned
        return TextTable.render(cells, c -> c < 3 || c == 5);
    }

    /** Three significant digits or more: 0.0123, 1.23, 123.4, 12,345; "-" for NaN. */
    public static String format(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        double a = Math.abs(v);
        if (a >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (a >= 10 || a == 0) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.3g", v);
    }
}
