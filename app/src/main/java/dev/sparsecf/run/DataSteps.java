package dev.sparsecf.run;

import dev.sparsecf.render.Progress;

import dev.sparsecf.data.DataSplit;
import dev.sparsecf.data.Dataset;
import dev.sparsecf.data.Datasets;
import dev.sparsecf.data.Interactions;
import dev.sparsecf.data.SplitConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
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

    /** The positives of dataset {@code spec} ({@link Datasets#load}), timed on {@code err}. */
    public static Interactions load(PrintWriter err, String spec, Path dataDir) throws IOException {
        String from = datasetOf(spec) == Dataset.SYNTHETIC ? "the generator" : dataDir.toAbsolutePath().normalize().toString();
        Progress p = Progress.start(err, "loading " + spec + " from " + from);
        Interactions x;
        try {
            x = Datasets.load(spec, dataDir);
        } catch (IllegalArgumentException e) {
            // Datasets.load throws it only for the spec itself (e.g. synthetic:big); bad files are IOExceptions
            throw new UsageException("--data: " + e.getMessage());
        }
        p.done(String.format(Locale.ROOT, "loaded %s: %,d positives", x.source(), x.size())
                + (x.duplicatesMerged() == 0 ? ""
                        : String.format(Locale.ROOT, "; repeated pairs merged: %,d (%s)", x.duplicatesMerged(), Interactions.MERGE_RULE)));
        return x;
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
