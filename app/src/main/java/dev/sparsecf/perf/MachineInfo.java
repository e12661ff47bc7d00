package dev.sparsecf.perf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The CPU facts a JMH JSON lacks, read from {@code /proc/cpuinfo}: model name, x86 family and model numbers
 * (null where the text has none), ISA flags and logical CPU count, plus the slug naming a machine's results
 * directory.
 */
public record MachineInfo(String model, String family, String modelNumber, List<String> flags, int logicalCpus) {

    /** Widest SIMD extension first: the first one present names the machine's ISA in the slug. */
    private static final List<String[]> ISA_BY_WIDTH = List.of(
            new String[] {"avx512f", "avx512"},
            new String[] {"sve", "sve"},
            new String[] {"avx2", "avx2"},
            new String[] {"avx", "avx"},
            new String[] {"asimd", "neon"},
            new String[] {"sse4_2", "sse4"});

    /** Parses {@code /proc/cpuinfo} text; {@code fallbackModel} names CPUs whose text has no model line. */
    static MachineInfo parse(String cpuinfo, String fallbackModel) {
        String model = null;
        String family = null;
        String number = null;
        List<String> flags = List.of();
        int processors = 0;
        for (String line : cpuinfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).strip();
            String value = line.substring(colon + 1).strip();
            switch (key) {
                case "processor" -> processors++;
                case "model name" -> model = model == null ? value : model;
                case "cpu family" -> family = family == null ? value : family;
                case "model" -> number = number == null ? value : number;
                // x86 says "flags", ARM says "Features"
                case "flags", "Features" -> flags = flags.isEmpty() ? Arrays.asList(value.split("\\s+")) : flags;
                default -> { }
            }
        }
        return new MachineInfo(model == null || model.isEmpty() ? fallbackModel : model, family, number, flags,
                Math.max(1, processors));
    }

    /** This machine's CPU, or the JVM's view of it when {@code /proc/cpuinfo} is unreadable (not Linux). */
    public static MachineInfo local() {
        String arch = System.getProperty("os.arch");
        try {
            return parse(Files.readString(Path.of("/proc/cpuinfo")), arch);
        } catch (IOException e) {
            return new MachineInfo(arch, null, null, List.of(), Runtime.getRuntime().availableProcessors());
        }
    }

    /** The widest SIMD extension in the flags ({@code avx512}, {@code avx2}, {@code neon}, ...), or null. */
    String widestIsa() {
        for (String[] isa : ISA_BY_WIDTH) {
            if (flags.contains(isa[0])) {
                return isa[1];
            }
        }
        return null;
    }

    /**
     * The results directory name: the model without trademark, "CPU" and clock noise, lower-cased with
     * runs of other characters as '-', then the widest ISA and the logical CPU count, e.g.
     * {@code amd-epyc-7763-64-core-processor-avx2-1c}. A model name without a model number, as virtual machines
     * report it ("AMD EPYC"), is followed by the family and model numbers, e.g. {@code amd-epyc-f25m17-avx512-2c}.
     */
    public String slug() {
        String name = model.replaceAll("(?i)\\((r|tm)\\)", " ")
                .replaceAll("@.*$", " ") // "@ 3.70GHz"
                .replaceAll("(?i)\\bcpu\\b", " ")
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "-")
                .replaceAll("^-+|-+$", "");
        // "AMD EPYC" names Zen 2 to Zen 5, whose peaks differ twofold: the family and model tell them apart
        if (family != null && modelNumber != null && !name.matches(".*[0-9].*")) {
            String cpuid = "f" + family + "m" + modelNumber;
            name = name.isEmpty() ? cpuid : name + "-" + cpuid;
        }
        String isa = widestIsa();
        return (name.isEmpty() ? "unknown-cpu" : name) + (isa == null ? "" : "-" + isa) + "-" + logicalCpus + "c";
    }

    /** The model name with its x86 family and model numbers when known, e.g. "AMD EPYC (family 25, model 17)". */
    public String describe() {
        return describe(model, family, modelNumber);
    }

    /** As {@link #describe()} for facts read back from a run's metadata, where the numbers may be null. */
    static String describe(String model, String family, String modelNumber) {
        return family == null || modelNumber == null ? model
                : model + " (family " + family + ", model " + modelNumber + ")";
    }

    /** Total memory in bytes from {@code /proc/meminfo}, or -1 when unknown. */
    public static long memoryBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("\\D+", "")) * 1024; // the value is in kB
                }
            }
        } catch (IOException | NumberFormatException e) {
            // unknown below
        }
        return -1;
    }
}
