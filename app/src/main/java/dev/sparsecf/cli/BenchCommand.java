package dev.sparsecf.cli;

import dev.sparsecf.perf.JmhResults;
import dev.sparsecf.perf.MachineInfo;
import dev.sparsecf.perf.ResultFiles;
import dev.sparsecf.perf.RunMetadata;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.sparsecf.bench.CholeskyInverseBenchmark;
import dev.sparsecf.bench.GemmBenchmark;
import dev.sparsecf.bench.GramBenchmark;
import dev.sparsecf.bench.TrainStepBenchmark;
import dev.sparsecf.bench.TrialBenchmark;
import dev.sparsecf.kernels.KernelThreads;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.NoBenchmarksException;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormat;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sparsecf bench}: runs the JMH kernel benchmarks, prints a table with speed-ups over scalar and saves the JMH
 * JSON with a metadata side file under {@code <out>/<cpu-slug>/<date>-<commit>-<profile>.json}.
 */
@Command(name = "bench",
        description = {"Run the kernel benchmarks (JMH) and save the results with machine metadata.",
                "Arguments after the options go to JMH as they are, e.g. '-prof gc' or '-p shape=ml20m-vae'."},
        subcommands = {BenchReportCommand.class, BenchGateCommand.class})
public final class BenchCommand implements Callable<Integer> {

    /** Environment variable with the repository root (set by ./sparsecf): default results dir and git commit. */
    static final String HOME_ENV = "SPARSECF_HOME";

    /**
     * A profile's treatment of one benchmark class whose full grid is too slow for it: run it with {@code params}
     * narrowed (the user's own {@code -p} wins), and with {@code longCalls} in one fork of few iterations, since one
     * call then takes seconds and fills an iteration by itself.
     */
    record Narrowing(Class<?> benchmark, Map<String, List<String>> params, boolean longCalls) {
    }

    /** One JMH invocation of a profile: the benchmarks by exact name, params to set, and whether calls take seconds. */
    record Run(List<String> benchmarks, Map<String, List<String>> params, boolean longCalls) {
    }

    /** How long and how often to measure, and which params of the dense benchmarks (see {@link #plan}). */
    enum Profile {
        /**
         * One fork, 5 x 2 s warmup and 3 x 1 s measurement: the 16 sparse-kernel trials plus GEMM (Panama and
         * OpenBLAS at the Mult-VAE output layer) and the SPD inverse at n = 2000, in about 5-6 minutes on 2 cores.
         * The warmup cannot be shorter: until C2 has compiled a kernel the Vector API runs as its slow Java
         * fallback (see {@link TrialBenchmark}), so a short warmup measures the fallback, not the kernel.
         */
        QUICK(List.of(
                new Narrowing(GemmBenchmark.class, Map.of("impl", List.of("panama", "openblas"),
                        "shape", List.of("ml20m-vae-out")), false),
                new Narrowing(CholeskyInverseBenchmark.class, Map.of("n", List.of("2000")), false)),
                List.of(GramBenchmark.class, TrainStepBenchmark.class)),
        /**
         * The benchmarks' own settings (2 forks, 8 x 2 s warmup, 5 x 1 s measurement) and grids, except that the
         * naive GEMM runs on square-512 only and the n = 8000 inverse in one short fork: about 35 minutes.
         */
        FULL(List.of(
                new Narrowing(GemmBenchmark.class, Map.of("impl", List.of("panama", "openblas"),
                        "shape", List.of("ml20m-vae-out", "ml20m-vae-dw", "ml20m-vae-dh", "square-2048")), false),
                new Narrowing(GemmBenchmark.class, Map.of("impl", List.of("scalar", "panama", "openblas"),
                        "shape", List.of("square-512")), false),
                new Narrowing(CholeskyInverseBenchmark.class, Map.of("n", List.of("2000")), false),
                new Narrowing(CholeskyInverseBenchmark.class, Map.of("n", List.of("8000")), true)),
                List.of());

        /** Classes run with narrowed params, in this order after all the others. */
        final List<Narrowing> narrowings;
        /** Classes this profile leaves out. */
        final List<Class<?>> skipped;

        Profile(List<Narrowing> narrowings, List<Class<?>> skipped) {
            this.narrowings = narrowings;
            this.skipped = skipped;
        }

        /** Sets this profile's run lengths on {@code b}, except those the user gave as JMH options. */
        void apply(ChainedOptionsBuilder b, Options user, boolean longCalls) {
            if (this == QUICK || longCalls) {
                if (!user.getForkCount().hasValue()) {
                    b.forks(1);
                }
                if (!user.getWarmupIterations().hasValue()) {
                    b.warmupIterations(longCalls ? 2 : 5);
                }
                if (!user.getMeasurementIterations().hasValue()) {
                    b.measurementIterations(3);
                }
            }
            if (this == QUICK) {
                if (!user.getWarmupTime().hasValue()) {
                    b.warmupTime(TimeValue.seconds(2));
                }
                if (!user.getMeasurementTime().hasValue()) {
                    b.measurementTime(TimeValue.seconds(1));
                }
            }
        }

        /**
         * The JMH runs for the benchmarks named {@code all} that {@code include} finds (all when null): every
         * benchmark of a class neither narrowed nor skipped in one run at its own params, then one run per
         * narrowing. Empty runs are left out.
         */
        List<Run> plan(List<String> all, Pattern include) {
            List<String> matched = all.stream().filter(b -> include == null || include.matcher(b).find()).toList();
            Set<String> special = new HashSet<>();
            narrowings.forEach(n -> special.add(n.benchmark().getName()));
            skipped.forEach(c -> special.add(c.getName()));
            List<Run> runs = new ArrayList<>();
            List<String> rest = matched.stream().filter(b -> !special.contains(className(b))).toList();
            if (!rest.isEmpty()) {
                runs.add(new Run(rest, Map.of(), false));
            }
            for (Narrowing n : narrowings) {
                List<String> own = matched.stream().filter(b -> className(b).equals(n.benchmark().getName())).toList();
                if (!own.isEmpty()) {
                    runs.add(new Run(own, n.params(), n.longCalls()));
                }
            }
            return runs;
        }

        private static String className(String benchmark) {
            return benchmark.substring(0, benchmark.lastIndexOf('.'));
        }

        String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    @Spec
    CommandSpec spec;

    @Option(names = "--profile", paramLabel = "quick|full", defaultValue = "quick",
            description = "quick: 1 fork, short runs, a few minutes; full: the benchmarks' own settings (default: ${DEFAULT-VALUE}).")
    Profile profile;

    @Option(names = "--include", paramLabel = "REGEX",
            description = "Run only benchmarks whose name matches, e.g. Spmm or 'TopK|LogSoftmax' (default: all).")
    String include;

    @Option(names = "--threads", paramLabel = "N",
            description = "Kernel threads for every implementation (default: all cores).")
    Integer threads;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Results directory (default: results/ in the repository).")
    Path out;

    @Parameters(paramLabel = "JMH_ARGS", arity = "0..*", description = "Options passed to JMH (its -h lists them).")
    List<String> jmhArgs = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        Options user = parseJmhArgs();
        int kernelThreads = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (kernelThreads < 1) {
            throw new ParameterException(spec.commandLine(), "--threads must be >= 1, got " + kernelThreads);
        }
        Pattern includePattern = null;
        if (include != null) {
            try {
                includePattern = Pattern.compile(include);
            } catch (PatternSyntaxException e) {
                throw new ParameterException(spec.commandLine(), "--include is not a valid regex: "
                        + e.getDescription() + " in '" + include + "'");
            }
        }
        List<String> all = benchmarkNames();
        List<Run> runs = profile.plan(all, includePattern);
        if (runs.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--include '" + include + "' matches no benchmark of the "
                    + profile.id() + " profile; the benchmarks are " + all.stream().map(BenchCommand::shortName).toList());
        }
        Path home = Path.of(System.getenv().getOrDefault(HOME_ENV, "."));
        MachineInfo machine = MachineInfo.local();
        Path dir = (out == null ? home.resolve("results") : out).resolve(machine.slug());
        String commit = RunMetadata.shortCommit(home);
        String base = LocalDate.now() + "-" + commit + "-" + profile.id();

        PrintWriter o = spec.commandLine().getOut();
        o.printf("sparsecf bench: profile %s, %d kernel thread%s, %d JMH run%s, results to %s%n", profile.id(),
                kernelThreads, kernelThreads == 1 ? "" : "s", runs.size(), runs.size() == 1 ? "" : "s", dir);
        o.flush();
        ObjectMapper mapper = new ObjectMapper();
        ArrayNode merged = mapper.createArrayNode();
        Path json = Files.createTempFile("sparsecf-bench-", ".json");
        try {
            for (Run run : runs) {
                try {
                    new Runner(jmhOptions(user, run, kernelThreads, json)).run();
                } catch (NoBenchmarksException e) {
                    continue; // the user's -e excluded this run's benchmarks
                } catch (RunnerException e) {
                    throw new IllegalStateException("the benchmark run failed", e);
                }
                merged.addAll((ArrayNode) mapper.readTree(json.toFile()));
            }
        } finally {
            Files.deleteIfExists(json);
        }
        byte[] raw = mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(merged);
        List<JmhResults.Result> results = JmhResults.parse(new String(raw, StandardCharsets.UTF_8));
        if (results.isEmpty()) {
            throw new IllegalStateException("JMH produced no results (see its output above)");
        }
        o.println();
        o.print(JmhResults.table(JmhResults.rows(results)));
        RunMetadata meta = new RunMetadata(machine, profile.id(), include, jmhArgs, kernelThreads, home, results);
        ResultFiles.Saved saved = ResultFiles.save(dir, base, raw, meta::toJson);
        o.println("saved " + saved.results() + " and " + saved.meta().getFileName());
        return 0;
    }

    /** The benchmarks in this jar (JMH's generated list), by full name: {@code dev.sparsecf.bench.SpmmBenchmark.spmm}. */
    static List<String> benchmarkNames() {
        OutputFormat silent = OutputFormatFactory.createFormatInstance(new PrintStream(OutputStream.nullOutputStream()),
                VerboseMode.SILENT);
        return BenchmarkList.defaultList().getAll(silent, List.of()).stream()
                .map(BenchmarkListEntry::getUsername).distinct().sorted().toList();
    }

    private static String shortName(String benchmark) {
        return benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1);
    }

    /** JMH's own options from the trailing arguments; forking is not optional, benchmark selection and result files are ours. */
    Options parseJmhArgs() {
        CommandLineOptions user;
        try {
            user = new CommandLineOptions(jmhArgs.toArray(String[]::new));
        } catch (CommandLineOptionException e) {
            throw new ParameterException(spec.commandLine(), "JMH option: " + e.getMessage());
        }
        if (user.getForkCount().orElse(1) < 1) {
            throw new ParameterException(spec.commandLine(),
                    "-f must be >= 1: without a fork the benchmarks would run in this JVM, without their flags");
        }
        if (user.getResult().hasValue() || user.getResultFormat().hasValue()) {
            throw new ParameterException(spec.commandLine(),
                    "-rf/-rff are set by sparsecf bench (JSON under --out); drop them");
        }
        if (!user.getIncludes().isEmpty()) {
            throw new ParameterException(spec.commandLine(), "select benchmarks with --include, not a JMH regex "
                    + user.getIncludes() + ": each profile narrows some benchmarks' params, which needs one selection");
        }
        return user;
    }

    /**
     * One run's options: its benchmarks and params (the user's own -p wins), the user's JMH options, then the
     * profile's run lengths; forks get exactly {@code -Dsparsecf.threads=N} plus the benchmarks' own flags instead
     * of inheriting this JVM's arguments.
     */
    Options jmhOptions(Options user, Run run, int kernelThreads, Path resultFile) {
        ChainedOptionsBuilder b = new OptionsBuilder().parent(user);
        run.benchmarks().forEach(name -> b.include("^" + Pattern.quote(name) + "$"));
        run.params().forEach((param, values) -> {
            if (!user.getParameter(param).hasValue()) {
                b.param(param, values.toArray(String[]::new));
            }
        });
        profile.apply(b, user, run.longCalls());
        List<String> forkArgs = new ArrayList<>(user.getJvmArgs().orElse(List.of()));
        forkArgs.add("-D" + KernelThreads.THREADS_PROPERTY + "=" + kernelThreads);
        b.jvmArgs(forkArgs.toArray(String[]::new));
        if (user.getJvmArgsAppend().hasValue()) {
            // JMH replaces the @Fork list with the user's: keep the flags the kernels cannot run without
            List<String> append = new ArrayList<>(TrialBenchmark.FORK_JVM_ARGS);
            append.addAll(user.getJvmArgsAppend().get());
            b.jvmArgsAppend(append.toArray(String[]::new));
        }
        if (!user.shouldFailOnError().hasValue()) {
            b.shouldFailOnError(true); // a failed correctness check must fail the run, not drop a row
        }
        return b.resultFormat(ResultFormatType.JSON).result(resultFile.toString()).build();
    }
}
