package dev.sparsecf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A forced {@code --blas} tier that this build does not contain fails with one line naming the fix, in a fresh JVM
 * (the process-wide kernels are resolved once per JVM, so the test JVM's own cannot show it).
 */
class ForcedBlasTest {

    @TempDir
    Path tmp;

    @Test
    void mklWithoutTheProfileIsOneLineSayingToBuildWithIt() throws IOException, InterruptedException {
        assumeTrue(getClass().getResource("/org/bytedeco/mkl/linux-x86_64/libmkl_rt.so.2") == null,
                "this build has MKL (-Pmkl): nothing to refuse");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "train", "--model", "ease",
                "--data", "synthetic:0.001", "--lambda", "500", "--blas", "mkl", "--out", tmp.resolve("out").toString()));
        Path stdout = tmp.resolve("stdout.txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the child JVM did not exit");
        assertEquals(Main.FAILURE, p.exitValue(), err + java.nio.file.Files.readString(stdout));
        // stderr holds the progress lines before it (loading, splitting), then the error as the one last line
        List<String> errors = err.lines().filter(l -> l.startsWith("sparsecf:") || l.startsWith("Exception")
                || l.startsWith("\tat ") || l.startsWith("Caused by")).toList();
        assertEquals(1, errors.size(), err);
        assertTrue(errors.get(0).startsWith("sparsecf: Intel MKL is not part of this build: rebuild with the Maven profile"
                + " -Pmkl") && errors.get(0).endsWith("(--debug prints the stack trace)"), err);
        assertEquals(errors.get(0), err.lines().toList().getLast(), err);
    }
}
