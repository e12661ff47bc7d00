package dev.sparsecf.spark;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** The shared datasets' files from {@code $SPARSECF_DATA_DIR} or {@code ../shared/data} beside the repository. */
final class TestData {

    private TestData() {
    }

    /** {@code relative} (e.g. {@code ml-100k/u.data}) in the data directory, or a skipped assumption naming it. */
    static Path orSkip(String relative) {
        String env = System.getenv("SPARSECF_DATA_DIR");
        Path dir = env != null && !env.isBlank() ? Path.of(env) : Path.of("").toAbsolutePath().resolve("../../shared/data").normalize();
        Path file = dir.resolve(relative);
        assumeTrue(Files.isRegularFile(file), file + " not found (set SPARSECF_DATA_DIR); skipping");
        return file;
    }
}
