package dev.sparsecf.blas;

import static dev.sparsecf.blas.OpenBlasTests.openBlasOrSkip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A JVM calling OpenBLAS back to back exits on SIGTERM. Before {@link ExitGate}, OpenBLAS's exit handler could
 * wait forever for a worker thread of a call still running (seen twice in 79 signalled study runs); this checks
 * that the gate's hook lets the JVM exit, with the usual status for SIGTERM, at a few moments of the work.
 */
class OpenBlasExitTest {

    private static final int SIGTERM_EXIT_STATUS = 128 + 15;

    @ParameterizedTest
    @ValueSource(ints = {0, 30, 170, 400})
    void sigtermDuringOpenBlasCallsEndsTheJvm(int delayMillis) throws IOException, InterruptedException {
        openBlasOrSkip();
        Path err = Files.createTempFile("openblas-exit", ".err");
        Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                OpenBlasBusyMain.class.getName()))
                .redirectError(err.toFile())
                .start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String first = out.readLine();
            if (!"running".equals(first)) {
                p.waitFor(10, TimeUnit.SECONDS);
                fail("the OpenBLAS child did not start: stdout " + first + ", stderr " + Files.readString(err));
            }
            Thread.sleep(delayMillis);
            p.destroy(); // SIGTERM
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("the JVM was still running 60 s after SIGTERM during OpenBLAS calls (pid " + p.pid() + ")");
            }
            assertEquals(SIGTERM_EXIT_STATUS, p.exitValue(), "exit status; stderr: " + Files.readString(err));
        } finally {
            p.destroyForcibly();
            Files.deleteIfExists(err);
        }
    }
}
