package dev.sparsecf.cli;

import dev.sparsecf.bench.KernelBenchmark;
import dev.sparsecf.kernels.KernelThreads;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sparsecf bench}: runs the JMH kernel benchmarks, prints a scalar-vs-panama table and saves the JMH
 * JSON with a metadata side file under {@code <out>/<cpu-slug>/<date>-<commit>-<profile>.json}.
 */
@Command(name = "bench",
        description = {"Run the kernel benchmarks (JMH) and save the results with machine metadata.",
                "Arguments after the options go to JMH as they are, e.g. '-prof gc' or '-p shape=ml20m-vae'."},
        subcommands = {BenchReportCommand.class, BenchGateCommand.class})
final class BenchCommand implements Callable<Integer> {

    /** Environment variable with the repository root (set by ./sparsecf): default results dir and git commit. */
    static final String HOME_ENV = "SPARSECF_HOME";

    /** How long and how often to measure. */
    enum Profile {
        /**
         * One fork, 5 x 2 s warmup and 3 x 1 s measurement: all 16 trials in about 4-5 minutes on 2 cores.
         * The warmup cannot be shorter: until C2 has compiled a kernel the Vector API runs as its slow Java
         * fallback (see {@link KernelBenchmark}), so a short warmup measures the fallback, not the kernel.
         */
        QUICK,
        /** The benchmarks' own settings (2 forks, 8 x 2 s warmup, 5 x 1 s measurement): about 14 minutes. */
        FULL;

        /** Sets this profile's run lengths on {@code b}, except those the user gave as JMH options. */
        void apply(ChainedOptionsBuilder b, Options user) {
            if (this == FULL) {
                return;
            }
            if (!user.getForkCount().hasValue()) {
                b.forks(1);
            }
            if (!user.getWarmupIterations().hasValue()) {
                b.warmupIterations(5);
            }
            if (!user.getWarmupTime().hasValue()) {
                b.warmupTime(TimeValue.seconds(2));
            }
            if (!user.getMeasurementIterations().hasValue()) {
                b.measurementIterations(3);
            }
            if (!user.getMeasurementTime().hasValue()) {
                b.measurementTime(TimeValue.seconds(1));
            }
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
        if (include != null) {
            try {
                Pattern.compile(include);
            } catch (PatternSyntaxException e) {
                throw new ParameterException(spec.commandLine(), "--include is not a valid regex: "
                        + e.getDescription() + " in '" + include + "'");
            }
        }
        Path home = Path.of(System.getenv().getOrDefault(HOME_ENV, "."));
        MachineInfo machine = MachineInfo.local();
        Path dir = (out == null ? home.resolve("results") : out).resolve(machine.slug());
        String commit = RunMetadata.shortCommit(home);
        String base = LocalDate.now() + "-" + commit + "-" + profile.id();

        PrintWriter o = spec.commandLine().getOut();
        o.printf("sparsecf bench: profile %s, %d kernel thread%s, results to %s%n", profile.id(), kernelThreads,
                kernelThreads == 1 ? "" : "s", dir);
        o.flush();
        Path json = Files.createTempFile("sparsecf-bench-", ".json");
        try {
            Options options = jmhOptions(user, kernelThreads, json);
            try {
                new Runner(options).run();
            } catch (RunnerException e) {
                throw new IllegalStateException("the benchmark run failed", e);
            }
            byte[] raw = Files.readAllBytes(json);
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
        } finally {
            Files.deleteIfExists(json);
        }
    }

    /** JMH's own options from the trailing arguments; forking is not optional and result file options are ours. */
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
        return user;
    }

    /**
     * The run's options: the user's JMH options win, then the profile's; forks get exactly
     * {@code -Dsparsecf.threads=N} plus the benchmarks' own flags instead of inheriting this JVM's arguments.
     */
    Options jmhOptions(Options user, int kernelThreads, Path resultFile) {
        ChainedOptionsBuilder b = new OptionsBuilder().parent(user);
        if (include != null) {
            b.include(include);
        }
        profile.apply(b, user);
        List<String> forkArgs = new ArrayList<>(user.getJvmArgs().orElse(List.of()));
        forkArgs.add("-D" + KernelThreads.THREADS_PROPERTY + "=" + kernelThreads);
        b.jvmArgs(forkArgs.toArray(String[]::new));
        if (user.getJvmArgsAppend().hasValue()) {
            // JMH replaces the @Fork list with the user's: keep the flags the kernels cannot run without
            List<String> append = new ArrayList<>(KernelBenchmark.FORK_JVM_ARGS);
            append.addAll(user.getJvmArgsAppend().get());
            b.jvmArgsAppend(append.toArray(String[]::new));
        }
        if (!user.shouldFailOnError().hasValue()) {
            b.shouldFailOnError(true); // a failed correctness check must fail the run, not drop a row
        }
        return b.resultFormat(ResultFormatType.JSON).result(resultFile.toString()).build();
    }
}
