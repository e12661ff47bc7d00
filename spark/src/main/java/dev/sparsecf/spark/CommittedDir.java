package dev.sparsecf.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * An output directory written as a hidden sibling and renamed into place when complete, so a job killed
 * mid-way leaves no partial {@code out} and a rerun writes the same files again; the rerun removes the
 * siblings such runs left.
 */
public final class CommittedDir {

    private final Path out;
    private final Path temp;

    private CommittedDir(Path out, Path temp) {
        this.out = out;
        this.temp = temp;
    }

    /**
     * Starts writing {@code out}: refuses an existing non-empty one unless {@code force}, removes what killed
     * runs left and creates the temporary sibling.
     */
    public static CommittedDir begin(Path out, boolean force) throws IOException {
        Path abs = out.toAbsolutePath().normalize();
        if (Files.exists(abs) && !force && !isEmptyDir(abs)) {
            throw new IllegalArgumentException("--out " + out + " exists and is not empty; pass --force to replace it");
        }
        Path parent = abs.getParent();
        Files.createDirectories(parent);
        String prefix = "." + abs.getFileName() + ".tmp-";
        try (DirectoryStream<Path> stale = Files.newDirectoryStream(parent, prefix + "*")) {
            for (Path p : stale) {
                delete(p);
            }
        }
        Path temp = parent.resolve(prefix + ProcessHandle.current().pid());
        Files.createDirectories(temp);
        return new CommittedDir(abs, temp);
    }

    private static boolean isEmptyDir(Path p) throws IOException {
        if (!Files.isDirectory(p)) {
            return false;
        }
        try (Stream<Path> s = Files.list(p)) {
            return s.findAny().isEmpty();
        }
    }

    /** Where to write until {@link #commit()}. */
    public Path dir() {
        return temp;
    }

    /** Replaces {@code out} by the temporary directory (the old one, if any, is moved aside first, then removed). */
    public void commit() throws IOException {
        Path old = null;
        if (Files.exists(out)) {
            old = out.resolveSibling(temp.getFileName() + ".old");
            Files.move(out, old, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(temp, out, StandardCopyOption.ATOMIC_MOVE);
        if (old != null) {
            delete(old);
        }
    }

    /** Removes the temporary directory (after a failure). */
    public void abandon() {
        try {
            delete(temp);
        } catch (IOException e) {
            // the next run removes it
        }
    }

    static void delete(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> {
                try {
                    Files.delete(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
