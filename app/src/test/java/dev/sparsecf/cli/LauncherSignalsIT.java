package dev.sparsecf.cli;

import dev.sparsecf.run.TrainingRun;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Drives the real {@code ./sparsecf} launcher (on the jar {@code package} built) in a child process: a signal sent
 * to the launcher's PID, as {@code kill}, Python's {@code Popen.terminate()} and supervisors send it, stops the
 * training JVM, and the launcher exits with the JVM's status. Before the launcher forwarded signals, the JVM ran on
 * orphaned and wrote its outputs after the "kill".
 */
class LauncherSignalsIT {

    private static final List<String> SIGNAL_NUMBERS = List.of("", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS",
            "FPE", "KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM");

    private static final Path LAUNCHER = Path.of("..", "sparsecf").toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "SIG{0} -> exit {1}")
    @CsvSource({"TERM, 143", "INT, 130", "HUP, 129"})
    void aSignalToTheLauncherStopsTheTrainingJvm(String signal, int expectedStatus) throws Exception {
        // a shell cannot trap a signal ignored when it starts, and the launcher inherits the test JVM's dispositions:
        // a build started with nohup or as a background job without job control ignores HUP or INT
        assumeFalse(ignoredByThisProcess(signal), "SIG" + signal + " is ignored by this test JVM (a nohup or background"
                + " start), so no child can trap it; run the build in the foreground to test it");
        Path dataDir = ModelCommandsTest.writeSmallMl100k(tmp.resolve("data"));
        Path out = tmp.resolve("run");
        Process launcher = new ProcessBuilder(LAUNCHER.toString(), "train", "--model", "multvae", "--data", "ml-100k",
                "--data-dir", dataDir.toString(), "--epochs", "100000", "--out", out.toString())
                .redirectErrorStream(true).start();
        CompletableFuture<Void> firstEpoch = new CompletableFuture<>();
        StringBuilder output = new StringBuilder();
        Thread reader = Thread.ofPlatform().daemon().start(() -> readUntilEof(launcher, "epoch ", firstEpoch, output));
        try {
            firstEpoch.get(120, TimeUnit.SECONDS);
            List<ProcessHandle> jvms = launcher.descendants().filter(ProcessHandle::isAlive)
                    .filter(h -> h.info().command().orElse("").endsWith("/java")).toList();
            assertEquals(1, jvms.size(), "the launcher runs one JVM: " + jvms);

            kill(signal, launcher.pid());
            assertTrue(launcher.waitFor(60, TimeUnit.SECONDS), "the launcher still runs 60 s after SIG" + signal);
            assertEquals(expectedStatus, launcher.exitValue(), output.toString());
            jvms.get(0).onExit().get(10, TimeUnit.SECONDS); // the JVM stopped, not only the launcher
            reader.join(10_000);
            assertFalse(Files.exists(out.resolve(TrainingRun.METRICS_FILE)), "a stopped run wrote metrics.json");
            assertFalse(Files.exists(out.resolve("model.sparsecf")), "a stopped run wrote a model file");
        } finally {
            launcher.descendants().forEach(ProcessHandle::destroyForcibly);
            launcher.destroyForcibly();
        }
    }

    /** Appends {@code p}'s output to {@code output} until its end, completing {@code seen} at the first line starting with {@code prefix}. */
    static void readUntilEof(Process p, String prefix, CompletableFuture<Void> seen, StringBuilder output) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                synchronized (output) {
                    output.append(line).append('\n');
                }
                if (line.startsWith(prefix)) {
                    seen.complete(null);
                }
            }
            seen.completeExceptionally(new AssertionError("the launcher ended before a line '" + prefix + "...': " + output));
        } catch (IOException e) {
            seen.completeExceptionally(e);
        }
    }

    private static void kill(String signal, long pid) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-s", signal, Long.toString(pid)).inheritIO().start();
        assertEquals(0, kill.waitFor(), "kill -s " + signal + " " + pid);
    }

    /** Whether {@code signal} is in the ignored mask ({@code SigIgn}) of this process's {@code /proc/self/status}. */
    private static boolean ignoredByThisProcess(String signal) throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return false;
        }
        long mask = Files.readAllLines(status).stream().filter(l -> l.startsWith("SigIgn:"))
                .mapToLong(l -> Long.parseUnsignedLong(l.substring("SigIgn:".length()).strip(), 16)).findFirst().orElse(0);
        return (mask >>> (SIGNAL_NUMBERS.indexOf(signal) - 1) & 1) != 0;
    }
}
