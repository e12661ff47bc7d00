package dev.sparsecf.perf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Writes JMH-shaped JSON ({@code -rf json}) for tests; numbers may be given as JMH's strings ("NaN", "+INF"). */
public final class JmhJson {

    private JmhJson() {
    }

    /** A JSON value: numbers as they are, strings (JMH's "NaN", "+INF") quoted. */
    static String value(Object v) {
        return v instanceof String s ? "\"" + s + "\"" : String.format(Locale.ROOT, "%s", v);
    }

    /** A metric with its confidence interval and one fork's iteration samples. */
    public static String metric(Object score, Object error, Object low, Object high, String unit, double... samples) {
        String raw = Arrays.stream(samples).mapToObj(s -> String.format(Locale.ROOT, "%s", s))
                .collect(Collectors.joining(", "));
        return String.format(Locale.ROOT, "{\"score\": %s, \"scoreError\": %s, \"scoreConfidence\": [%s, %s], "
                        + "\"scoreUnit\": \"%s\", \"rawData\": [[%s]]}",
                value(score), value(error), value(low), value(high), unit, raw);
    }

    /** A metric whose interval is score ± error. */
    public static String metric(double score, double error, String unit, double... samples) {
        return metric(score, error, score - error, score + error, unit, samples);
    }

    /** One result; {@code secondary} maps metric names to {@link #metric} texts. */
    public static String result(String benchmark, String mode, Map<String, String> params, String primary,
                         Map<String, String> secondary) {
        String p = new TreeMap<>(params).entrySet().stream()
                .map(e -> "\"" + e.getKey() + "\": \"" + e.getValue() + "\"").collect(Collectors.joining(", "));
        String s = new TreeMap<>(secondary).entrySet().stream()
                .map(e -> "\"" + e.getKey() + "\": " + e.getValue()).collect(Collectors.joining(", "));
        return String.format(Locale.ROOT, "{\"jmhVersion\": \"1.37\", \"benchmark\": \"%s\", \"mode\": \"%s\", "
                + "\"threads\": 1, \"forks\": 1, \"jvmArgs\": [], \"params\": {%s}, \"primaryMetric\": %s, "
                + "\"secondaryMetrics\": {%s}}", benchmark, mode, p, primary, s);
    }

    /** The results as a JMH result file in {@code dir}. */
    public static Path write(Path dir, String name, String... results) throws IOException {
        return Files.writeString(dir.resolve(name), "[\n" + String.join(",\n", results) + "\n]\n");
    }
}
