package dev.sparsecf.run;

import dev.sparsecf.render.Progress;

import dev.sparsecf.data.DataSplit;
import dev.sparsecf.data.Dataset;
import dev.sparsecf.data.Datasets;
import dev.sparsecf.data.FileOptions;
import dev.sparsecf.data.InteractionFiles;
import dev.sparsecf.data.Interactions;
import dev.sparsecf.data.PerUserSplit;
import dev.sparsecf.data.SplitConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;

/**
 * The loading and splitting steps that the data and model commands and the beta study share: progress on
 * stderr, and spec mistakes reported as {@link UsageException}s.
 */
public final class DataSteps {

    private DataSteps() {
    }

    /** Checks every name in {@code specs} before anything is loaded, so a typo in the last one fails at once. */
    public static void checkNames(List<String> specs) {
        for (String s : specs) {
            datasetOf(s);
        }
    }

    /** The dataset a spec such as {@code ml-1m} or {@code synthetic:0.1} names; an unknown name is a usage error. */
    private static Dataset datasetOf(String spec) {
        int colon = spec.indexOf(':');
        try {
            return Dataset.byId((colon < 0 ? spec : spec.substring(0, colon)).strip());
        } catch (IllegalArgumentException e) {
            throw new UsageException("--data: " + e.getMessage());
        }
    }

    /**
     * Checks that every spec in {@code specs} is a dataset name or an existing file, before anything is loaded;
     * {@code options} must be the defaults unless every spec is a file.
     */
    public static void checkSpecs(List<String> specs, FileOptions options) {
        for (String s : specs) {
            if (fileOf(s) == null) {
                datasetOf(s);
                if (!options.equals(FileOptions.DEFAULT)) {
                    throw new UsageException("--sep, --format, the column and filter options read a --data FILE;"
                            + " the dataset " + s + " has its own format and positives");
                }
            }
        }
    }

    /** The file {@code spec} names when it is not a dataset name and such a regular file exists, else null. */
    private static Path fileOf(String spec) {
        int colon = spec.indexOf(':');
        try {
            Dataset.byId((colon < 0 ? spec : spec.substring(0, colon)).strip());
            return null; // a dataset name wins over a file of the same name: ./ml-1m reaches the file
        } catch (IllegalArgumentException e) {
            try {
                Path p = Path.of(spec);
                if (Files.isRegularFile(p)) {
                    return p;
                }
            } catch (InvalidPathException notAPath) {
                // reported below as neither
            }
            throw new UsageException("--data: '" + spec + "' is neither a dataset (" + Dataset.ids() + ") nor a file");
        }
    }

    /** The positives of dataset or file {@code spec} with the default {@link FileOptions}, timed on {@code err}. */
    public static Interactions load(PrintWriter err, String spec, Path dataDir) throws IOException {
        return load(err, spec, dataDir, FileOptions.DEFAULT).positives();
    }

    /**
     * The positives of {@code spec}: a dataset ({@link Datasets#load}) or a file read by {@code options}
     * ({@link InteractionFiles#load}; the report is null for a dataset), timed on {@code err}.
     */
    public static InteractionFiles.Loaded load(PrintWriter err, String spec, Path dataDir, FileOptions options) throws IOException {
        checkSpecs(List.of(spec), options);
        Path file = fileOf(spec);
        String from = file != null ? "" : " from " + (datasetOf(spec) == Dataset.SYNTHETIC ? "the generator" : dataDir.toAbsolutePath().normalize());
        Progress p = Progress.start(err, "loading " + spec + from);
        InteractionFiles.Loaded loaded;
        try {
            loaded = file != null ? InteractionFiles.load(file, options) : new InteractionFiles.Loaded(Datasets.load(spec, dataDir), null);
        } catch (IllegalArgumentException e) {
            // thrown only for the spec or an option that does not fit the file (e.g. synthetic:big, --user-col); bad files are IOExceptions
            throw new UsageException("--data: " + e.getMessage());
        }
        Interactions x = loaded.positives();
        p.done(String.format(Locale.ROOT, "loaded %s: %,d positives", x.source(), x.size())
                + (x.duplicatesMerged() == 0 ? ""
                        : String.format(Locale.ROOT, "; repeated pairs merged: %,d (%s)", x.duplicatesMerged(), Interactions.MERGE_RULE)));
        return loaded;
    }

    /** {@link DataSplit#create} timed on {@code err}; held-out counts that leave no training users are a usage error. */
    public static DataSplit split(PrintWriter err, Interactions positives, SplitConfig config) {
        Progress p = Progress.start(err, "splitting " + positives.source() + " (split seed " + config.seed() + ")");
        DataSplit s;
        try {
            s = DataSplit.create(positives, config);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--validation-users/--test-users: " + e.getMessage());
        }
        p.done(String.format(Locale.ROOT, "split into %,d train, %,d validation and %,d test users",
                s.train().numUsers(), s.validation().users().size(), s.test().users().size()));
        return s;
    }

    /** The split exported to {@code dir} ({@code --split}), every file checked against its checksum, timed on {@code err}. */
    public static DataSplit readSplit(PrintWriter err, Path dir) throws IOException {
        Progress p = Progress.start(err, "reading the split in " + dir);
        DataSplit s = DataSplit.readVerified(dir);
        p.done(String.format(Locale.ROOT, "read the split in %s (checksums verified): %,d train, %,d validation and %,d test users",
                dir, s.train().numUsers(), s.validation().users().size(), s.test().users().size()));
        return s;
    }

    /**
     * The per-user split of {@code source} ({@link PerUserSplit#read}; validation items drawn by {@code seed} when it has
     * no validation file), timed on {@code err}, with what did not fit the protocol; a missing file or an option that
     * does not fit is a usage error.
     */
    public static PerUserSplit.Loaded readPerUser(PrintWriter err, SplitSource.PerUser source, FileOptions options, long seed)
            throws IOException {
        requireFile("--train", source.train());
        requireFile("--test", source.test());
        if (source.validation() != null) {
            requireFile("--validation", source.validation());
        }
        Progress p = Progress.start(err, "reading the per-user split " + source.describe());
        PerUserSplit.Loaded loaded;
        try {
            loaded = PerUserSplit.read(source.train(), source.test(), source.validation(), options, seed);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        DataSplit s = loaded.split();
        p.done(String.format(Locale.ROOT, "read %,d training users x %,d items (%,d pairs fitted), %,d test users,"
                + " %,d validation users", s.train().numUsers(), s.items().size(), s.train().size(), s.test().users().size(),
                s.validation().users().size()));
        err.print(loaded.counts().format());
        return loaded;
    }

    private static void requireFile(String option, Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UsageException(option + " " + file + ": no such file");
        }
    }

    /** The split's fingerprint ({@link DataSplit#export}), computed in a temporary directory that is then deleted. */
    public static String fingerprint(DataSplit split) throws IOException {
        return fingerprint(split, null);
    }

    /** As {@link #fingerprint(DataSplit)}, keeping a copy of the split's checksum file as {@code keepChecksums} if not null. */
    public static String fingerprint(DataSplit split, Path keepChecksums) throws IOException {
        Path tmp = Files.createTempDirectory("sparsecf-split");
        try {
            String fingerprint = split.export(tmp);
            if (keepChecksums != null) {
                Files.copy(tmp.resolve(DataSplit.CHECKSUM_FILE), keepChecksums, StandardCopyOption.REPLACE_EXISTING);
            }
            return fingerprint;
        } finally {
            try (var files = Files.list(tmp)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.delete(f);
                }
            }
            Files.delete(tmp);
        }
    }
}
