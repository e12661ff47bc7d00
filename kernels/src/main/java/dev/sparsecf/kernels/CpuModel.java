package dev.sparsecf.kernels;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;

/** The CPU's identity for the calibration cache: what {@code /proc/cpuinfo} says about its first processor. */
final class CpuModel {

    private CpuModel() {
    }

    /**
     * Vendor, family, model, stepping, model name and a checksum of the ISA flags (virtual machines often report a
     * generic model name, so the flags tell CPU generations apart); {@code os.arch} where there is no cpuinfo.
     */
    static String name() {
        try {
            return describe(Files.readString(Path.of("/proc/cpuinfo")));
        } catch (IOException e) {
            return System.getProperty("os.arch");
        }
    }

    /** {@link #name()} of a cpuinfo text (its first value of each field). */
    static String describe(String cpuinfo) {
        Map<String, String> first = new LinkedHashMap<>();
        for (String line : cpuinfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                first.putIfAbsent(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
            }
        }
        CRC32 flags = new CRC32();
        flags.update(first.getOrDefault("flags", first.getOrDefault("Features", "")).getBytes(StandardCharsets.UTF_8));
        return String.join(" ", first.getOrDefault("vendor_id", ""), first.getOrDefault("cpu family", ""),
                first.getOrDefault("model", ""), first.getOrDefault("stepping", ""),
                first.getOrDefault("model name", System.getProperty("os.arch"))).strip()
                + " flags " + Long.toHexString(flags.getValue());
    }
}
