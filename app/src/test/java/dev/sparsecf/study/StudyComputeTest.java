package dev.sparsecf.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sparsecf.kernels.Kernels;
import dev.sparsecf.run.UsageException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The kernels a dataset's cells were computed with: recorded once, then required, with the flags that select them. */
class StudyComputeTest {

    private static final StudyCompute.Tiers JAVA = new StudyCompute.Tiers("java", "java", "java");
    private static final StudyCompute.Tiers OPENBLAS = new StudyCompute.Tiers("openblas", "openblas", "openblas");
    private static final StudyCompute.Tiers DNNL = new StudyCompute.Tiers("dnnl", "dnnl", "openblas");

    @TempDir
    Path dir;

    @Test
    void recordedOnceThenEveryDifferenceStops() throws IOException {
        StudyCompute java2 = new StudyCompute("panama", "java/panama", 2, JAVA);
        assertTrue(java2.check(dir), "nothing recorded yet");
        StringWriter err = new StringWriter();
        java2.write(dir, "ml-1m", 0, new PrintWriter(err, true));
        assertEquals("", err.toString(), "no earlier cells, nothing to say");
        assertFalse(java2.check(dir), "the same kernels: nothing to write");
        assertFalse(new StudyCompute("panama", "java/panama", 1, JAVA).check(dir), "the Java tier's results do not depend on threads");
        for (StudyCompute other : new StudyCompute[] {new StudyCompute("scalar", "java/panama", 1, JAVA),
                new StudyCompute("panama", "openblas", 2, OPENBLAS), new StudyCompute("scalar", "java/scalar", 2, JAVA)}) {
            UsageException e = assertThrows(UsageException.class, () -> other.check(dir));
            assertTrue(e.getMessage().startsWith(dir.resolve(StudyCompute.FILE) + ": its cells were computed with kernels"
                    + " panama, dense java/panama, 2 threads, this run would use "), e.getMessage());
            assertTrue(e.getMessage().endsWith("rerun with --kernels panama --blas java --threads 2, or choose another --out"),
                    e.getMessage());
        }
    }

    @Test
    void aNativeTiersThreadsMustMatch() throws IOException {
        new StudyCompute("panama", "openblas", 2, OPENBLAS).write(dir, "ml-1m", 0, new PrintWriter(new StringWriter(), true));
        UsageException e = assertThrows(UsageException.class, () -> new StudyCompute("panama", "openblas", 1, OPENBLAS).check(dir));
        assertTrue(e.getMessage().contains("dense openblas, 2 threads, this run would use kernels panama, dense openblas, 1 thread,"),
                e.getMessage());
    }

    @Test
    void earlierCellsAreNamedWhenTheRecordStartsLate() throws IOException {
        StringWriter err = new StringWriter();
        new StudyCompute("panama", "openblas", 1, OPENBLAS).write(dir, "lastfm", 7, new PrintWriter(err, true));
        assertEquals("lastfm: recording kernels panama, dense openblas, 1 thread in compute.json from now on; the 7 cell(s)"
                + " before it have theirs per run in study.json only\n", err.toString().replace(System.lineSeparator(), "\n"));
    }

    @Test
    void flagsSelectTheRecordedTierByItsMachineNames() {
        assertEquals("--kernels panama --blas openblas --threads 2", new StudyCompute("panama", "openblas", 2, OPENBLAS).flags());
        assertEquals("--kernels panama --blas dnnl --threads 1", new StudyCompute("panama", "gemm dnnl, inverse openblas", 1, DNNL).flags());
        assertEquals("--kernels scalar --blas java --threads 1", new StudyCompute("scalar", "java/scalar", 1, JAVA).flags());
        // auto's choice: a forced tier where one runs the same code, else auto itself
        assertEquals("--kernels panama --blas dnnl --threads 1", new StudyCompute("panama", "gemm dnnl, inverse openblas", 1,
                new StudyCompute.Tiers("auto", "dnnl", "openblas")).flags());
        assertEquals("--kernels panama --blas openblas --threads 2", new StudyCompute("panama", "openblas", 2,
                new StudyCompute.Tiers("auto", "openblas", "openblas")).flags());
        assertEquals("--kernels panama --blas java --threads 2", new StudyCompute("panama", "java/panama", 2,
                new StudyCompute.Tiers("auto", "java", "java")).flags());
        assertEquals("--kernels panama --blas auto (the calibration that chose 'gemm openblas, inverse java/panama') --threads 2",
                new StudyCompute("panama", "gemm openblas, inverse java/panama", 2, new StudyCompute.Tiers("auto", "openblas", "java")).flags());
        assertEquals("--kernels panama --blas auto (the calibration that chose 'gemm dnnl, inverse java/panama') --threads 2",
                new StudyCompute("panama", "gemm dnnl, inverse java/panama", 2, new StudyCompute.Tiers("auto", "dnnl", "java")).flags());
        // the MKL tier (-Pmkl) runs both; oneDNN's GEMM beside MKL's inverse is only auto's mix
        assertEquals("--kernels panama --blas mkl --threads 2", new StudyCompute("panama", "mkl", 2,
                new StudyCompute.Tiers("auto", "mkl", "mkl")).flags());
        assertEquals("--kernels panama --blas auto (the calibration that chose 'gemm dnnl, inverse mkl') --threads 2",
                new StudyCompute("panama", "gemm dnnl, inverse mkl", 2, new StudyCompute.Tiers("auto", "dnnl", "mkl")).flags());
    }

    @Test
    void flagsOfAFileWithoutTheTiersAreReadFromDense() {
        assertEquals("--kernels panama --blas openblas --threads 2", new StudyCompute("panama", "openblas", 2, null).flags());
        assertEquals("--kernels panama --blas dnnl --threads 1", new StudyCompute("panama", "gemm dnnl, inverse openblas", 1, null).flags());
        assertEquals("--kernels scalar --blas java --threads 1", new StudyCompute("scalar", "java/scalar", 1, null).flags());
        assertEquals("--kernels panama --blas auto (the calibration that chose 'gemm openblas, inverse java/panama') --threads 2",
                new StudyCompute("panama", "gemm openblas, inverse java/panama", 2, null).flags());
    }

    @Test
    void theFileRecordsTheTiersMachineNamesAndReadsThemBack() throws IOException {
        StudyCompute written = new StudyCompute("panama", "gemm dnnl, inverse openblas", 1, new StudyCompute.Tiers("auto", "dnnl", "openblas"));
        written.write(dir, "ml-1m", 0, new PrintWriter(new StringWriter(), true));
        String json = Files.readString(dir.resolve(StudyCompute.FILE));
        assertTrue(json.contains("\"blas\" : \"auto\"") && json.contains("\"gemm\" : \"dnnl\"")
                && json.contains("\"inverse\" : \"openblas\""), json);
        assertEquals(written, StudyCompute.read(dir.resolve(StudyCompute.FILE)));
        // the same computation forced by name is the same cells: the names choose the flags, they are not compared
        assertFalse(new StudyCompute("panama", "gemm dnnl, inverse openblas", 1, DNNL).check(dir));
        UsageException e = assertThrows(UsageException.class,
                () -> new StudyCompute("panama", "gemm dnnl, inverse openblas", 2, DNNL).check(dir));
        assertTrue(e.getMessage().endsWith("rerun with --kernels panama --blas dnnl --threads 1, or choose another --out"), e.getMessage());
    }

    /** The three datasets' files of the study running on 2026-12-07 (test resources, copied from its --out). */
    private static Path copyRunningStudysFile(String dataset, Path to) throws IOException {
        Files.createDirectories(to);
        try (InputStream in = StudyComputeTest.class.getResourceAsStream("/study-compute-v2/" + dataset + "/" + StudyCompute.FILE)) {
            assertNotNull(in, dataset);
            Files.copy(in, to.resolve(StudyCompute.FILE));
        }
        return to;
    }

    @ParameterizedTest
    @ValueSource(strings = {"ml-1m", "lastfm", "citeulike-a"})
    void theRunningStudysFilesAreAcceptedByTheSameFlags(String dataset) throws IOException {
        Path copy = copyRunningStudysFile(dataset, dir.resolve(dataset));
        String before = Files.readString(copy.resolve(StudyCompute.FILE));
        StudyCompute recorded = StudyCompute.read(copy.resolve(StudyCompute.FILE));
        assertNull(recorded.tiers(), "the old form has no tiers");
        assertEquals("--kernels panama --blas dnnl --threads 1", recorded.flags());
        // what a restart with those flags computes with, as StudyCompute.of records it
        assertFalse(new StudyCompute("panama", "gemm dnnl, inverse openblas", 1, DNNL).check(copy));
        // auto calibrated to the same tiers is the same cells too
        assertFalse(new StudyCompute("panama", "gemm dnnl, inverse openblas", 1, new StudyCompute.Tiers("auto", "dnnl", "openblas"))
                .check(copy));
        UsageException e = assertThrows(UsageException.class, () -> new StudyCompute("panama", "openblas", 1, OPENBLAS).check(copy));
        assertTrue(e.getMessage().endsWith("rerun with --kernels panama --blas dnnl --threads 1, or choose another --out"), e.getMessage());
        assertEquals(before, Files.readString(copy.resolve(StudyCompute.FILE)), "checking never rewrites the file");
    }

    @Test
    void theRunningStudysFilesAreAcceptedByTheRealDnnlTier() throws IOException {
        Kernels kernels;
        try {
            kernels = Kernels.create("panama", "dnnl", 1);
            kernels.blas();
        } catch (IllegalStateException e) {
            assumeTrue(false, "oneDNN or the Panama kernels cannot load here: " + e.getMessage());
            return;
        }
        StudyCompute restarted = StudyCompute.of(kernels);
        assertEquals(DNNL, restarted.tiers());
        for (String dataset : new String[] {"ml-1m", "lastfm", "citeulike-a"}) {
            assertFalse(restarted.check(copyRunningStudysFile(dataset, dir.resolve(dataset))), dataset);
        }
    }
}
