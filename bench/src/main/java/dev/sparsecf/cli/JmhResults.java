package dev.sparsecf.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
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
final class JmhResults {

    /** The baseline implementation every speed-up is relative to. */
    static final String BASELINE = "scalar";

    private JmhResults() {
    }

    /** One metric: {@code score ± error} in {@code unit} ("ops/s", "ms/op", ...); non-finite values are NaN/inf. */
    record Metric(double score, double error, String unit) {

        /** Whether a higher score is better: throughput units ("ops/...") are, time-per-op units are not. */
        boolean higherIsBetter() {
            return unit.startsWith("ops/");
        }

        /** This throughput in events per second (the unit's time base converted), or NaN for time-per-op units. */
        double perSecond() {
            if (!higherIsBetter()) {
                return Double.NaN;
            }
            double seconds = switch (unit.substring("ops/".length())) {
                case "ns" -> 1e-9;
                case "us" -> 1e-6;
                case "ms" -> 1e-3;
                case "s" -> 1;
                case "min" -> 60;
                case "hr" -> 3600;
                case "day" -> 86_400;
                default -> Double.NaN;
            };
            return score / seconds;
        }
    }

    /**
     * One benchmark result: {@code benchmark} is the JMH name (class.method), {@code params} its JMH params,
     * {@code jvmArgs} the flags its forks ran with.
     */
    record Result(String benchmark, Map<String, String> params, Metric primary, Map<String, Metric> secondary,
                  List<String> jvmArgs) {

        /** The benchmark method's name ("spmm"), plus any params besides impl and shape. */
        String kernel() {
            String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
            Map<String, String> other = new TreeMap<>(params);
            other.remove("impl");
            other.remove("shape");
            return other.isEmpty() ? method : method + " " + other;
        }

        String impl() {
            return params.getOrDefault("impl", "");
        }

        String shape() {
            return params.getOrDefault("shape", "");
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

    /** A table row: a result with its bandwidth, flop rate and speed-up over the baseline (NaN when not applicable). */
    record Row(Result result, double gbPerSecond, double gflopPerSecond, double speedup) {
    }

    /** Parses the JSON array JMH writes; JMH writes non-finite numbers as the strings "NaN", "+INF", "-INF". */
    static List<Result> parse(String json) throws IOException {
        JsonNode root = new ObjectMapper().readTree(json);
        if (root == null || !root.isArray()) {
            throw new IOException("not a JMH JSON result file: expected a top-level array");
        }
        List<Result> results = new ArrayList<>();
        for (JsonNode r : root) {
            Map<String, String> params = new LinkedHashMap<>();
            r.path("params").properties().forEach(e -> params.put(e.getKey(), e.getValue().asText()));
            Map<String, Metric> secondary = new LinkedHashMap<>();
            r.path("secondaryMetrics").properties().forEach(e -> secondary.put(e.getKey(), metric(e.getValue())));
            List<String> jvmArgs = new ArrayList<>();
            r.path("jvmArgs").forEach(a -> jvmArgs.add(a.asText()));
            results.add(new Result(r.path("benchmark").asText(), Collections.unmodifiableMap(params),
                    metric(r.path("primaryMetric")), Collections.unmodifiableMap(secondary), List.copyOf(jvmArgs)));
        }
        return results;
    }

    private static Metric metric(JsonNode m) {
        return new Metric(number(m.get("score")), number(m.get("scoreError")), m.path("scoreUnit").asText());
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
    static List<Row> rows(List<Result> results) {
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
            rows.add(new Row(r, r.ratePerSecond("bytes") / 1e9, r.ratePerSecond("flops") / 1e9, speedup));
        }
        return rows;
    }

    /** The rows as an aligned text table: kernel, shape, impl, score ± error, GB/s, GFLOP/s, speed-up. */
    static String table(List<Row> rows) {
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
        int[] width = new int[cells.get(0).length];
        for (String[] line : cells) {
            for (int c = 0; c < line.length; c++) {
                width[c] = Math.max(width[c], line[c].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] line : cells) {
            for (int c = 0; c < line.length; c++) {
                // text columns left-aligned, numbers right-aligned
                String fmt = c < 3 || c == 5 ? "%-" + width[c] + "s" : "%" + width[c] + "s";
                sb.append(c == 0 ? "" : "  ").append(String.format(Locale.ROOT, fmt, line[c]));
            }
            sb.append(System.lineSeparator());
        }
        return sb.toString();
    }

    /** Three significant digits or more: 0.0123, 1.23, 123.4, 12,345; "-" for NaN. */
    static String format(double v) {
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
