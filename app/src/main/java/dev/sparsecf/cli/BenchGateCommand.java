package dev.sparsecf.cli;

import dev.sparsecf.perf.JmhResults;
import dev.sparsecf.perf.RunMetadata;
import dev.sparsecf.perf.gate.RatioGate;
import dev.sparsecf.perf.gate.RegressionGate;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code sparsecf bench gate}: fails (exit 1) on a performance regression, either between two saved runs
 * ({@code --baseline A.json --candidate B.json}) or against the speed-up floors and allocation ceilings of
 * a gates file ({@code --ratios bench/gates.json}, which runs its own short benchmark).
 */
@Command(name = "gate",
        description = {"Fail (exit 1) on a performance regression: between two runs, or against bench/gates.json.",
                "  --baseline A.json --candidate B.json [--threshold 10%%]: a result regresses",
                "    when it is worse by more than the threshold and the two confidence",
                "    intervals do not overlap.",
                "  --ratios bench/gates.json: runs each kernel briefly; its speed-up over",
                "    scalar must stay above the file's floor and the bytes it allocates per",
                "    call below the file's ceiling."})
public final class BenchGateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--baseline", paramLabel = "FILE", description = "The reference JMH JSON run.")
    Path baseline;

    @Option(names = "--candidate", paramLabel = "FILE", description = "The JMH JSON run to check against it.")
    Path candidate;

    @Option(names = "--threshold", paramLabel = "PERCENT", defaultValue = "10%",
            description = "How much worse a result may get, e.g. 10%% or 5 (default: 10%%).")
    String threshold;

    @Option(names = "--ratios", paramLabel = "FILE", description = "Gates file: run the CI gate it describes.")
    Path ratios;

    @Option(names = "--from", paramLabel = "FILE",
            description = "With --ratios: check this JMH JSON run (made with -prof gc) instead of running one.")
    Path from;

    @Option(names = "--threads", paramLabel = "N",
            description = "With --ratios: kernel threads (default: run.threads of the gates file).")
    Integer threads;

    @Override
    public Integer call() throws IOException {
        if (ratios != null) {
            if (baseline != null || candidate != null) {
                throw usage("give either --ratios or --baseline/--candidate, not both");
            }
            return ratioGate();
        }
        if (from != null || threads != null) {
            throw usage("--from and --threads go with --ratios");
        }
        if (baseline == null || candidate == null) {
            throw usage("give --baseline A.json --candidate B.json, or --ratios bench/gates.json");
        }
        return regressionGate(parseThreshold());
    }

    private int regressionGate(double fraction) throws IOException {
        List<RegressionGate.Comparison> comparisons =
                RegressionGate.compare(JmhResults.read(baseline), JmhResults.read(candidate), fraction);
        long compared = comparisons.stream().filter(c -> c.baseline() != null && c.candidate() != null).count();
        if (compared == 0) {
            throw new IllegalStateException(baseline + " and " + candidate
                    + " have no benchmark with the same params in common: nothing to compare");
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(RegressionGate.table(comparisons));
        List<RegressionGate.Comparison> failed = comparisons.stream().filter(c -> c.verdict().fails()).toList();
        String limit = threshold.strip().endsWith("%") ? threshold.strip() : threshold.strip() + "%";
        if (failed.isEmpty()) {
            out.printf("gate passed: %d results compared, none worse by more than %s outside the noise%n",
                    compared, limit);
            return 0;
        }
        out.flush();
        spec.commandLine().getErr().printf("gate FAILED: %d of %d results regressed (worse by more than %s, "
                        + "confidence intervals apart) or changed mode/unit: %s%n", failed.size(), compared, limit,
                failed.stream().map(RegressionGate.Comparison::key).toList());
        return Main.FAILURE;
    }

    private int ratioGate() throws IOException {
        RatioGate.Config config = RatioGate.read(ratios, RunMetadata.preferredVectorBits());
        PrintWriter out = spec.commandLine().getOut();
        List<JmhResults.Result> results;
        if (from != null) {
            if (threads != null) {
                throw usage("--threads sets up a run; --from checks a finished one");
            }
            results = JmhResults.read(from);
        } else {
            results = run(config, out);
        }
        List<RatioGate.Check> checks = RatioGate.check(config, results);
        out.println();
        out.print(RatioGate.probeSummary(config, results));
        out.print(RatioGate.table(checks));
        if (RatioGate.passed(checks)) {
            out.printf("gate passed: %d kernels at or above their speed-up and roofline floors and within their "
                    + "allocation ceilings (%s)%n", config.kernels().size(), ratios);
            return 0;
        }
        out.flush();
        long failed = checks.stream().filter(c -> !c.problems().isEmpty()).count();
        spec.commandLine().getErr().printf("gate FAILED: %d of %d kernel/impl checks (see the table above; "
                + "floors and ceilings in %s)%n", failed, checks.size(), ratios);
        return Main.FAILURE;
    }

    /** Runs every kernel of the gates file in its own JMH session and returns all their results. */
    private List<JmhResults.Result> run(RatioGate.Config config, PrintWriter out) throws IOException {
        int kernelThreads = threads == null ? config.run().threads() : threads;
        if (kernelThreads < 1) {
            throw usage("--threads must be >= 1, got " + kernelThreads);
        }
        out.printf("sparsecf bench gate: %d kernels from %s, %d kernel thread%s%n", config.kernels().size(),
                ratios, kernelThreads, kernelThreads == 1 ? "" : "s");
        out.flush();
        return RatioGate.run(config, kernelThreads, ratios);
    }

    /** "10%", "10" or "2.5%" as a fraction (0.1, 0.1, 0.025). */
    double parseThreshold() {
        String t = threshold.strip();
        t = t.endsWith("%") ? t.substring(0, t.length() - 1).strip() : t;
        double percent;
        try {
            percent = Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw usage("--threshold must be a percentage such as 10% or 2.5, got '" + threshold + "'");
        }
        if (!(percent >= 0) || Double.isInfinite(percent)) {
            throw usage("--threshold must be a percentage >= 0, got '" + threshold + "'");
        }
        return percent / 100;
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
