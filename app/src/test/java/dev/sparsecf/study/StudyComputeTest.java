package dev.sparsecf.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsecf.run.UsageException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kernels a dataset's cells were computed with: recorded once, then required, with the flags that select them. */
class StudyComputeTest {

    @TempDir
    Path dir;

    @Test
    void recordedOnceThenEveryDifferenceStops() throws IOException {
        StudyCompute java2 = new StudyCompute("panama", "java/panama", 2);
        assertTrue(java2.check(dir), "nothing recorded yet");
        StringWriter err = new StringWriter();
        java2.write(dir, "ml-1m", 0, new PrintWriter(err, true));
        assertEquals("", err.toString(), "no earlier cells, nothing to say");
        assertFalse(java2.check(dir), "the same kernels: nothing to write");
        assertFalse(new StudyCompute("panama", "java/panama", 1).check(dir), "the Java tier's results do not depend on threads");
        for (StudyCompute other : new StudyCompute[] {new StudyCompute("scalar", "java/panama", 1),
                new StudyCompute("panama", "openblas", 2), new StudyCompute("scalar", "java/scalar", 2)}) {
            UsageException e = assertThrows(UsageException.class, () -> other.check(dir));
            assertTrue(e.getMessage().startsWith(dir.resolve(StudyCompute.FILE) + ": its cells were computed with kernels"
                    + " panama, dense java/panama, 2 threads, this run would use "), e.getMessage());
            assertTrue(e.getMessage().endsWith("rerun with --kernels panama --blas java --threads 2, or choose another --out"),
                    e.getMessage());
        }
    }

    @Test
    void aNativeTiersThreadsMustMatch() throws IOException {
        new StudyCompute("panama", "openblas", 2).write(dir, "ml-1m", 0, new PrintWriter(new StringWriter(), true));
        UsageException e = assertThrows(UsageException.class, () -> new StudyCompute("panama", "openblas", 1).check(dir));
        assertTrue(e.getMessage().contains("dense openblas, 2 threads, this run would use kernels panama, dense openblas, 1 thread,"),
                e.getMessage());
    }

    @Test
    void earlierCellsAreNamedWhenTheRecordStartsLate() throws IOException {
        StringWriter err = new StringWriter();
        new StudyCompute("panama", "openblas", 1).write(dir, "lastfm", 7, new PrintWriter(err, true));
        assertEquals("lastfm: recording kernels panama, dense openblas, 1 thread in compute.json from now on; the 7 cell(s)"
                + " before it have theirs per run in study.json only\n", err.toString().replace(System.lineSeparator(), "\n"));
    }

    @Test
    void flagsSelectTheRecordedTier() {
        assertEquals("--kernels panama --blas openblas --threads 2", new StudyCompute("panama", "openblas", 2).flags());
        assertEquals("--kernels panama --blas dnnl --threads 1", new StudyCompute("panama", "gemm dnnl, inverse openblas", 1).flags());
        assertEquals("--kernels scalar --blas java --threads 1", new StudyCompute("scalar", "java/scalar", 1).flags());
        assertEquals("--kernels panama --blas auto (the calibration that chose 'gemm openblas, inverse java/panama') --threads 2",
                new StudyCompute("panama", "gemm openblas, inverse java/panama", 2).flags());
    }
}
