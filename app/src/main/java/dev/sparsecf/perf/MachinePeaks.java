package dev.sparsecf.perf;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A CPU's measured peaks, read from {@code results/<cpu-slug>/machine.json}: the physical bounds the report
 * divides achieved rates by. A peak that was not measured is NaN.
 *
 * @param float32FmaGflops float32 FMA peak over {@code threads} cores, GFLOP/s (an FMA counts as 2 flops)
 * @param float64FmaGflops the same in float64
 * @param memoryGBps memory bandwidth with {@code threads} threads, GB/s (1e9 bytes): {@code memoryGBps} (the best of
 *     bench/peaks/peaks.c's streams) when given, else {@code streamTriadGBps}
 * @param memoryProbe how {@code memoryGBps} was measured, for the report
 * @param threads the thread count the peaks were measured with, 0 when not stated
 * @param source where the numbers come from, for the report
 */
public record MachinePeaks(double float32FmaGflops, double float64FmaGflops, double memoryGBps, String memoryProbe,
                    int threads, String source) {

    /** The file name inside a CPU's results directory. */
    static final String FILE = "machine.json";

    /** The bound an aux counter is measured against. */
    enum Bound {
        MEMORY("bytes", "memory", "GB/s"),
        FP32_FMA("flops", "fp32 FMA", "GFLOP/s"),
        // float64 benchmarks count their flops in an aux counter named flops64
        FP64_FMA("flops64", "fp64 FMA", "GFLOP/s");

        /** The benchmark's aux counter (secondary metric) whose rate this bound limits. */
        final String counter;
        final String label;
        final String unit;

        Bound(String counter, String label, String unit) {
            this.counter = counter;
            this.label = label;
            this.unit = unit;
        }
    }

    /** Keys of {@value #FILE}. */
    private static final String FP32_KEY = "float32FmaGflops";
    private static final String FP64_KEY = "float64FmaGflops";
    private static final String MEMORY_KEY = "memoryGBps";
    private static final String TRIAD_KEY = "streamTriadGBps";

    /** The peak for {@code bound} in its unit (GB/s, GFLOP/s), NaN when not measured. */
    double peak(Bound bound) {
        return switch (bound) {
            case MEMORY -> memoryGBps;
            case FP32_FMA -> float32FmaGflops;
            case FP64_FMA -> float64FmaGflops;
        };
    }

    /** The peak's name in the report: "float32 FMA peak", or how the memory bandwidth was measured. */
    String peakName(Bound bound) {
        return switch (bound) {
            case MEMORY -> memoryProbe;
            case FP32_FMA -> "float32 FMA peak";
            case FP64_FMA -> "float64 FMA peak";
        };
    }

    /** "STREAM triad 71.0 GB/s, float32 FMA peak 420.0 GFLOP/s, ... (2 threads)" for the peaks that are known. */
    String describe() {
        List<String> parts = new ArrayList<>();
        for (Bound b : Bound.values()) {
            if (!Double.isNaN(peak(b))) {
                parts.add(peakName(b) + " " + JmhResults.format(peak(b)) + " " + b.unit);
            }
        }
        return String.join(", ", parts) + (threads > 0 ? String.format(Locale.ROOT, " (%d threads)", threads) : "");
    }

    /**
     * Reads {@code file}; every peak given must be a positive number, and at least one must be given. The memory
     * bound is {@value #MEMORY_KEY} when given, else {@value #TRIAD_KEY} (files written before peaks.c measured
     * more than the triad).
     */
    static MachinePeaks read(Path file) throws IOException {
        JsonNode root = JmhResults.readTree(file);
        if (root == null || !root.isObject()) {
            throw new IOException(file + ": expected a JSON object with the machine's peaks");
        }
        double fp32 = peak(file, root, FP32_KEY);
        double fp64 = peak(file, root, FP64_KEY);
        double best = peak(file, root, MEMORY_KEY);
        double triad = peak(file, root, TRIAD_KEY);
        if (Double.isNaN(fp32) && Double.isNaN(fp64) && Double.isNaN(best) && Double.isNaN(triad)) {
            throw new IOException(file + ": gives none of " + String.join(", ", FP32_KEY, FP64_KEY, MEMORY_KEY,
                    TRIAD_KEY));
        }
        boolean measuredBest = !Double.isNaN(best);
        double memory = measuredBest ? best : triad;
        String memoryProbe = measuredBest ? "memory bandwidth" : "STREAM triad";
        JsonNode threads = root.path("threads");
        boolean positiveInt = threads.isIntegralNumber() && threads.canConvertToInt() && threads.intValue() > 0;
        if (!threads.isMissingNode() && !positiveInt) {
            throw new IOException(file + ": threads must be a positive integer, got " + threads);
        }
        return new MachinePeaks(fp32, fp64, memory, memoryProbe, threads.asInt(0), root.path("source").asText(""));
    }

    private static double peak(Path file, JsonNode root, String field) throws IOException {
        JsonNode v = root.get(field);
        if (v == null) {
            return Double.NaN;
        }
        if (!v.isNumber() || !(v.doubleValue() > 0) || Double.isInfinite(v.doubleValue())) {
            throw new IOException(file + ": " + field + " must be a positive number, got " + v);
        }
        return v.doubleValue();
    }
}
