package dev.sparsecf.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The repository's {@code ./sparsecf} launcher run as a child process, for the integration tests that check what
 * a user sees: its exit status and its stdout and stderr merged.
 */
public final class Launcher {

    /** The launcher, beside the module directory a test runs in. */
    public static final Path PATH = Path.of("..", "sparsecf").toAbsolutePath().normalize();

    /** What a run printed (stdout and stderr merged) and its exit status. */
    public record Result(int code, String output) {
    }

    private Launcher() {
    }

    /** Starts {@code ./sparsecf args...}, stderr merged into stdout. */
    public static Process start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(PATH.toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    /**
     * Runs {@code ./sparsecf args...} to the end.
     *
     * @throws IllegalStateException if it is still running after {@code timeoutSeconds} (it is then killed)
     */
    public static Result run(long timeoutSeconds, String... args) throws IOException, InterruptedException {
        Process p = start(args);
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new IllegalStateException("still running after " + timeoutSeconds + " s: sparsecf " + String.join(" ", args));
        }
        return new Result(p.exitValue(), output);
    }
}
