package dev.sparsecf.bench;

import com.sun.management.OperatingSystemMXBean;
import dev.sparsecf.data.FileOptions;
import dev.sparsecf.data.InteractionFiles;
import dev.sparsecf.data.Interactions;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Loading a user's own delimited file ({@link InteractionFiles#load} with the default options: separator, header and
 * columns detected, every row a positive), single shot in a fresh JVM: wall time, rows per second, the heap's peak
 * (the sum of the heap pools' peaks, an upper bound) and the heap the result keeps (after a full GC with the
 * interactions still reachable). On a shared machine the process CPU seconds (all threads: the loader parses on
 * every core) say what the load cost, where the wall time says mostly what else ran. Not JMH: one call reads a multi-gigabyte file once, and the peak heap is the point.
 * Run with {@code -Xlog:gc:file=F} as well: the largest heap before a collection is the peak actually reached.
 *
 * <p>Run: {@code java -Xlog:gc:file=gc.log -cp bench/target/sparsecf-bench.jar dev.sparsecf.bench.LoadBenchmark FILE}
 * (make the file with {@code ./sparsecf data synth --rows N --out FILE}); prints one JSON object.
 */
public final class LoadBenchmark {

    private LoadBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: LoadBenchmark FILE");
        }
        Path file = Path.of(args[0]);
        // CPU seconds as well as wall time: on a shared machine they say what the load cost this process
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpuStart = os.getProcessCpuTime();
        long threadStart = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        long start = System.nanoTime();
        InteractionFiles.Loaded loaded = InteractionFiles.load(file, FileOptions.DEFAULT);
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuSeconds = (os.getProcessCpuTime() - cpuStart) / 1e9;
        double threadSeconds = (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - threadStart) / 1e9;
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        System.gc();
        long retained = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        Interactions x = loaded.positives();
        long rows = loaded.report().rowsRead();
        long csrBytes = 4L * (x.numUsers() + 1) + 4L * x.size();
        System.out.printf(Locale.ROOT, "{\"file\": \"%s\", \"rows\": %d, \"users\": %d, \"items\": %d, \"positives\": %d,"
                        + " \"seconds\": %.3f, \"rowsPerSecond\": %.0f, \"processCpuSeconds\": %.3f, \"mainThreadCpuSeconds\": %.3f,"
                        + " \"rowsPerMainThreadCpuSecond\": %.0f, \"rowsPerProcessCpuSecond\": %.0f, \"heapPoolPeaksBytes\": %d, \"retainedHeapBytes\": %d,"
                        + " \"csrBytes\": %d, \"threads\": %d}%n", file, rows, x.numUsers(), x.numItems(), x.size(), seconds,
                rows / seconds, cpuSeconds, threadSeconds, rows / threadSeconds, rows / cpuSeconds, peak, retained, csrBytes, Runtime.getRuntime().availableProcessors());
    }
}
