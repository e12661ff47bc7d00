package dev.sparsecf.data;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the real datasets for tests (of every package), which skip (not fail) when they are absent. */
public final class SharedData {

    private SharedData() {
    }

    /**
     * {@code $SPARSECF_DATA_DIR}, else {@code ../shared/data} from the repository root. Surefire runs in the
     * module directory, so the root is tried as the working directory's parent as well as the directory itself.
     */
    public static Path dirOrSkip() {
        String env = System.getenv(Datasets.DATA_DIR_ENV);
        Path dir = env != null && !env.isBlank() ? Path.of(env) : null;
        if (dir == null) {
            Path cwd = Path.of("").toAbsolutePath();
            for (Path root : new Path[] {cwd, cwd.getParent()}) {
                Path candidate = root == null ? null : root.resolve("../shared/data").normalize();
                if (candidate != null && Files.isDirectory(candidate)) {
                    dir = candidate;
                    break;
                }
            }
        }
        assumeTrue(dir != null && Files.isDirectory(dir), "real datasets not found (set " + Datasets.DATA_DIR_ENV
                + " or place them at ../shared/data next to the repository); skipping");
        return dir;
    }

    /** {@link #dirOrSkip()} narrowed to one dataset folder being present. */
    public static Path dirWithOrSkip(Dataset d) {
        Path dir = dirOrSkip();
        assumeTrue(Files.isDirectory(dir.resolve(d.folder())), d.folder() + " not in " + dir + "; skipping");
        return dir;
    }
}
