package dev.sparsecf.spark;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** ML-100K's {@code u.data} from {@code $SPARSECF_DATA_DIR} or {@code ../shared/data} beside the repository. */
final class TestData {

    private TestData() {
    }

    static Path ml100kOrSkip() {
        String env = System.getenv("SPARSECF_DATA_DIR");
        Path dir = env != null && !env.isBlank() ? Path.of(env) : Path.of("").toAbsolutePath().resolve("../../shared/data").normalize();
        Path file = dir.resolve("ml-100k/u.data");
        assumeTrue(Files.isRegularFile(file), file + " not found (set SPARSECF_DATA_DIR); skipping");
        return file;
    }
}
