package dev.sparsecf.perf.gate;

import dev.sparsecf.bench.KernelBenchmark;
import dev.sparsecf.kernels.KernelThreads;
import dev.sparsecf.perf.JmhResults;
import dev.sparsecf.render.TextTable;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The machine-independent CI gate ({@code sparsecf bench gate --ratios bench/gates.json}): each kernel, run
 * in one short JMH session at its workload shape, must be faster than the scalar kernel by at least the
 * floor in the gates file, and no implementation may allocate more per call than the kernel's ceiling
 * ({@code gc.alloc.rate.norm} from {@code -prof gc}). Ratios of two kernels measured on the same machine
 * minutes apart carry over between machines where absolute scores do not.
 */
public final class RatioGate {

    /** The secondary metric of JMH's GC profiler: bytes allocated per benchmark call. */
    static final String ALLOC_METRIC = "gc.alloc.rate.norm";

    /**
     * Fewest measured iterations: JMH counts the trial's {@code @TearDown} (the correctness check, which
     * allocates whole reference outputs) into the last iteration's allocation, so the gate takes the median
     * of at least three iterations.
     */
    static final int MIN_MEASUREMENTS = 3;

    private RatioGate() {
    }

    /**
     * How the gate's JMH session runs every kernel; {@code threads} is the kernel thread count, fixed so that
     * the work split (and what it allocates) is the same on every machine.
     */
    public record RunSettings(int threads, int forks, int warmupIterations, int warmupSeconds, int measurementIterations,
                       int measurementSeconds, List<String> jvmArgsAppend) {
    }

    /**
     * One kernel's gate: the benchmark ("SpmmBenchmark.spmm"), the params that fix its workload, the
     * least speed-up over scalar per other implementation, and the most bytes any implementation may
     * allocate per call.
     */
    public record KernelGate(String benchmark, Map<String, String> params, Map<String, Double> minSpeedup,
                      double maxAllocBytesPerOp, Roofline.Bound bound, Map<String, Double> minRoofline) {

        /** The implementations the gate runs: scalar when there is a speed-up floor, then those with a floor. */
        List<String> impls() {
            List<String> impls = new ArrayList<>(minSpeedup.isEmpty() ? List.of() : List.of(JmhResults.BASELINE));
            impls.addAll(minSpeedup.keySet());
            minRoofline.keySet().stream().filter(i -> !impls.contains(i)).forEach(impls::add);
            return impls;
        }

        boolean matches(JmhResults.Result r, String impl) {
            return (r.benchmark().equals(benchmark) || r.benchmark().endsWith("." + benchmark))
                    && impl.equals(r.impl())
                    && params.entrySet().stream().allMatch(p -> p.getValue().equals(r.params().get(p.getKey())));
        }
    }

    /** A gates file; {@code probes} is null when no kernel has a roofline floor. */
    public record Config(RunSettings run, List<KernelGate> kernels, Roofline.Probes probes) {
    }

    /**
     * One implementation of one kernel as measured: calls per second of its best iteration, bytes per call
     * as the median over the iterations; {@code speedup} is over scalar (NaN for scalar itself); {@code roofline}
     * the fraction of its bound's probe (NaN without a roofline floor); {@code problems} is empty when it passes.
     */
    public record Check(KernelGate gate, String impl, double callsPerSecond, double speedup, double allocBytesPerOp,
                 double roofline, List<String> problems) {
    }

    /**
     * Reads and validates a gates file; errors name the file and the field. A floor given per vector width
     * ({@code {"512": 7.5, "256": 3}}) resolves to the entry for {@code vectorBits}, the preferred float vector
     * width of the machine that runs the kernels (null when the Vector API is not available there).
     */
    public static Config read(Path file, Integer vectorBits) throws IOException {
        JsonNode root = JmhResults.readTree(file);
        String where = file.toString();
        requireObject(where, "the file", root);
        onlyFields(where, "", root, Set.of("about", "run", "probes", "kernels"));
        JsonNode run = root.path("run");
        requireObject(where, "run", run);
        onlyFields(where, "run.", run, Set.of("threads", "forks", "warmupIterations", "warmupSeconds",
                "measurementIterations", "measurementSeconds", "jvmArgsAppend", "why"));
        int measurements = positiveInt(where, "run.measurementIterations", run);
        if (measurements < MIN_MEASUREMENTS) {
            throw new IOException(where + ": run.measurementIterations must be >= " + MIN_MEASUREMENTS
                    + " (the last iteration also counts the trial's correctness check, so the gate takes a median),"
                    + " got " + measurements);
        }
        List<String> jvmArgs = new ArrayList<>();
        for (JsonNode a : run.path("jvmArgsAppend")) {
            if (!a.isTextual()) {
                throw new IOException(where + ": run.jvmArgsAppend must hold strings, got " + a);
            }
            jvmArgs.add(a.asText());
        }
        RunSettings settings = new RunSettings(positiveInt(where, "run.threads", run),
                positiveInt(where, "run.forks", run),
                positiveInt(where, "run.warmupIterations", run), positiveInt(where, "run.warmupSeconds", run),
                measurements, positiveInt(where, "run.measurementSeconds", run), List.copyOf(jvmArgs));

        JsonNode kernels = root.path("kernels");
        requireObject(where, "kernels", kernels);
        if (kernels.isEmpty()) {
            throw new IOException(where + ": kernels is empty: nothing to gate");
        }
        List<KernelGate> gates = new ArrayList<>();
        for (Map.Entry<String, JsonNode> k : kernels.properties()) {
            gates.add(kernel(where, k.getKey(), k.getValue(), vectorBits));
        }
        boolean roofline = gates.stream().anyMatch(g -> !g.minRoofline().isEmpty());
        Roofline.Probes probes = root.has("probes") || roofline ? Roofline.readProbes(where, root.get("probes")) : null;
        return new Config(settings, List.copyOf(gates), probes);
    }

    private static KernelGate kernel(String where, String name, JsonNode k, Integer vectorBits)
            throws IOException {
        String at = "kernels." + name;
        requireObject(where, at, k);
        onlyFields(where, at + ".", k, Set.of("params", "minSpeedup", "maxAllocBytesPerOp", "bound", "minRoofline", "why",
                "measured"));
        Map<String, String> params = new LinkedHashMap<>();
        JsonNode p = k.path("params");
        if (!p.isMissingNode()) {
            requireObject(where, at + ".params", p);
            for (Map.Entry<String, JsonNode> e : p.properties()) {
                if (!e.getValue().isTextual()) {
                    throw new IOException(where + ": " + at + ".params." + e.getKey() + " must be a string, got "
                            + e.getValue());
                }
                params.put(e.getKey(), e.getValue().asText());
            }
        }
        Map<String, Double> minSpeedup = new LinkedHashMap<>();
        if (k.has("minSpeedup") || !k.has("minRoofline")) {
            JsonNode floors = k.path("minSpeedup");
            requireObject(where, at + ".minSpeedup", floors);
            for (Map.Entry<String, JsonNode> e : floors.properties()) {
                if (e.getKey().equals(JmhResults.BASELINE)) {
                    throw new IOException(where + ": " + at + ".minSpeedup names " + JmhResults.BASELINE
                            + ", the baseline every speed-up is relative to");
                }
                minSpeedup.put(e.getKey(), floor(where, at + ".minSpeedup." + e.getKey(), e.getValue(), vectorBits));
            }
            if (minSpeedup.isEmpty()) {
                throw new IOException(where + ": " + at + ".minSpeedup is empty: give a floor for at least one impl");
            }
        }
        Map<String, Double> minRoofline = new LinkedHashMap<>();
        Roofline.Bound bound = null;
        if (k.has("minRoofline")) {
            requireObject(where, at + ".minRoofline", k.get("minRoofline"));
            JsonNode b = k.get("bound");
            if (b == null || !b.isTextual()) {
                throw new IOException(where + ": " + at + ".bound must say what minRoofline is a fraction of: "
                        + "\"memory\" (the bytes counter against the bandwidth probe) or \"fma\" (flops against the "
                        + "FMA probe), got " + b);
            }
            bound = Roofline.Bound.parse(where, at + ".bound", b.asText());
            for (Map.Entry<String, JsonNode> e : k.get("minRoofline").properties()) {
                String field = at + ".minRoofline." + e.getKey();
                double f = floor(where, field, e.getValue(), vectorBits);
                if (f > 1) {
                    throw new IOException(where + ": " + field + " is a fraction of the probe, at most 1, got " + f);
                }
                minRoofline.put(e.getKey(), f);
            }
        } else if (k.has("bound")) {
            throw new IOException(where + ": " + at + ".bound without minRoofline: give the floor too");
        }
        JsonNode alloc = k.get("maxAllocBytesPerOp");
        if (alloc == null || !alloc.isNumber() || !(alloc.doubleValue() >= 0)
                || Double.isInfinite(alloc.doubleValue())) {
            throw new IOException(where + ": " + at + ".maxAllocBytesPerOp must be a number >= 0, got " + alloc);
        }
        return new KernelGate(name, Collections.unmodifiableMap(new TreeMap<>(params)),
                Collections.unmodifiableMap(minSpeedup), alloc.doubleValue(), bound,
                Collections.unmodifiableMap(minRoofline));
    }

    /**
     * A floor: a number, or an object from vector width in bits to the number for that width. Compute-bound
     * kernels speed up about in proportion to the lanes, so one floor cannot fit both 8 and 16 float lanes.
     */
    private static double floor(String where, String field, JsonNode v, Integer vectorBits) throws IOException {
        if (!v.isObject()) {
            return positive(where, field, v);
        }
        if (vectorBits == null) {
            throw new IOException(where + ": " + field + " gives floors per vector width " + widths(v)
                    + ", but the Vector API is not available to tell this machine's width (the JVM needs "
                    + "--add-modules jdk.incubator.vector)");
        }
        JsonNode forWidth = v.get(Integer.toString(vectorBits));
        if (forWidth == null) {
            throw new IOException(where + ": " + field + " has no floor for this machine's " + vectorBits
                    + "-bit vectors (it has " + widths(v) + "); measure the kernel here and add one");
        }
        return positive(where, field + "." + vectorBits, forWidth);
    }

    private static List<String> widths(JsonNode perWidth) {
        List<String> bits = new ArrayList<>();
        perWidth.fieldNames().forEachRemaining(b -> bits.add(b + "-bit"));
        return bits;
    }

    private static void requireObject(String where, String what, JsonNode n) throws IOException {
        if (n == null || !n.isObject()) {
            String got = n == null || n.isMissingNode() ? "nothing"
                    : n.getNodeType().toString().toLowerCase(Locale.ROOT);
            throw new IOException(where + ": " + what + " must be a JSON object, got " + got);
        }
    }

    /** Rejects unknown fields: a misspelt floor would otherwise be ignored and the gate silently weaker. */
    private static void onlyFields(String where, String prefix, JsonNode n, Set<String> known) throws IOException {
        for (Map.Entry<String, JsonNode> e : n.properties()) {
            if (!known.contains(e.getKey())) {
                throw new IOException(where + ": unknown field " + prefix + e.getKey() + " (known: "
                        + known.stream().sorted().toList() + ")");
            }
        }
    }

    private static int positiveInt(String where, String field, JsonNode parent) throws IOException {
        JsonNode v = parent.get(field.substring(field.lastIndexOf('.') + 1));
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 1) {
            throw new IOException(where + ": " + field + " must be a positive integer, got " + v);
        }
        return v.intValue();
    }

    private static double positive(String where, String field, JsonNode v) throws IOException {
        if (!v.isNumber() || !(v.doubleValue() > 0) || Double.isInfinite(v.doubleValue())) {
            throw new IOException(where + ": " + field + " must be a positive number, got " + v);
        }
        return v.doubleValue();
    }

    /** The JMH options that measure {@code gate} with {@code threads} kernel threads into {@code resultFile}. */
    public static Options options(KernelGate gate, RunSettings run, int threads, Path resultFile) {
        ChainedOptionsBuilder b = session(run, threads, resultFile)
                .include("(^|\\.)" + Pattern.quote(gate.benchmark()) + "$")
                .param("impl", gate.impls().toArray(String[]::new))
                .addProfiler(GCProfiler.class);
        gate.params().forEach(b::param);
        return b.build();
    }

    /**
     * What every gate session shares: the run lengths, {@code threads} kernel threads, failing on error, JSON into
     * {@code resultFile}, and the kernels' fork flags.
     */
    static ChainedOptionsBuilder session(RunSettings run, int threads, Path resultFile) {
        // setting jvmArgsAppend replaces the @Fork list, so the flags the kernels need go first
        List<String> append = new ArrayList<>(KernelBenchmark.FORK_JVM_ARGS);
        append.addAll(run.jvmArgsAppend());
        return new OptionsBuilder()
                .forks(run.forks())
                .warmupIterations(run.warmupIterations())
                .warmupTime(TimeValue.seconds(run.warmupSeconds()))
                .measurementIterations(run.measurementIterations())
                .measurementTime(TimeValue.seconds(run.measurementSeconds()))
                .jvmArgs("-D" + KernelThreads.THREADS_PROPERTY + "=" + threads)
                .jvmArgsAppend(append.toArray(String[]::new))
                .shouldFailOnError(true)
                .resultFormat(ResultFormatType.JSON)
                .result(resultFile.toString());
    }

    /** Checks {@code results} (of any number of runs) against every kernel gate of {@code config}. */
    public static List<Check> check(Config config, List<JmhResults.Result> results) {
        List<Check> checks = new ArrayList<>();
        Map<Roofline.Bound, Double> probeRates = config.probes() == null ? Map.of()
                : Roofline.probeRates(config.probes(), results);
        for (KernelGate gate : config.kernels()) {
            double scalarCalls = Double.NaN;
            for (String impl : gate.impls()) {
                List<String> problems = new ArrayList<>();
                List<JmhResults.Result> found = results.stream().filter(r -> gate.matches(r, impl)).toList();
                if (found.size() != 1) {
                    problems.add(found.isEmpty() ? "no result with impl=" + impl + " and params " + gate.params()
                            : found.size() + " results match; give params that tell them apart");
                    checks.add(new Check(gate, impl, Double.NaN, Double.NaN, Double.NaN, Double.NaN, problems));
                    continue;
                }
                JmhResults.Result r = found.getFirst();
                JmhResults.Metric m = r.primary();
                double calls = best(m);
                double speedup = Double.NaN;
                if (impl.equals(JmhResults.BASELINE)) {
                    scalarCalls = calls;
                } else if (gate.minSpeedup().containsKey(impl)) {
                    double floor = gate.minSpeedup().get(impl);
                    speedup = calls / scalarCalls;
                    if (Double.isNaN(speedup)) {
                        problems.add("no speed-up: the " + JmhResults.BASELINE + " result or a score is missing");
                    } else if (speedup < floor) {
                        problems.add(String.format(Locale.ROOT, "speed-up %.2fx is below the floor %.2fx", speedup,
                                floor));
                    }
                }
                JmhResults.Metric alloc = r.secondary().get(ALLOC_METRIC);
                double bytes = alloc == null ? Double.NaN : alloc.median();
                if (Double.isNaN(bytes)) {
                    problems.add("no " + ALLOC_METRIC + ": the run needs JMH's -prof gc");
                } else if (bytes > gate.maxAllocBytesPerOp()) {
                    problems.add("allocates " + JmhResults.format(bytes) + " B/op, more than the ceiling "
                            + JmhResults.format(gate.maxAllocBytesPerOp())
                            + (alloc.samples().size() < MIN_MEASUREMENTS ? " (fewer than " + MIN_MEASUREMENTS
                            + " iterations: the last one also counts the correctness check)" : ""));
                }
                double roofline = rooflineCheck(gate, impl, r, probeRates, problems);
                checks.add(new Check(gate, impl, calls, speedup, bytes, roofline, problems));
            }
        }
        return checks;
    }

    /**
     * {@code r}'s rate as a fraction of its bound's probe, adding a problem when below the floor or unmeasured;
     * NaN when {@code impl} has no roofline floor.
     */
    private static double rooflineCheck(KernelGate gate, String impl, JmhResults.Result r,
                                        Map<Roofline.Bound, Double> probeRates, List<String> problems) {
        Double floor = gate.minRoofline().get(impl);
        if (floor == null) {
            return Double.NaN;
        }
        Roofline.Bound bound = gate.bound();
        double probe = probeRates.getOrDefault(bound, Double.NaN);
        double fraction = Roofline.bestRate(r, bound.counter) / probe;
        if (Double.isNaN(probe)) {
            problems.add("no " + bound.id() + " probe result (" + bound.counter + " counter of "
                    + "the probe benchmark): the roofline floor cannot be checked");
        } else if (Double.isNaN(fraction)) {
            problems.add("no " + bound.counter + " counter in the result: the roofline floor cannot be checked");
        } else if (fraction < floor) {
            problems.add(String.format(Locale.ROOT, "%s, below the roofline floor %.0f%%",
                    Roofline.describe(fraction, bound, probe), 100 * floor));
        }
        return fraction;
    }

    /**
     * The fastest measured iteration in calls per second (the score when JMH kept no samples). Other work on
     * the machine only ever slows an iteration down, and a kernel that reaches C2 late is fast in its later
     * iterations, so the best iteration is the estimate of the kernel's speed that load disturbs least.
     */
    static double best(JmhResults.Metric m) {
        return m.samples().stream().mapToDouble(m::opsPerSecond).max().orElse(m.opsPerSecond(m.score()));
    }

    /** The roofline probes' rates in {@code results} as one line, or "" when the gates file has no probes. */
    public static String probeSummary(Config config, List<JmhResults.Result> results) {
        return config.probes() == null ? ""
                : Roofline.probeLine(Roofline.probeRates(config.probes(), results)) + System.lineSeparator();
    }

    /** Whether every check passed. */
    public static boolean passed(List<Check> checks) {
        return checks.stream().allMatch(c -> c.problems().isEmpty());
    }

    /** The checks as an aligned text table. */
    public static String table(List<Check> checks) {
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[] {"kernel", "params", "impl", "best calls/s", "vs scalar", "floor", "of roofline",
            "floor", "B/op", "ceiling", "verdict"});
        for (Check c : checks) {
            Double floor = c.gate().minSpeedup().get(c.impl());
            Double roofFloor = c.gate().minRoofline().get(c.impl());
            cells.add(new String[] {c.gate().benchmark(), c.gate().params().toString(), c.impl(),
                    JmhResults.format(c.callsPerSecond()),
                    Double.isNaN(c.speedup()) ? "-" : String.format(Locale.ROOT, "%.2fx", c.speedup()),
                    floor == null ? "-" : String.format(Locale.ROOT, "%.2fx", floor),
                    Double.isNaN(c.roofline()) ? "-"
                            : String.format(Locale.ROOT, "%.0f%% %s", 100 * c.roofline(), c.gate().bound().id()),
                    roofFloor == null ? "-" : String.format(Locale.ROOT, "%.0f%%", 100 * roofFloor),
                    JmhResults.format(c.allocBytesPerOp()), JmhResults.format(c.gate().maxAllocBytesPerOp()),
                    c.problems().isEmpty() ? "ok" : "FAIL: " + String.join("; ", c.problems())});
        }
        return TextTable.render(cells, c -> c < 3 || c == 10);
    }

    /**
     * Runs every kernel of {@code config} in its own short JMH session (as the gates file {@code gatesFile}
     * describes) with {@code kernelThreads} threads and returns all their results.
     */
    public static List<JmhResults.Result> run(Config config, int kernelThreads, Path gatesFile) throws IOException {
        List<JmhResults.Result> results = new ArrayList<>();
        if (config.probes() != null) {
            results.addAll(session("the roofline probes " + config.probes().benchmarks().values(), gatesFile,
                    json -> Roofline.options(config.probes(), config.run(), kernelThreads, json)));
        }
        for (KernelGate gate : config.kernels()) {
            results.addAll(session(gate.benchmark(), gatesFile, json -> options(gate, config.run(), kernelThreads, json)));
        }
        return results;
    }

    /** Runs one JMH session ({@code options} for a result file) and returns its results; it must run something. */
    private static List<JmhResults.Result> session(String what, Path gatesFile,
                                                   Function<Path, Options> options)
            throws IOException {
        Path json = Files.createTempFile("sparsecf-gate-", ".json");
        try {
            try {
                new Runner(options.apply(json)).run();
            } catch (RunnerException e) {
                throw new IllegalStateException("the gate's benchmark run of " + what + " failed", e);
            }
            List<JmhResults.Result> r = Files.size(json) == 0 ? List.of() : JmhResults.read(json);
            if (r.isEmpty()) {
                throw new IllegalStateException("JMH ran no benchmark " + what + ": is its name in " + gatesFile
                        + " right?");
            }
            return r;
        } finally {
            Files.deleteIfExists(json);
        }
    }
}
