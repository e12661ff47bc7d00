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
 * The launcher's {@code SPARSECF_MKL=1} against the profiles the jar was built with, which every Maven package
 * records next to it. On a jar without a record it exited 1 without a word (reading the missing record failed under
 * {@code set -e}); on a plain {@code mvn} build after an MKL one it ran the plain jar, because only the launcher's own
 * builds were recorded. Runs a copy of the launcher beside a stand-in jar with a fake {@code mvn} first on the PATH,
 * so nothing is built or downloaded.
 */
class LauncherProfileIT {

    @TempDir
    Path tmp;

    @Test
    void mklOnAJarWithoutARecordRebuildsWithTheProfileAndSaysWhy() throws Exception {
        String output = launch(true, null);
        assertTrue(output.contains("building sparsecf.jar (it was built with profiles '', now '-Pmkl')"), output);
        assertEquals(List.of("-B -q -DskipTests -Pmkl -pl app -am package"), mvnCalls(), output);
    }

    /** A plain {@code mvn package} after an MKL build records no profile, so the next MKL launch rebuilds. */
    @Test
    void mklOnAPlainBuildsRecordRebuilds() throws Exception {
        String output = launch(true, "");
        assertTrue(output.contains("it was built with profiles '', now '-Pmkl'"), output);
        assertEquals(List.of("-B -q -DskipTests -Pmkl -pl app -am package"), mvnCalls(), output);
    }

    @Test
    void mklOnAnMklBuildIsNotRebuilt() throws Exception {
        String output = launch(true, "-Pmkl");
        assertFalse(output.contains("building"), output);
        assertEquals(List.of(), mvnCalls(), output);
    }

    /** Without the variable a jar without a record counts as one without profiles, so nothing is rebuilt. */
    @Test
    void withoutMklAJarWithoutARecordIsNotRebuilt() throws Exception {
        String output = launch(false, null);
        assertFalse(output.contains("building"), output);
        assertEquals(List.of(), mvnCalls(), output);
    }

    /** The record the launcher reads is the build's own: this module's package wrote this build's profiles. */
    @Test
    void thePackageRecordedThisBuildsProfiles() throws IOException {
        Path record = Path.of(System.getProperty("user.dir"), "target", "sparsecf-build-profiles.txt");
        assertTrue(Files.isRegularFile(record), record + " is missing: the package phase did not record the profiles");
        assertEquals(System.getProperty("sparsecf.build.profiles", ""), Files.readString(record).strip());
    }

    /**
     * Runs {@code sparsecf --help} from a checkout holding only the launcher and a stand-in jar, with the given profile
     * record next to it ({@code null}: none).
     */
    private String launch(boolean mkl, String record) throws IOException, InterruptedException {
        Path root = Files.createDirectories(tmp.resolve("checkout/app/target")).getParent().getParent();
        Files.copy(Path.of(System.getProperty("user.dir")).getParent().resolve("sparsecf"), root.resolve("sparsecf"));
        Files.writeString(root.resolve("app/target/sparsecf.jar"), "not a jar");
        if (record != null) {
            Files.writeString(root.resolve("app/target/sparsecf-build-profiles.txt"), record + "\n");
        }
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
