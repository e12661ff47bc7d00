package dev.sparsecf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's {@code SPARSECF_MKL=1} on a jar that a plain {@code mvn} build made (no record of its profiles):
 * it must rebuild with {@code -Pmkl}; it exited 1 without a word, because reading the missing record failed under
 * {@code set -e}. Runs a copy of the launcher beside a stand-in jar with a fake {@code mvn} first on the PATH, so
 * nothing is built or downloaded.
 */
class LauncherProfileIT {

    @TempDir
    Path tmp;

    @Test
    void mklOnAPlainBuildRebuildsWithTheProfileAndSaysWhy() throws Exception {
        String output = launch(true);
        assertTrue(output.contains("building sparsecf.jar (it was built with profiles '', now '-Pmkl')"), output);
        assertEquals(List.of("-B -q -DskipTests -Pmkl -pl app -am package"), mvnCalls(), output);
        assertEquals("-Pmkl", Files.readString(tmp.resolve("checkout/app/target/sparsecf-build-profiles.txt")).strip());
    }

    /** Without the variable a plain build counts as one without profiles, so nothing is rebuilt. */
    @Test
    void withoutMklAPlainBuildIsNotRebuilt() throws Exception {
        String output = launch(false);
        assertFalse(output.contains("building"), output);
        assertEquals(List.of(), mvnCalls(), output);
    }

    /** Runs {@code sparsecf --help} from a checkout holding only the launcher and a jar without a profile record. */
    private String launch(boolean mkl) throws IOException, InterruptedException {
        Path root = Files.createDirectories(tmp.resolve("checkout/app/target")).getParent().getParent();
        Files.copy(Path.of(System.getProperty("user.dir")).getParent().resolve("sparsecf"), root.resolve("sparsecf"));
        Files.writeString(root.resolve("app/target/sparsecf.jar"), "not a jar");
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path mvn = bin.resolve("mvn");
        Files.writeString(mvn, "#!/bin/sh\necho \"$@\" >> '" + tmp.resolve("mvn-calls.txt") + "'\n");
        Files.setPosixFilePermissions(mvn, PosixFilePermissions.fromString("rwxr-xr-x"));
        ProcessBuilder pb = new ProcessBuilder("bash", root.resolve("sparsecf").toString(), "--help")
                .redirectErrorStream(true);
        pb.environment().remove("SPARSECF_MKL");
        if (mkl) {
            pb.environment().put("SPARSECF_MKL", "1");
        }
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the launcher did not finish: " + output);
        return output;
    }

    private List<String> mvnCalls() throws IOException {
        Path calls = tmp.resolve("mvn-calls.txt");
        return Files.isRegularFile(calls) ? Files.readAllLines(calls) : List.of();
    }
}
