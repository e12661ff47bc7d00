package dev.sparsecf.run;

import dev.sparsecf.models.ease.EaseFitter;
import dev.sparsecf.models.ease.Neighbourhoods;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * Whether a dense EASE fit fits in memory, asked before anything is allocated: its {@code n x n} buffers live outside
 * the Java heap, so the bound is the memory the operating system can still give ({@code MemAvailable} on Linux, else
 * the JVM's view of free physical memory).
 */
final class MemoryBudget {

    private MemoryBudget() {
    }

    /**
     * Throws {@link IllegalArgumentException} with one line suggesting {@code --neighbors} when a dense fit of
     * {@code items} items needs more than {@code available} bytes.
     */
    static void requireDenseEaseFits(int items, long available) {
        long need = EaseFitter.peakBytes(items);
        if (need > available) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "dense EASE on %,d items needs %.1f GB (an n x n"
                    + " double matrix and the float32 B), more than the %.1f GB of memory available; use --neighbors K"
                    + " (e.g. --neighbors %d) for neighbourhood EASE, whose memory grows with n K", items, need / 1e9,
                    available / 1e9, Neighbourhoods.DEFAULT_K));
        }
    }

    /** Bytes of memory the operating system can still give this process. */
    static long available() {
        return memAvailable().orElseGet(() -> {
            var os = ManagementFactory.getOperatingSystemMXBean();
            return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getFreeMemorySize() : Long.MAX_VALUE;
        });
    }

    private static OptionalLong memAvailable() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemAvailable:")) {
                    String[] f = line.trim().split("\\s+");
                    return OptionalLong.of(Long.parseLong(f[1]) * 1024);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux or an unexpected format: fall back to the JVM's view
        }
        return OptionalLong.empty();
    }
}
