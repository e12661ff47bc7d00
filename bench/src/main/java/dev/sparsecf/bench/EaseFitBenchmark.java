package dev.sparsecf.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sparsecf.kernels.CsrMatrix;
import dev.sparsecf.kernels.KernelThreads;
import dev.sparsecf.kernels.Kernels;
import dev.sparsecf.kernels.synthetic.SyntheticClicks;
import dev.sparsecf.models.ease.EaseFitter;
import dev.sparsecf.models.ease.EaseModel;
import dev.sparsecf.models.ease.FitReport;
import dev.sparsecf.models.ease.Precision;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * End-to-end EASE fit on ML-20M-shaped synthetic clicks (136,677 users x 20,108 items, about 10M clicks at scale
 * 1): single shot, as a user's first fit in a fresh JVM, with each phase timed (load = generating the clicks, then
 * allocate, Gram, factorise+invert and finish from {@link FitReport}), the machine's load average before and
 * after, and peak memory (resident set, Java heap, off-heap). Not JMH: one call takes about a minute or more and
 * 5 GB, and what matters is where the time goes.
 *
 * <p>Run (2 threads, OpenBLAS): {@code java --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED
 * -Xmx4g -cp bench/target/sparsecf-bench.jar dev.sparsecf.bench.EaseFitBenchmark --blas openblas --threads 2
 * [--kernels panama] [--precision float64|float32] [--lambda 500] [--scale 1.0] [--seed 0] [--fits 1] [--json FILE]}.
 */
public final class EaseFitBenchmark {

    private EaseFitBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> opt = options(args, Map.of("--blas", "openblas", "--kernels", "panama", "--threads",
                String.valueOf(KernelThreads.configuredThreads()), "--precision", "float64", "--lambda", "500",
                "--scale", "1.0", "--seed", "0", "--fits", "1", "--json", ""));
        int threads = Integer.parseInt(opt.get("--threads"));
        Precision precision = Precision.valueOf(opt.get("--precision").toUpperCase(Locale.ROOT));
        double lambda = Double.parseDouble(opt.get("--lambda"));
        double scale = Double.parseDouble(opt.get("--scale"));
        long seed = Long.parseLong(opt.get("--seed"));
        int fits = Integer.parseInt(opt.get("--fits"));

        double[] loadBefore = loadAverage();
        Kernels kernels = Kernels.create(opt.get("--kernels"), opt.get("--blas"), threads);
        System.out.println(kernels.startupLine());
        System.out.println(kernels.blas().startupLine() + "; OPENBLAS_CORETYPE=" + System.getenv("OPENBLAS_CORETYPE"));
        System.out.printf(Locale.ROOT, "load average before: %s%n", format(loadBefore));

        long t0 = System.nanoTime();
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ArrayNode runs = mapper.createArrayNode();
        try (CsrMatrix x = SyntheticClicks.ml20mShape(scale, seed)) {
            long loadNanos = System.nanoTime() - t0;
            System.out.printf(Locale.ROOT, "load: %s generated in %.2f s%n", x, loadNanos / 1e9);
            for (int f = 0; f < fits; f++) {
                try (EaseModel ease = EaseFitter.fit(x, lambda, precision, kernels, System.out::println)) {
                    FitReport r = ease.report().orElseThrow();
                    System.out.println(r.format());
                    ObjectNode run = runs.addObject();
                    run.put("fit", f + 1);
                    ObjectNode phases = run.putObject("phasesSeconds");
                    if (f == 0) {
                        phases.put("load", loadNanos / 1e9);
                    }
                    phases.put("allocate", r.allocateNanos() / 1e9);
                    phases.put("gram", r.gramNanos() / 1e9);
                    phases.put("factoriseInvert", r.invertNanos() / 1e9);
                    phases.put("finish", r.finishNanos() / 1e9);
                    phases.put("fitTotal", r.totalNanos() / 1e9);
                    run.put("offHeapPeakBytes", r.offHeapPeakBytes());
                }
            }
        }
        double[] loadAfter = loadAverage();
        long rss = peakResidentBytes();
        long heap = heapPeakBytes();
        System.out.printf(Locale.ROOT, "load average after: %s; peak resident set %.2f GB, Java heap peak %.2f GB%n",
                format(loadAfter), rss / 1e9, heap / 1e9);

        if (!opt.get("--json").isEmpty()) {
            ObjectNode root = mapper.createObjectNode();
            root.put("date", OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS).toString());
            ObjectNode data = root.putObject("data");
            data.put("generator", "SyntheticClicks.ml20mShape");
            data.put("scale", scale);
            data.put("seed", seed);
            ObjectNode config = root.putObject("config");
            config.put("lambda", lambda);
            config.put("precision", precision.name().toLowerCase(Locale.ROOT));
            config.put("threads", threads);
            config.put("dense", kernels.denseImplementationName());
            config.put("kernels", kernels.startupLine());
            config.put("blas", kernels.blas().startupLine());
            config.put("openblasCoretype", System.getenv("OPENBLAS_CORETYPE"));
            config.put("jdk", System.getProperty("java.runtime.version"));
            config.put("jvmArgs", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
            ObjectNode load = root.putObject("loadAverage1m5m15m");
            load.set("before", numbers(mapper, loadBefore));
            load.set("after", numbers(mapper, loadAfter));
            root.set("fits", runs);
            ObjectNode memory = root.putObject("peakMemoryBytes");
            memory.put("residentSet", rss);
            memory.put("javaHeap", heap);
            Path out = Path.of(opt.get("--json"));
            Files.writeString(out, mapper.writeValueAsString(root) + "\n");
            System.out.println("wrote " + out);
        }
    }

    /** {@code --key value} pairs over {@code defaults}; an unknown key is an error naming the known ones. */
    static Map<String, String> options(String[] args, Map<String, String> defaults) {
        Map<String, String> opt = new LinkedHashMap<>(defaults);
        for (int i = 0; i < args.length; i += 2) {
            if (!opt.containsKey(args[i]) || i + 1 == args.length) {
                throw new IllegalArgumentException("bad option '" + args[i] + "'" + (i + 1 == args.length ? " (no value)" : "")
                        + "; expected --key value with a key among " + List.copyOf(defaults.keySet()));
            }
            opt.put(args[i], args[i + 1]);
        }
        return opt;
    }

    /** The 1, 5 and 15 minute load averages from /proc/loadavg, or the JVM's 1 minute figure elsewhere. */
    static double[] loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2])};
        } catch (IOException | RuntimeException e) {
            return new double[] {ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()};
        }
    }

    /** The process's peak resident set (VmHWM in /proc/self/status), or -1 where that file does not exist. */
    static long peakResidentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: reported as -1
        }
        return -1;
    }

    /** The sum of the heap pools' peak usage since start-up (an upper bound on the heap's peak). */
    private static long heapPeakBytes() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    static String format(double[] load) {
        StringBuilder sb = new StringBuilder();
        for (double v : load) {
            sb.append(sb.isEmpty() ? "" : " ").append(String.format(Locale.ROOT, "%.2f", v));
        }
        return sb.toString();
    }

    private static ArrayNode numbers(ObjectMapper mapper, double[] values) {
        ArrayNode a = mapper.createArrayNode();
        for (double v : values) {
            a.add(v);
        }
        return a;
    }
}
