package dev.sparsecf.perf.gate;

import dev.sparsecf.perf.JmhResults;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.Options;

/**
 * The roofline half of the CI gate: probe benchmarks for the machine's memory bandwidth and FMA throughput run in
 * the same gate session as the kernels, and a kernel's rate (its {@code bytes} or {@code flops} counter, best
 * iteration) must reach a floor fraction of its bound's probe (best iteration too). Unlike a speed-up over the
 * scalar loop, which C2's auto-vectorization of that loop makes swing, the fraction catches a real loss of the fast
 * kernel on any CPU without absolute numbers.
 */
public final class Roofline {

    /** What bounds a kernel, with the aux counter that measures it and its display unit (rate / 1e9). */
    public enum Bound {
        MEMORY("bytes", "GB/s"),
        FMA("flops", "GFLOP/s");

        final String counter;
        final String unit;

        Bound(String counter, String unit) {
            this.counter = counter;
            this.unit = unit;
        }

        /** The gates-file spelling: "memory" or "fma". */
        String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Bound parse(String where, String field, String text) throws IOException {
            for (Bound b : values()) {
                if (b.id().equals(text)) {
                    return b;
                }
            }
            throw new IOException(where + ": " + field + " must be \"memory\" or \"fma\", got " + text);
        }
    }

    /** The probe benchmark of each bound ("PeakProbeBenchmark.triad"), from the gates file's {@code probes}. */
    public record Probes(Map<Bound, String> benchmarks) {
    }

    private Roofline() {
    }

    /** Reads {@code "probes": {"memory": "...", "fma": "..."}}; both are required. */
    static Probes readProbes(String where, JsonNode probes) throws IOException {
        if (probes == null || !probes.isObject()) {
            throw new IOException(where + ": probes must be a JSON object naming the memory and fma probe benchmarks");
        }
        Map<Bound, String> names = new EnumMap<>(Bound.class);
        for (Map.Entry<String, JsonNode> e : probes.properties()) {
            Bound b = Bound.parse(where, "a key of probes", e.getKey());
            if (!e.getValue().isTextual() || e.getValue().asText().isBlank()) {
                throw new IOException(where + ": probes." + e.getKey() + " must name a benchmark, got " + e.getValue());
            }
            names.put(b, e.getValue().asText());
        }
        for (Bound b : Bound.values()) {
            if (!names.containsKey(b)) {
                throw new IOException(where + ": probes." + b.id() + " is missing");
            }
        }
        return new Probes(Map.copyOf(names));
    }

    /** The best iteration's rate of {@code counter} in {@code r} (per second), NaN when it has none. */
    static double bestRate(JmhResults.Result r, String counter) {
        JmhResults.Metric m = r.secondary().get(counter);
        if (m == null) {
            return Double.NaN;
        }
        return RatioGate.best(m);
    }

    /** Each bound's probe rate from {@code results} (per second), NaN where the probe is missing or ambiguous. */
    static Map<Bound, Double> probeRates(Probes probes, List<JmhResults.Result> results) {
        Map<Bound, Double> rates = new EnumMap<>(Bound.class);
        for (Map.Entry<Bound, String> p : probes.benchmarks().entrySet()) {
            List<JmhResults.Result> found = results.stream().filter(r -> named(r, p.getValue())).toList();
            rates.put(p.getKey(), found.size() == 1 ? bestRate(found.getFirst(), p.getKey().counter) : Double.NaN);
        }
        return rates;
    }

    static boolean named(JmhResults.Result r, String benchmark) {
        return r.benchmark().equals(benchmark) || r.benchmark().endsWith("." + benchmark);
    }

    /** "38% of 61.2 GB/s (memory)": a fraction and the probe rate it is of. */
    static String describe(double fraction, Bound bound, double probeRate) {
        return String.format(Locale.ROOT, "%.0f%% of %.1f %s (%s)", 100 * fraction, probeRate / 1e9, bound.unit,
                bound.id());
    }

    /** The probe rates as one line for the gate's output. */
    static String probeLine(Map<Bound, Double> rates) {
        List<String> parts = new ArrayList<>();
        rates.forEach((b, v) -> parts.add(String.format(Locale.ROOT, "%s %.1f %s", b.id(), v / 1e9, b.unit)));
        return "roofline probes (best iteration): " + String.join(", ", parts);
    }

    /** The JMH options that measure every probe with {@code threads} kernel threads into {@code resultFile}. */
    static Options options(Probes probes, RatioGate.RunSettings run, int threads, Path resultFile) {
        ChainedOptionsBuilder b = RatioGate.session(run, threads, resultFile);
        probes.benchmarks().values().forEach(name -> b.include("(^|\\.)" + Pattern.quote(name) + "$"));
        return b.build();
    }
}
