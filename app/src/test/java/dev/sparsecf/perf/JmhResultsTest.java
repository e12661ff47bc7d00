package dev.sparsecf.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class JmhResultsTest {

    private static List<JmhResults.Result> sample() throws IOException {
        try (InputStream in = JmhResultsTest.class.getResourceAsStream("/jmh-sample.json")) {
            return JmhResults.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private static JmhResults.Row row(List<JmhResults.Row> rows, String kernel, String impl) {
        return rows.stream()
                .filter(r -> r.result().kernel().equals(kernel) && r.result().impl().equals(impl))
                .findFirst().orElseThrow();
    }

    @Test
    void parsesNonFiniteStringsAsNumbers() throws IOException {
        List<JmhResults.Result> results = sample();
        assertEquals(7, results.size());
        JmhResults.Result scalar = results.get(0);
        assertEquals("spmm", scalar.kernel());
        assertEquals("ml20m-vae", scalar.shape());
        assertEquals(30.0, scalar.primary().score());
        assertTrue(Double.isNaN(scalar.primary().error()), "\"NaN\" string");
        assertEquals(List.of("-Dsparsecf.threads=2", "--add-modules=jdk.incubator.vector", "-Xms2g"), scalar.jvmArgs());
        assertEquals(Double.POSITIVE_INFINITY, results.get(6).primary().score(), "\"+INF\" string");
    }

    @Test
    void speedupIsPanamaOverScalarOfTheSameBenchmarkAndShape() throws IOException {
        List<JmhResults.Row> rows = JmhResults.rows(sample());
        assertEquals(75.0 / 30.0, row(rows, "spmm", "panama").speedup(), 1e-12);
        assertTrue(Double.isNaN(row(rows, "spmm", "scalar").speedup()), "the baseline has no speed-up");
        // the scalar topK result comes after the panama one in the file
        assertEquals(12.0 / 4.0, row(rows, "topK", "panama").speedup(), 1e-12);
        // time per op: lower is better, so the ratio inverts
        assertEquals(80.0 / 20.0, row(rows, "logSoftmax", "panama").speedup(), 1e-12);
        assertTrue(Double.isNaN(row(rows, "spmmTranspose", "panama").speedup()), "no scalar result to compare with");
    }

    @Test
    void ratesComeFromTheAuxCountersInTheirTimeUnit() throws IOException {
        List<JmhResults.Row> rows = JmhResults.rows(sample());
        assertEquals(6.25, row(rows, "spmm", "panama").gbPerSecond(), 1e-12);
        assertEquals(1.5, row(rows, "spmm", "panama").gflopPerSecond(), 1e-12);
        // 1.8e6 bytes per ms = 1.8e9 bytes per s
        assertEquals(1.8, row(rows, "topK", "panama").gbPerSecond(), 1e-12);
        assertTrue(Double.isNaN(row(rows, "topK", "panama").gflopPerSecond()), "topK counts no flops");
        assertTrue(Double.isNaN(row(rows, "logSoftmax", "panama").gbPerSecond()), "no rate for time per op");
    }

    @Test
    void tablePrintsOneAlignedLinePerResult() throws IOException {
        String[] lines = JmhResults.table(JmhResults.rows(sample())).split(System.lineSeparator());
        assertEquals(8, lines.length);
        assertTrue(lines[0].startsWith("kernel"), lines[0]);
        String panama = lines[2];
        for (String cell : new String[] {"spmm", "ml20m-vae", "panama", "75.0", "± 1.50", "ops/s", "6.25", "1.50", "2.50x"}) {
            assertTrue(panama.contains(cell), "'" + cell + "' in: " + panama);
        }
        assertTrue(lines[1].contains("± -") && lines[1].endsWith("-"), "NaN error and no speed-up: " + lines[1]);
        for (String line : lines) {
            assertEquals(lines[0].length(), line.length(), "aligned: " + line);
        }
    }

    @Test
    void rejectsJsonThatIsNotAResultArray() {
        assertThrows(IOException.class, () -> JmhResults.parse("{\"benchmark\": \"x\"}"));
    }
}
