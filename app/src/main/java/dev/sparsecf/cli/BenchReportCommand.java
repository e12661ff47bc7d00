package dev.sparsecf.cli;

import dev.sparsecf.perf.BenchReport;
import dev.sparsecf.perf.ResultsArchive;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code sparsecf bench report}: renders the Markdown report and SVG charts of a results directory. */
@Command(name = "report",
        description = {"Render a Markdown report with SVG charts from every results/<cpu>/*.json.",
                "Per CPU: throughput, speed-up over scalar and %% of the CPU's bound (peaks from "
                + "<cpu>/machine.json); a side-by-side table when there are several CPUs."})
public final class BenchReportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--results", paramLabel = "DIR",
            description = "Results directory, one subdirectory per CPU (default: results/ in the repository).")
    Path results;

    @Option(names = "--out", paramLabel = "FILE",
            description = "The report; the charts go beside it (default: README.md in the results directory).")
    Path out;

    @Override
    public Integer call() throws IOException {
        Path dir = results != null ? results
                : Path.of(System.getenv().getOrDefault(BenchCommand.HOME_ENV, ".")).resolve("results");
        if (!Files.isDirectory(dir)) {
            throw new ParameterException(spec.commandLine(), "--results: " + dir + " is not a directory");
        }
        Path report = out != null ? out : dir.resolve("README.md");
        PrintWriter err = spec.commandLine().getErr();
        List<ResultsArchive.Cpu> cpus = ResultsArchive.load(dir, warning -> err.println("sparsecf bench report: "
                + warning));
        if (cpus.isEmpty()) {
            throw new IllegalStateException("no JMH results under " + dir
                    + " (expected <cpu-slug>/*.json as sparsecf bench writes them)");
        }
        List<Path> written = BenchReport.write(cpus, report);
        int runs = cpus.stream().mapToInt(c -> c.runs().size()).sum();
        spec.commandLine().getOut().printf("wrote %s and %d chart%s from %d run%s of %d CPU%s%n", report,
                written.size() - 1, written.size() == 2 ? "" : "s", runs, runs == 1 ? "" : "s", cpus.size(),
                cpus.size() == 1 ? "" : "s");
        return 0;
    }
}
