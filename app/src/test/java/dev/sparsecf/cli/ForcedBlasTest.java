package dev.sparsecf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A forced {@code --blas} tier that this build does not contain fails with one line naming the fix, and one that
 * {@code recommend} replaces is named in one warning; in fresh JVMs (the process-wide kernels are resolved once per
 * JVM, so the test JVM's own cannot show it).
 */
class ForcedBlasTest {

    @TempDir
    Path tmp;

    @Test
    void mklWithoutTheProfileIsOneLineSayingToBuildWithIt() throws IOException, InterruptedException {
        assumeTrue(getClass().getResource("/org/bytedeco/mkl/linux-x86_64/libmkl_rt.so.2") == null,
                "this build has MKL (-Pmkl): nothing to refuse");
        Child c = child("train", "--model", "ease", "--data", "synthetic:0.001", "--lambda", "500", "--blas", "mkl", "--out",
                tmp.resolve("out").toString());
        String err = c.err();
        assertEquals(Main.FAILURE, c.code(), err + c.out());
        // stderr holds the progress lines before it (loading, splitting), then the error as the one last line
        List<String> errors = err.lines().filter(l -> l.startsWith("sparsecf:") || l.startsWith("Exception")
                || l.startsWith("\tat ") || l.startsWith("Caused by")).toList();
        assertEquals(1, errors.size(), err);
        assertTrue(errors.get(0).startsWith("sparsecf: Intel MKL is not part of this build: rebuild with the Maven profile"
                + " -Pmkl") && errors.get(0).endsWith("(--debug prints the stack trace)"), err);
        assertEquals(errors.get(0), err.lines().toList().getLast(), err);
    }

    /** {@code recommend --blas openblas}: scoring stays on the Java GEMM tier (batch invariance) and says so in one line. */
    @Test
    void recommendWithANativeTierSaysItScoresOnTheJavaTier() throws IOException, InterruptedException {
        Path model = tmp.resolve("ease");
        Child train = child("train", "--model", "ease", "--data", "synthetic:0.001", "--lambda", "500", "--out", model.toString());
        assertEquals(0, train.code(), train.err());
        Child rec = child("recommend", "--model", model.resolve("model.sparsecf").toString(), "--users", "all", "-k", "3",
                "--out", tmp.resolve("recs.csv").toString(), "--blas", "openblas");
        assertEquals(0, rec.code(), rec.err());
        List<String> warnings = rec.err().lines() // but the JVM's own note on the incubator module
                .filter(l -> l.startsWith("WARNING:") && !l.contains("incubator modules")).toList();
        assertEquals(List.of("WARNING: scoring runs GEMM on the Java tier, not openblas (--blas, -Dsparsecf.blas): its rows"
                + " do not depend on the batch, so every user gets the same scores in any batch"), warnings, rec.err());
    }

    /** A finished child JVM: exit code, stderr and stdout. */
    private record Child(int code, String err, String out) {
    }

    /** Runs {@code Main} with {@code args} in a fresh JVM (the process-wide kernels are chosen once per JVM). */
    private Child child(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        Path stdout = Files.createTempFile(tmp, "stdout", ".txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the child JVM did not exit");
        return new Child(p.exitValue(), err, Files.readString(stdout));
    }
}
