package dev.sparsecf.perf;

import dev.sparsecf.render.SvgBarChart;

import dev.sparsecf.perf.MachinePeaks.Bound;
import dev.sparsecf.perf.ResultsArchive.Cpu;
import dev.sparsecf.perf.ResultsArchive.Run;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The Markdown report of a results directory ({@code sparsecf bench report}): per CPU a table of the newest
 * result of every benchmark, implementation and shape with its speed-up over scalar and its fraction of the
 * CPU's physical bound, a side-by-side table when there are several CPUs, and SVG charts beside the report.
 */
public final class BenchReport {

    /** Tables and charts list results by kernel, shape and impl, scalar first. */
    private static final Comparator<Entry> ORDER = Comparator.comparing((Entry e) -> e.result().kernel())
            .thenComparing(e -> e.result().shape())
            .thenComparing(e -> !e.result().impl().equals(JmhResults.BASELINE))
            .thenComparing(e -> e.result().impl())
            .thenComparing(e -> e.result().key());

    /** The chart of speed-ups over scalar, beside the report. */
    static final String SPEEDUP_CHART = "speedup.svg";

    private BenchReport() {
    }

    /**
     * The share of the CPU's bound a result reaches: the larger of its counters' rates over their peaks (the
     * roofline's binding side), with that side; NaN and null when no counter has a known peak.
     */
    record Fraction(double value, Bound bound) {
    }

    /** A displayed result: the newest one of its key on a CPU, with its run and its rate as calls per second. */
    record Entry(Run run, JmhResults.Row row, double callsPerSecond, double callsError, Fraction fraction) {

        JmhResults.Result result() {
            return row.result();
        }

        /** What the same result on another CPU is matched by: kernel, shape, impl. */
        String label() {
            return String.join("\u0000", result().kernel(), result().shape(), result().impl());
        }
    }

    /** The chart file of {@code cpu}'s throughput per shape, beside the report. */
    static String throughputChart(Cpu cpu) {
        return "throughput-" + cpu.slug() + ".svg";
    }

    /** Writes the report to {@code out} and its charts beside it; returns every file written. */
    public static List<Path> write(List<Cpu> cpus, Path out) throws IOException {
        Path dir = out.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Map<String, String> charts = charts(cpus);
        List<Path> written = new ArrayList<>();
        Files.writeString(out, markdown(cpus, dir, charts.keySet()), StandardCharsets.UTF_8);
        written.add(out);
        for (Map.Entry<String, String> c : charts.entrySet()) {
            Path file = dir.resolve(c.getKey());
            Files.writeString(file, c.getValue(), StandardCharsets.UTF_8);
            written.add(file);
        }
        return written;
    }

    /** The newest result of every key on {@code cpu}, by kernel, shape and impl (scalar first). */
    static List<Entry> entries(Cpu cpu) {
        Map<String, Entry> newest = new LinkedHashMap<>();
        for (Run run : cpu.runs()) {
            // speed-ups are computed within each run; a later run replaces a result, never mixes with it
            for (JmhResults.Row row : JmhResults.rows(run.results())) {
                newest.put(row.result().key(), entry(cpu.peaks(), run, row));
            }
        }
        List<Entry> entries = new ArrayList<>(newest.values());
        entries.sort(ORDER);
        return entries;
    }

    private static Entry entry(MachinePeaks peaks, Run run, JmhResults.Row row) {
        JmhResults.Metric m = row.result().primary();
        double calls = m.opsPerSecond(m.score());
        return new Entry(run, row, calls, Math.abs(calls * m.error() / m.score()), fraction(peaks, row.result()));
    }

    /** The roofline fraction of {@code r} on a CPU with {@code peaks} (null when unknown). */
    static Fraction fraction(MachinePeaks peaks, JmhResults.Result r) {
        Fraction best = new Fraction(Double.NaN, null);
        if (peaks == null) {
            return best;
        }
        for (Bound b : Bound.values()) {
            double f = r.ratePerSecond(b.counter) / 1e9 / peaks.peak(b);
            if (Double.isFinite(f) && !(f <= best.value())) {
                best = new Fraction(f, b);
            }
        }
        return best;
    }

    /** The report text; {@code dir} is where it goes (links are relative to it), {@code charts} the files beside it. */
    static String markdown(List<Cpu> cpus, Path dir, Set<String> charts) {
        StringBuilder md = new StringBuilder();
        int files = cpus.stream().mapToInt(c -> c.runs().size()).sum();
        md.append("# Kernel benchmark results\n\n");
        md.append(String.format(Locale.ROOT, "Generated by `sparsecf bench report` from %d result file%s of %d CPU%s. "
                        + "It rewrites this file and the charts beside it; do not edit them by hand.%n%n",
                files, files == 1 ? "" : "s", cpus.size(), cpus.size() == 1 ? "" : "s"));
        md.append("Each CPU's table holds the newest result of every benchmark, implementation and shape in its "
                + "directory. **calls/s** is JMH's score as kernel calls per second (± the half-width of its 99.9% "
                + "confidence interval); **vs scalar** divides it by the scalar kernel's score from the same run; "
                + "**GB/s** and **GFLOP/s** are the benchmark's `bytes` and `flops` counters (the traffic and the "
                + "arithmetic one call defines, per second); **% of bound** is the roofline fraction: the larger of "
                + "GB/s over the CPU's memory bandwidth (the best of bench/peaks/peaks.c's streams, or the STREAM triad "
                + "where only that was measured) and GFLOP/s over its FMA peak (float64 benchmarks "
                + "count `flops64`), with the peaks from the CPU directory's `" + MachinePeaks.FILE + "`.\n\n");
        if (charts.contains(SPEEDUP_CHART)) {
            md.append("![Speed-up over the scalar kernels, per CPU](").append(SPEEDUP_CHART).append(")\n\n");
        }
        if (cpus.size() > 1) {
            comparison(md, cpus);
        }
        for (Cpu cpu : cpus) {
            section(md, cpu, dir, charts);
        }
        return md.toString();
    }

    private static void comparison(StringBuilder md, List<Cpu> cpus) {
        Map<String, Map<String, Entry>> byLabel = new LinkedHashMap<>();
        List<Entry> all = new ArrayList<>();
        cpus.forEach(cpu -> all.addAll(entries(cpu)));
        all.sort(ORDER);
        for (Cpu cpu : cpus) {
            for (Entry e : entries(cpu)) {
                byLabel.computeIfAbsent(e.label(), k -> new LinkedHashMap<>()).put(cpu.slug(), e);
            }
        }
        md.append("## CPU comparison\n\nThe newest result of each kernel, shape and implementation on every CPU "
                + "(calls/s; speed-up over scalar from the same run).\n\n");
        StringBuilder header = new StringBuilder("| kernel | shape | impl |");
        StringBuilder rule = new StringBuilder("|---|---|---|");
        for (Cpu cpu : cpus) {
            header.append(' ').append(cpu.slug()).append(" calls/s |");
            rule.append("---:|");
        }
        for (Cpu cpu : cpus) {
            header.append(' ').append(cpu.slug()).append(" vs scalar |");
            rule.append("---:|");
        }
        md.append(header).append('\n').append(rule).append('\n');
        Set<String> done = new LinkedHashSet<>();
        for (Entry first : all) {
            if (!done.add(first.label())) {
                continue;
            }
            Map<String, Entry> row = byLabel.get(first.label());
            md.append("| ").append(cell(first.result().kernel())).append(" | ").append(cell(first.result().shape()))
                    .append(" | ").append(cell(first.result().impl())).append(" |");
            for (Cpu cpu : cpus) {
                Entry e = row.get(cpu.slug());
                md.append(' ').append(e == null ? "-" : JmhResults.format(e.callsPerSecond())).append(" |");
            }
            for (Cpu cpu : cpus) {
                Entry e = row.get(cpu.slug());
                md.append(' ').append(e == null ? "-" : speedup(e.row().speedup())).append(" |");
            }
            md.append('\n');
        }
        md.append('\n');
    }

    private static void section(StringBuilder md, Cpu cpu, Path dir, Set<String> charts) {
        md.append("## ").append(cpu.slug()).append("\n\n");
        Run described = cpu.runs().reversed().stream().filter(r -> !r.meta().isMissingNode()).findFirst().orElse(null);
        if (described == null) {
            md.append("- CPU: no `.meta.json` beside the results, so only the directory name describes it\n");
        } else {
            // runs saved before the family and model were recorded give null for them, and the name alone
            md.append("- CPU: ").append(MachineInfo.describe(orDash(described.meta("/cpu/model")),
                            described.meta("/cpu/family"), described.meta("/cpu/modelNumber")))
                    .append(", ").append(orDash(described.meta("/cpu/logicalCpus"))).append(" logical CPUs, ")
                    .append(orDash(described.meta("/cpu/widestIsa")))
                    .append("; JDK ").append(orDash(described.meta("/jdk/version")))
                    .append(", ").append(orDash(described.meta("/jdk/preferredVectorBitSize")))
                    .append("-bit vectors; ").append(orDash(described.meta("/kernels/sparsecf.threads")))
                    .append(" kernel threads (newest run with metadata)\n");
        }
        if (cpu.peaks() == null) {
            md.append("- Bounds: unknown: no `").append(MachinePeaks.FILE).append("` in this directory, so "
                    + "there is no % of bound (README.md, section Benchmarks, says how to add one)\n");
        } else {
            md.append("- Bounds: ").append(cpu.peaks().describe());
            if (!cpu.peaks().source().isEmpty()) {
                md.append(". Source: ").append(cpu.peaks().source());
            }
            md.append('\n');
        }
        md.append("- Runs, oldest first:");
        for (Run r : cpu.runs()) {
            md.append(String.format(Locale.ROOT, " [%s](%s)", r.name(), link(dir, r.file())));
            String profile = r.meta("/profile");
            String commit = r.meta("/git/commit");
            List<String> about = new ArrayList<>();
            if (profile != null) {
                about.add(profile);
            }
            if (commit != null) {
                about.add(commit.substring(0, Math.min(7, commit.length())));
            }
            if ("true".equals(r.meta("/git/dirty"))) {
                about.add("uncommitted changes");
            }
            if (!about.isEmpty()) {
                md.append(" (").append(String.join(", ", about)).append(')');
            }
            md.append(r == cpu.newest() ? "" : ",");
        }
        md.append("\n\n");
        md.append("| kernel | shape | impl | calls/s | ± | vs scalar | GB/s | GFLOP/s | % of bound | run |\n");
        md.append("|---|---|---|---:|---:|---:|---:|---:|---:|---|\n");
        for (Entry e : entries(cpu)) {
            JmhResults.Result r = e.result();
            md.append("| ").append(cell(r.kernel())).append(" | ").append(cell(r.shape())).append(" | ")
                    .append(cell(r.impl())).append(" | ").append(JmhResults.format(e.callsPerSecond()))
                    .append(" | ").append(JmhResults.format(e.callsError()))
                    .append(" | ").append(speedup(e.row().speedup()))
                    .append(" | ").append(JmhResults.format(e.row().gbPerSecond()))
                    .append(" | ").append(JmhResults.format(e.row().gflopPerSecond()))
                    .append(" | ").append(percent(e.fraction()))
                    .append(" | ").append(cell(e.run().name())).append(" |\n");
        }
        md.append('\n');
        if (charts.contains(throughputChart(cpu))) {
            md.append("![Throughput per shape on ").append(cpu.slug()).append("](").append(throughputChart(cpu))
                    .append(")\n\n");
        }
    }

    /** Every chart the results support, by file name: the speed-ups of all CPUs, and each CPU's throughput. */
    static Map<String, String> charts(List<Cpu> cpus) {
        Map<String, String> charts = new LinkedHashMap<>();
        Set<String> impls = new LinkedHashSet<>();
        Map<String, List<Entry>> entries = new LinkedHashMap<>();
        for (Cpu cpu : cpus) {
            entries.put(cpu.slug(), entries(cpu));
            entries.get(cpu.slug()).stream().filter(e -> !Double.isNaN(e.row().speedup()))
                    .forEach(e -> impls.add(e.result().impl()));
        }
        if (!impls.isEmpty()) {
            charts.put(SPEEDUP_CHART, speedupChart(cpus, entries, impls.size() > 1));
        }
        for (Cpu cpu : cpus) {
            String svg = throughputSvg(cpu, entries.get(cpu.slug()));
            if (svg != null) {
                charts.put(throughputChart(cpu), svg);
            }
        }
        return charts;
    }

    private static String speedupChart(List<Cpu> cpus, Map<String, List<Entry>> entries, boolean nameImpl) {
        Map<String, List<SvgBarChart.Bar>> groups = new TreeMap<>();
        Set<String> series = new LinkedHashSet<>();
        for (Cpu cpu : cpus) {
            for (Entry e : entries.get(cpu.slug())) {
                if (Double.isNaN(e.row().speedup())) {
                    continue;
                }
                String s = nameImpl ? cpu.slug() + " " + e.result().impl() : cpu.slug();
                series.add(s);
                groups.computeIfAbsent(e.result().kernel() + " " + e.result().shape(), k -> new ArrayList<>())
                        .add(new SvgBarChart.Bar(s, e.row().speedup(), speedup(e.row().speedup())));
            }
        }
        List<SvgBarChart.Group> g = groups.entrySet().stream()
                .map(en -> new SvgBarChart.Group(en.getKey(), en.getValue())).toList();
        SvgBarChart.Panel panel = new SvgBarChart.Panel("", "speed-up over the scalar kernels (same run)", g,
                List.of(new SvgBarChart.Line(1, "1x")));
        return SvgBarChart.render("Speed-up over scalar, per kernel and shape", List.copyOf(series), List.of(panel));
    }

    /**
     * One panel per kernel: a bar per shape and implementation, in the unit of the kernel's binding bound
     * (GB/s or GFLOP/s, with the peak drawn) when it counts traffic or flops, else in calls/s.
     */
    private static String throughputSvg(Cpu cpu, List<Entry> entries) {
        Map<String, List<Entry>> byKernel = new LinkedHashMap<>();
        Set<String> impls = new LinkedHashSet<>();
        // the baseline's colour comes first in every chart's legend
        entries.stream().filter(e -> e.result().impl().equals(JmhResults.BASELINE)).findAny()
                .ifPresent(e -> impls.add(JmhResults.BASELINE));
        for (Entry e : entries) {
            byKernel.computeIfAbsent(e.result().kernel(), k -> new ArrayList<>()).add(e);
            impls.add(e.result().impl());
        }
        List<SvgBarChart.Panel> panels = new ArrayList<>();
        for (Map.Entry<String, List<Entry>> k : byKernel.entrySet()) {
            Bound bound = panelBound(k.getValue());
            Map<String, List<SvgBarChart.Bar>> shapes = new LinkedHashMap<>();
            for (Entry e : k.getValue()) {
                double v = bound == null ? e.callsPerSecond() : e.result().ratePerSecond(bound.counter) / 1e9;
                shapes.computeIfAbsent(e.result().shape(), s -> new ArrayList<>())
                        .add(new SvgBarChart.Bar(e.result().impl(), v, JmhResults.format(v)));
            }
            List<SvgBarChart.Line> lines = new ArrayList<>();
            if (bound != null && cpu.peaks() != null && !Double.isNaN(cpu.peaks().peak(bound))) {
                lines.add(new SvgBarChart.Line(cpu.peaks().peak(bound),
                        cpu.peaks().peakName(bound) + " " + SvgBarChart.tick(cpu.peaks().peak(bound), 1)));
            }
            panels.add(new SvgBarChart.Panel(k.getKey(), bound == null ? "calls/s" : bound.unit + " (" + bound.label
                    + ")", shapes.entrySet().stream().map(s -> new SvgBarChart.Group(s.getKey(), s.getValue()))
                    .toList(), lines));
        }
        if (panels.isEmpty()) {
            return null;
        }
        return SvgBarChart.render("Throughput per shape on " + cpu.slug(), List.copyOf(impls), panels);
    }

    /**
     * The bound a kernel's panel is drawn against: the binding side of its result nearest to a bound, or
     * without peaks the first counter it reports (traffic before flops); null when it counts neither.
     */
    private static Bound panelBound(List<Entry> entries) {
        Entry nearest = null;
        for (Entry e : entries) {
            boolean nearer = nearest == null || e.fraction().value() > nearest.fraction().value();
            if (e.fraction().bound() != null && nearer) {
                nearest = e;
            }
        }
        if (nearest != null) {
            return nearest.fraction().bound();
        }
        for (Bound b : Bound.values()) {
            if (entries.stream().anyMatch(e -> !Double.isNaN(e.result().ratePerSecond(b.counter)))) {
                return b;
            }
        }
        return null;
    }

    private static String speedup(double s) {
        return Double.isNaN(s) ? "-" : String.format(Locale.ROOT, "%.2fx", s);
    }

    private static String percent(Fraction f) {
        if (f.bound() == null) {
            return "-";
        }
        double p = 100 * f.value();
        return String.format(Locale.ROOT, p < 10 ? "%.1f%% %s" : "%.0f%% %s", p, f.bound().label);
    }

    private static String orDash(String s) {
        return s == null || s.isEmpty() ? "-" : s;
    }

    /** A table cell: pipes would end the cell early. */
    private static String cell(String s) {
        return s.isEmpty() ? "-" : s.replace("|", "\\|");
    }

    /** {@code file} relative to {@code dir}, with forward slashes, for a Markdown link. */
    private static String link(Path dir, Path file) {
        Path rel = dir.relativize(file.toAbsolutePath());
        return rel.toString().replace('\\', '/');
    }
}
