package dev.sparsecf.blas;

import static dev.sparsecf.blas.OpenBlasTests.openBlasOrSkip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sparsecf.kernels.KernelThreads;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.junit.jupiter.api.Test;

/** The thread count reaches the OpenBLAS copy whose functions are called (JavaCPP loads two copies). */
class OpenBlasThreadsTest {

    @Test
    void configuredThreadsWereSetAtLoad() {
        OpenBlas blas = openBlasOrSkip();
        int configured = KernelThreads.configuredThreads();
        assertEquals(Map.of(OpenBlas.CALLED_COPY, configured, OpenBlas.OTHER_COPY, configured), blas.threadsByCopy());
        assertEquals("OpenBLAS", blas.vendor(), "blas_get_vendor() after blas_set_num_threads");
        assertTrue(blas.config().startsWith("OpenBLAS "), blas.config());
    }

    @Test
    void setThreadsReachesBothCopiesAndReadsBackFromTheCalledOne() {
        OpenBlas blas = openBlasOrSkip();
        int configured = KernelThreads.configuredThreads();
        try {
            for (int t : new int[] {1, 2}) {
                blas.setThreads(t);
                assertEquals(t, blas.threads(), "thread count read back from the called copy");
                assertEquals(Map.of(OpenBlas.CALLED_COPY, t, OpenBlas.OTHER_COPY, t), blas.threadsByCopy());
            }
        } finally {
            blas.setThreads(configured);
        }
    }

    @Test
    void javacppSetterAloneMissesTheCalledCopy() {
        // The pitfall OpenBlas.setThreads works around; if a JavaCPP update changes this, revisit setThreads.
        OpenBlas blas = openBlasOrSkip();
        int configured = KernelThreads.configuredThreads();
        try {
            blas.setThreads(2);
            openblas_nolapack.blas_set_num_threads(1);
            assertEquals(Map.of(OpenBlas.CALLED_COPY, 2, OpenBlas.OTHER_COPY, 1), blas.threadsByCopy());
        } finally {
            blas.setThreads(configured);
        }
    }

    @Test
    void calledFunctionsLieInTheCalledLibraryFile() throws IOException {
        OpenBlas blas = openBlasOrSkip();
        Path maps = Path.of("/proc/self/maps");
        assumeTrue(Files.isReadable(maps), "needs /proc/self/maps (Linux) to map addresses to library files");
        List<String> lines = Files.readAllLines(maps);
        for (String copy : List.of(OpenBlas.CALLED_COPY, OpenBlas.OTHER_COPY)) {
            Path file = blas.libraryPath(copy).toRealPath();
            assertEquals(file.toString(), mappedFile(lines, blas.symbol(copy, "openblas_get_num_threads").address()),
                    "openblas_get_num_threads of copy " + copy);
        }
        Path called = blas.libraryPath(OpenBlas.CALLED_COPY).toRealPath();
        for (String fn : List.of("cblas_sgemm", "cblas_dsyrk", "LAPACKE_dpotrf", "LAPACKE_spotri")) {
            assertEquals(called.toString(), mappedFile(lines, blas.symbol(OpenBlas.CALLED_COPY, fn).address()), fn);
        }
    }

    /** The file mapped at {@code address} in /proc/self/maps lines ("start-end perms offset dev inode path"). */
    private static String mappedFile(List<String> lines, long address) {
        for (String line : lines) {
            String[] f = line.trim().split("\\s+", 6);
            String[] range = f[0].split("-");
            long start = Long.parseUnsignedLong(range[0], 16);
            long end = Long.parseUnsignedLong(range[1], 16);
            if (Long.compareUnsigned(address, start) >= 0 && Long.compareUnsigned(address, end) < 0) {
                return f.length == 6 ? f[5] : "(anonymous)";
            }
        }
        return "(unmapped)";
    }
}
