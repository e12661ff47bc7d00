package dev.sparsecf.cli;

import dev.sparsecf.perf.BenchProfile;
import dev.sparsecf.perf.BenchSession;
import dev.sparsecf.perf.JmhResults;
import dev.sparsecf.perf.MachineInfo;
import dev.sparsecf.perf.PeerRun;
import dev.sparsecf.perf.ResultFiles;
import dev.sparsecf.perf.RunMetadata;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
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

    @Spec
    CommandSpec spec;

    @Option(names = "--profile", paramLabel = "quick|full", defaultValue = "quick",
            description = "quick: 1 fork, short runs, a few minutes; full: the benchmarks' own settings (default: ${DEFAULT-VALUE}).")
    BenchProfile profile;

    @Option(names = "--include", paramLabel = "REGEX",
            description = "Run only benchmarks whose name matches, e.g. Spmm or 'TopK|LogSoftmax' (default: all).")
    String include;

    @Option(names = "--threads", paramLabel = "N",
            description = "Kernel threads for every implementation (default: all cores).")
    Integer threads;

    @Option(names = "--peers",
            description = "Run the Mult-VAE training step beside libtorch's (TorchTrainStepBenchmark) and print the ratio;"
                    + " needs the peers jar of the opt-in Maven profile peers-torch (downloads libtorch).")
    boolean peers;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Results directory (default: results/ in the repository).")
    Path out;

    @Parameters(paramLabel = "JMH_ARGS", arity = "0..*", description = "Options passed to JMH (its -h lists them).")
    List<String> jmhArgs = new ArrayList<>();

    @Override
    public Integer call() throws IOException, InterruptedException {
        Options user = parseJmhArgs();
        int kernelThreads = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (kernelThreads < 1) {
            throw new ParameterException(spec.commandLine(), "--threads must be >= 1, got " + kernelThreads);
        }
        if (peers) {
            if (include != null) {
                throw new ParameterException(spec.commandLine(), "--peers runs the two training-step benchmarks; drop --include");
            }
            return runPeers(kernelThreads);
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
        List<String> all = BenchSession.benchmarkNames();
        List<BenchProfile.Run> runs = profile.plan(all, includePattern);
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
        byte[] raw = BenchSession.run(profile, user, runs, kernelThreads);
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

    /** {@code --peers}: sparsecf's and libtorch's training step in one run of the peers jar, saved as {@code ...-peers.json}. */
    private int runPeers(int kernelThreads) throws IOException, InterruptedException {
        Path home = Path.of(System.getenv().getOrDefault(HOME_ENV, "."));
        Path jar = PeerRun.jar(home);
        MachineInfo machine = MachineInfo.local();
        Path dir = (out == null ? home.resolve("results") : out).resolve(machine.slug());
        PrintWriter o = spec.commandLine().getOut();
        o.printf("sparsecf bench --peers: profile %s, %d thread%s, %s, results to %s%n", profile.id(), kernelThreads,
                kernelThreads == 1 ? "" : "s", jar, dir);
        o.flush();
        byte[] raw = PeerRun.run(jar, profile, kernelThreads, jmhArgs);
        List<JmhResults.Result> results = JmhResults.parse(new String(raw, StandardCharsets.UTF_8));
        o.println();
        o.print(JmhResults.table(JmhResults.rows(results)));
        o.print(PeerRun.ratios(results));
        RunMetadata meta = new RunMetadata(machine, profile.id() + "-peers", "TrainStepBenchmark|TorchTrainStepBenchmark",
                jmhArgs, kernelThreads, home, results);
        String base = LocalDate.now() + "-" + RunMetadata.shortCommit(home) + "-" + profile.id() + "-peers";
        ResultFiles.Saved saved = ResultFiles.save(dir, base, raw, meta::toJson);
        o.println("saved " + saved.results() + " and " + saved.meta().getFileName());
        return 0;
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

}
