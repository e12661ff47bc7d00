package dev.sparsecf.perf;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Function;

/**
 * Saves a run as {@code <dir>/<base>.json} plus {@code <dir>/<base>.meta.json} without ever overwriting a
 * file: when either name is taken the next free {@code <base>-2}, {@code <base>-3}, ... is used.
 */
public final class ResultFiles {

    static final String RESULTS_SUFFIX = ".json";
    static final String META_SUFFIX = ".meta.json";

    private ResultFiles() {
    }

    /** The file names of one saved run. */
    public record Saved(Path results, Path meta) {
    }

    /** {@code base} for the first run of a name, {@code base-n} for the n-th. */
    static String candidate(String base, int n) {
        return n == 1 ? base : base + "-" + n;
    }

    /**
     * Writes {@code results} and {@code meta} (whose text may use the results file's name, passed in) under
     * the first free name; creating the results file atomically claims the name against concurrent runs.
     */
    public static Saved save(Path dir, String base, byte[] results, Function<String, byte[]> meta)
            throws IOException {
        Files.createDirectories(dir);
        for (int n = 1; ; n++) {
            String name = candidate(base, n);
            Path resultsFile = dir.resolve(name + RESULTS_SUFFIX);
            Path metaFile = dir.resolve(name + META_SUFFIX);
            if (Files.exists(metaFile)) {
                continue;
            }
            try {
                Files.write(resultsFile, results, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (FileAlreadyExistsException taken) {
                continue;
            }
            Files.write(metaFile, meta.apply(resultsFile.getFileName().toString()), StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE);
            return new Saved(resultsFile, metaFile);
        }
    }
}
