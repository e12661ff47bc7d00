package dev.sparsecf.perf;

import dev.sparsecf.cli.Main;
import dev.sparsecf.render.SvgBarChart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * {@code sparsecf bench report} on src/test/resources/report-results: an AVX-512 CPU with two runs, peaks and
 * metadata, and an AVX2 CPU copied in with one bare JMH file.
 */
class BenchReportTest {

    private static final String INTEL = "intel-xeon-processor-f6m143-avx512-2c";
    private static final String AMD = "amd-epyc-7b13-avx2-4c";
    private static final String NEWER = "2025-11-27-bbbbbbb-quick";
    private static final String OLDER = "2025-11-26-aaaaaaa-quick";

    @TempDir
    Path tmp;

    private static Path sample() throws URISyntaxException {
        return Path.of(Objects.requireNonNull(BenchReportTest.class.getResource("/report-results")).toURI());
    }

    private record Rendered(int code, String out, String err, String report, Path dir) {

        String svg(String name) throws IOException {
            return Files.readString(dir.resolve(name));
        }

        /** The report line that starts with {@code prefix}, inside the section of {@code cpu}. */
        String row(String cpu, String prefix) {
            String section = report.substring(report.indexOf("## " + cpu));
            return section.lines().filter(l -> l.startsWith(prefix)).findFirst()
                    .orElseThrow(() -> new AssertionError("no row '" + prefix + "' under " + cpu + ":\n" + report));
        }
    }

    private Rendered render(Path results) throws IOException {
        Path out = tmp.resolve("report").resolve("README.md");
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Main.run(new PrintWriter(o, true), new PrintWriter(e, true),
                "bench", "report", "--results", results.toString(), "--out", out.toString());
        String report = Files.isRegularFile(out) ? Files.readString(out) : "";
        return new Rendered(code, o.toString(), e.toString(), report, out.getParent());
    }

    @Test
    void tablesShowTheNewestResultsWithSpeedupsAndBoundFractions() throws Exception {
        Rendered r = render(sample());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("wrote ") && r.out().contains("and 3 charts from 3 runs of 2 CPUs"), r.out());

        // the newer run replaces the older one: 300 / 60 calls/s; 24 GB/s of a 71 GB/s STREAM triad
        assertEquals("| spmm | ml20m-vae | panama | 300.0 | 3.00 | 5.00x | 24.0 | 6.00 | 34% memory | " + NEWER + " |",
                r.row(INTEL, "| spmm | ml20m-vae | panama"));
        assertTrue(r.row(INTEL, "| spmm | ml20m-vae | scalar").contains("| 60.0 |"));
        // only the older run measured log-softmax; time per call becomes calls per second
        assertEquals("| logSoftmax | ml20m-vae | panama | 100.0 | 5.00 | 10.00x | - | - | - | " + OLDER + " |",
                r.row(INTEL, "| logSoftmax | ml20m-vae | panama"));
        // compute-bound results are measured against the FMA peak of their precision
        assertTrue(r.row(INTEL, "| gemm {n=2000} |").contains("| 50% fp32 FMA |"), r.row(INTEL, "| gemm"));
        assertTrue(r.row(INTEL, "| cholesky {n=2000} |").contains("| 105.0 | 50% fp64 FMA |"),
                r.row(INTEL, "| cholesky"));
        assertTrue(r.row(INTEL, "| topK | ml20m-vae | panama").contains("| 1.7% memory |"));
        assertEquals("- Bounds: STREAM triad 71.0 GB/s, float32 FMA peak 420.0 GFLOP/s, float64 FMA peak 210.0 GFLOP/s "
                + "(2 threads). Source: test fixture", r.row(INTEL, "- Bounds: "));
        assertTrue(r.row(INTEL, "- CPU: ").contains("Intel(R) Xeon(R) Processor (family 6, model 143), 2 logical CPUs, avx512; JDK "
                + "25.0.1+8-LTS, 512-bit vectors; 2 kernel threads"), r.row(INTEL, "- CPU: "));
        assertTrue(r.row(INTEL, "- Runs").indexOf(OLDER) < r.row(INTEL, "- Runs").indexOf(NEWER), "oldest first");
        assertTrue(r.row(INTEL, "- Runs").contains("(quick, bbbbbbb, uncommitted changes)"), r.row(INTEL, "- Runs"));
    }

    @Test
    void aCpuCopiedInWithoutMetadataOrPeaksJustWorks() throws Exception {
        Rendered r = render(sample());
        assertEquals("| spmm | ml20m-vae | panama | 240.0 | 2.40 | 3.00x | 19.2 | 4.80 | - | 2025-11-20-ccccccc-full |",
                r.row(AMD, "| spmm | ml20m-vae | panama"));
        assertTrue(r.row(AMD, "- Bounds: unknown").contains("no `machine.json`"));
        assertTrue(r.row(AMD, "- CPU: no `.meta.json`").length() > 0);
    }

    @Test
    void theBestMeasuredMemoryBandwidthIsTheBoundWhenGiven() throws Exception {
        Path results = copyOfSample();
        Files.writeString(results.resolve(AMD).resolve("machine.json"),
                "{\"memoryGBps\": 40, \"streamTriadGBps\": 30, \"readGBps\": 40, \"source\": \"peaks.c\"}");
        Rendered r = render(results);
        assertEquals(0, r.code(), r.err());
        // 19.2 GB/s of the 40 GB/s best stream, not of the 30 GB/s triad
        assertTrue(r.row(AMD, "| spmm | ml20m-vae | panama").contains("| 19.2 | 4.80 | 48% memory |"),
                r.row(AMD, "| spmm | ml20m-vae | panama"));
        assertEquals("- Bounds: memory bandwidth 40.0 GB/s. Source: peaks.c", r.row(AMD, "- Bounds: "));
    }

    @Test
    void severalCpusGetASideBySideTable() throws Exception {
        Rendered r = render(sample());
        String header = r.report().lines().filter(l -> l.startsWith("| kernel | shape | impl | " + AMD)).findFirst()
                .orElseThrow(() -> new AssertionError(r.report()));
        assertEquals("| kernel | shape | impl | " + AMD + " calls/s | " + INTEL + " calls/s | " + AMD + " vs scalar | "
                + INTEL + " vs scalar |", header);
        assertTrue(r.report().contains("| spmm | ml20m-vae | panama | 240.0 | 300.0 | 3.00x | 5.00x |"), r.report());
        assertTrue(r.report().contains("| logSoftmax | ml20m-vae | panama | - | 100.0 | - | 10.00x |"), r.report());
        assertTrue(r.report().indexOf("## CPU comparison") < r.report().indexOf("## " + AMD));
    }

    @Test
    void otherJsonFilesAreSkippedWithAMessage() throws Exception {
        Rendered r = render(sample());
        assertTrue(r.err().contains("notes.json: not a JMH result file"), r.err());
        assertTrue(r.err().contains("ml-1m-vae.json: not a JMH result file"), r.err());
        assertFalse(r.report().contains("## studies"), "a directory without JMH results is no CPU");
    }

    @Test
    void anExperimentsOwnJmhFilesAreNoCpu() throws Exception {
        Path results = copyOfSample();
        Path experiment = Files.createDirectories(results.resolve("ease-fit"));
        Files.copy(results.resolve(AMD).resolve("2025-11-20-ccccccc-full.json"), experiment.resolve("gemm.json"));
        Rendered r = render(results);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("gemm.json: a JMH file not named DATE-COMMIT-PROFILE.json"), r.err());
        assertFalse(r.report().contains("## ease-fit"), r.report());
        assertTrue(r.report().contains("from 3 result files of 2 CPUs"), r.report());
    }

    @Test
    void chartsAreWellFormedSvgWithOneBarPerValue() throws Exception {
        Rendered r = render(sample());
        assertTrue(r.report().contains("![Speed-up over the scalar kernels, per CPU](speedup.svg)"));
        assertTrue(r.report().contains("](throughput-" + INTEL + ".svg)"));
        // speed-ups: AMD spmm and topK; Intel spmm at both shapes, topK and log-softmax (blas has no scalar twin)
        Document speedup = parse(r.svg("speedup.svg"));
        assertEquals(6, bars(speedup).size());
        assertEquals(1, lines(speedup, "bound").size(), "the 1x line");

        Document intel = parse(r.svg("throughput-" + INTEL + ".svg"));
        // 10 results; log-softmax counts no traffic, so its two bars are calls/s
        assertEquals(10, bars(intel).size());
        List<String> titles = new ArrayList<>();
        NodeList texts = intel.getElementsByTagName("text");
        for (int i = 0; i < texts.getLength(); i++) {
            titles.add(texts.item(i).getTextContent());
        }
        assertTrue(titles.contains("STREAM triad 71"), titles.toString());
        assertTrue(titles.contains("float32 FMA peak 420"), titles.toString());
        assertTrue(titles.contains("GB/s (memory)") && titles.contains("calls/s"), titles.toString());
        Document amd = parse(r.svg("throughput-" + AMD + ".svg"));
        assertEquals(4, bars(amd).size());
        assertEquals(0, lines(amd, "bound").size(), "no peaks known for this CPU");
    }

    @Test
    void byDefaultTheReportGoesIntoTheResultsDirectoryWithRelativeLinks() throws Exception {
        Path results = copyOfSample();
        StringWriter out = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true),
                "bench", "report", "--results", results.toString());
        assertEquals(0, code, out.toString());
        String report = Files.readString(results.resolve("README.md"));
        assertTrue(Files.isRegularFile(results.resolve("speedup.svg")));
        assertTrue(Files.isRegularFile(results.resolve("throughput-" + AMD + ".svg")));
        assertTrue(report.contains("[" + NEWER + "](" + INTEL + "/" + NEWER + ".json)"), report);
        assertFalse(report.contains(tmp.toString()), "no absolute paths");

        // rendering again gives the same bytes: the report and charts hold no dates or timings of their own
        byte[] svg = Files.readAllBytes(results.resolve("speedup.svg"));
        assertEquals(0, Main.run(new PrintWriter(new StringWriter(), true), new PrintWriter(new StringWriter(), true),
                "bench", "report", "--results", results.toString()));
        assertEquals(report, Files.readString(results.resolve("README.md")));
        assertEquals(new String(svg, java.nio.charset.StandardCharsets.UTF_8),
                Files.readString(results.resolve("speedup.svg")));
    }

    @Test
    void badInputIsNamed() throws Exception {
        Path results = tmp.resolve("results");
        Path cpu = Files.createDirectories(results.resolve("some-cpu-2c"));
        assertError("no JMH results under " + results, render(results));

        JmhJson.write(cpu, "2025-01-01-abc-quick.json", JmhJson.result("dev.sparsecf.bench.SpmmBenchmark.spmm",
                "thrpt", java.util.Map.of("impl", "scalar"), JmhJson.metric(1.0, 0.1, "ops/s", 1), java.util.Map.of()));
        Files.writeString(cpu.resolve("machine.json"), "{\"streamTriadGBps\": -3}");
        assertError(cpu.resolve("machine.json") + ": streamTriadGBps must be a positive number, got -3",
                render(results));

        Files.writeString(cpu.resolve("machine.json"), "{\"threads\": 2}");
        assertError("gives none of float32FmaGflops, float64FmaGflops, memoryGBps, streamTriadGBps", render(results));

        Files.delete(cpu.resolve("machine.json"));
        Files.writeString(cpu.resolve("2025-01-02-abc-quick.json"), "[{\"benchmark\": ");
        assertError("2025-01-02-abc-quick.json: not valid JSON at line 1", render(results));

        Rendered missing = render(tmp.resolve("nowhere"));
        assertEquals(Main.USAGE_ERROR, missing.code());
        assertTrue(missing.err().contains("--results: " + tmp.resolve("nowhere") + " is not a directory"),
                missing.err());
    }

    /** A writable copy of the sample results directory. */
    private Path copyOfSample() throws IOException, URISyntaxException {
        Path results = tmp.resolve("results");
        try (Stream<Path> files = Files.walk(sample())) {
            for (Path f : files.toList()) {
                Path to = results.resolve(sample().relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(f, to);
                }
            }
        }
        return results;
    }

    private static void assertError(String expected, Rendered r) {
        assertEquals(Main.FAILURE, r.code(), r.out());
        assertTrue(r.err().contains(expected), "'" + expected + "' in: " + r.err());
    }

    @Test
    void niceAxisSteps() {
        assertEquals(1, SvgBarChart.niceStep(0.9), 1e-12);
        assertEquals(2, SvgBarChart.niceStep(1.3), 1e-12);
        assertEquals(50, SvgBarChart.niceStep(31), 1e-12);
        assertEquals(100, SvgBarChart.niceStep(51), 1e-12);
        assertEquals(1, SvgBarChart.niceStep(0), 1e-12);
        assertEquals("a &lt;b&gt; &amp; &quot;c&quot; &apos;d&apos;", SvgBarChart.escape("a <b> & \"c\" 'd'"));
        assertEquals("0.5", SvgBarChart.tick(0.5, 0.5));
        assertEquals("40", SvgBarChart.tick(40, 20));
        assertEquals("0.02", SvgBarChart.tick(0.02, 0.01));
        assertEquals("1,000", SvgBarChart.tick(1000, 500));
    }

    private static Document parse(String svg) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(new java.io.ByteArrayInputStream(svg.getBytes(
                java.nio.charset.StandardCharsets.UTF_8)));
    }

    private static List<Element> bars(Document d) {
        return byClass(d, "rect", "bar");
    }

    private static List<Element> lines(Document d, String cls) {
        return byClass(d, "line", cls);
    }

    private static List<Element> byClass(Document d, String tag, String cls) {
        NodeList all = d.getElementsByTagName(tag);
        return Stream.iterate(0, i -> i < all.getLength(), i -> i + 1).map(i -> (Element) all.item(i))
                .filter(e -> e.getAttribute("class").equals(cls)).toList();
    }
}
