package dev.sparsecf.cli;

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
 * @param streamTriadGBps STREAM triad bandwidth with {@code threads} threads, GB/s (1e9 bytes)
 * @param threads the thread count the peaks were measured with, 0 when not stated
 * @param source where the numbers come from, for the report
 */
record MachinePeaks(double float32FmaGflops, double float64FmaGflops, double streamTriadGBps, int threads,
                    String source) {

    /** The file name inside a CPU's results directory. */
    static final String FILE = "machine.json";

    /** The bound an aux counter is measured against. */
    enum Bound {
        MEMORY("bytes", "memory", "GB/s", "STREAM triad"),
        FP32_FMA("flops", "fp32 FMA", "GFLOP/s", "float32 FMA peak"),
        // float64 benchmarks count their flops in an aux counter named flops64
        FP64_FMA("flops64", "fp64 FMA", "GFLOP/s", "float64 FMA peak");

        /** The benchmark's aux counter (secondary metric) whose rate this bound limits. */
        final String counter;
        final String label;
        final String unit;
        final String peakName;

        Bound(String counter, String label, String unit, String peakName) {
            this.counter = counter;
            this.label = label;
            this.unit = unit;
            this.peakName = peakName;
        }
    }

    /** The peak for {@code bound} in its unit (GB/s, GFLOP/s), NaN when not measured. */
    double peak(Bound bound) {
        return switch (bound) {
            case MEMORY -> streamTriadGBps;
            case FP32_FMA -> float32FmaGflops;
            case FP64_FMA -> float64FmaGflops;
        };
    }

    /** "float32 FMA peak 420 GFLOP/s, ..., with 2 threads" for the peaks that are known. */
    String describe() {
        List<String> parts = new ArrayList<>();
        for (Bound b : Bound.values()) {
            if (!Double.isNaN(peak(b))) {
                parts.add(b.peakName + " " + JmhResults.format(peak(b)) + " " + b.unit);
            }
        }
        return String.join(", ", parts) + (threads > 0 ? String.format(Locale.ROOT, " (%d threads)", threads) : "");
    }

    /** Reads {@code file}; every peak given must be a positive number, and at least one must be given. */
    static MachinePeaks read(Path file) throws IOException {
        JsonNode root = JmhResults.readTree(file);
        if (root == null || !root.isObject()) {
            throw new IOException(file + ": expected a JSON object with the machine's peaks");
        }
        double fp32 = peak(file, root, "float32FmaGflops");
        double fp64 = peak(file, root, "float64FmaGflops");
        double stream = peak(file, root, "streamTriadGBps");
        if (Double.isNaN(fp32) && Double.isNaN(fp64) && Double.isNaN(stream)) {
            throw new IOException(file + ": gives none of float32FmaGflops, float64FmaGflops, streamTriadGBps");
        }
        JsonNode threads = root.path("threads");
        boolean positiveInt = threads.isIntegralNumber() && threads.canConvertToInt() && threads.intValue() > 0;
        if (!threads.isMissingNode() && !positiveInt) {
            throw new IOException(file + ": threads must be a positive integer, got " + threads);
        }
        return new MachinePeaks(fp32, fp64, stream, threads.asInt(0), root.path("source").asText(""));
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
