package dev.sparsecf.study;

import dev.sparsecf.data.FileOptions;
import dev.sparsecf.data.SplitConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * What one run of the beta study is asked to do, as the command line gave it: the study folder {@code root}, the
 * {@code datasets} (specs) read from {@code dataDir}, the {@code seeds}, the {@code variants} to run and the
 * {@code redo} ones to discard first, the planned {@code epochs} and the early-stop {@code patience} per dataset spec,
 * the EASE {@code lambdas}, {@code edgeSteps} and {@code neighbours} (K of neighbourhood EASE; 0: dense), the held-out counts ({@code null}: auto), the {@code split} of a
 * seed and the one {@code splitSeed} every cell uses, whether the {@code matched} per-user grid follows the constant
 * sweep, how a dataset given as a file is read ({@code fileOptions}), whether it is a {@code dryRun}, and for {@value StudyJournal#FILE} the {@code commandLine} and the
 * {@code repository} whose commit is recorded. Build it with {@link #builder()}.
 */
public record StudySettings(Path root, List<String> datasets, Path dataDir, List<Long> seeds, List<StudyVariant> variants,
                            List<StudyVariant> redo, Map<String, Integer> epochs, Map<String, Integer> patience, double[] lambdas,
                            int edgeSteps, int neighbours, Integer validationUsers, Integer testUsers, LongFunction<SplitConfig> split,
                            long splitSeed, boolean matched, FileOptions fileOptions, boolean dryRun, String commandLine,
                            Path repository) {

    /**
     * A dataset spec as a folder name: {@code synthetic:0.1} becomes {@code synthetic-0.1}, a file
     * {@code /data/my.clicks.csv} its name without the extension, {@code my.clicks}.
     */
    public static String folderName(String dataset) {
        String s = dataset.strip();
        int slash = Math.max(s.lastIndexOf('/'), s.lastIndexOf(java.io.File.separatorChar));
        if (slash >= 0 || s.matches(".*\\.(csv|tsv|txt|dat|gz)$")) {
            s = s.substring(slash + 1).replaceFirst("(\\.(csv|tsv|txt|dat))?(\\.gz)?$", "");
        }
        return s.replace(':', '-');
    }

    /** The folder of {@code dataset}'s cells. */
    Path folder(String dataset) {
        return root.resolve(folderName(dataset));
    }

    /** The settings that make {@code dataset}'s cells comparable. */
    StudyProtocol protocol(String dataset) {
        return new StudyProtocol(dataset, epochs.get(dataset), patience.get(dataset), validationUsers, testUsers, lambdas, edgeSteps,
                neighbours, splitSeed);
    }

    /** Whether {@code redo} discards EASE cells, so that the EASE-only settings may change. */
    boolean redoesEase() {
        return redo.stream().anyMatch(v -> v.family().isClosedForm());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The seeds {@code first}, {@code first + 1}, ... : {@code count} of them. */
    public static List<Long> seeds(long first, int count) {
        List<Long> list = new ArrayList<>();
        for (int s = 0; s < count; s++) {
            list.add(first + s);
        }
        return list;
    }

    /** Builds {@link StudySettings} with every field named. */
    public static final class Builder {
        private Path root;
        private List<String> datasets;
        private Path dataDir;
        private List<Long> seeds;
        private List<StudyVariant> variants;
        private List<StudyVariant> redo = List.of();
        private Map<String, Integer> epochs;
        private Map<String, Integer> patience;
        private double[] lambdas;
        private int edgeSteps;
        private int neighbours;
        private Integer validationUsers;
        private Integer testUsers;
        private LongFunction<SplitConfig> split;
        private long splitSeed;
        private boolean matched;
        private FileOptions fileOptions = FileOptions.DEFAULT;
        private boolean dryRun;
        private String commandLine;
        private Path repository;

        private Builder() {
        }

        public Builder root(Path v) {
            root = v;
            return this;
        }

        public Builder datasets(List<String> v) {
            datasets = List.copyOf(v);
            return this;
        }

        public Builder dataDir(Path v) {
            dataDir = v;
            return this;
        }

        public Builder seeds(List<Long> v) {
            seeds = List.copyOf(v);
            return this;
        }

        public Builder variants(List<StudyVariant> v) {
            variants = List.copyOf(v);
            return this;
        }

        public Builder redo(List<StudyVariant> v) {
            redo = List.copyOf(v);
            return this;
        }

        public Builder epochs(Map<String, Integer> v) {
            epochs = Map.copyOf(v);
            return this;
        }

        public Builder patience(Map<String, Integer> v) {
            patience = Map.copyOf(v);
            return this;
        }

        public Builder lambdas(double[] v) {
            lambdas = v.clone();
            return this;
        }

        public Builder edgeSteps(int v) {
            edgeSteps = v;
            return this;
        }

        public Builder neighbours(int v) {
            neighbours = v;
            return this;
        }

        public Builder heldOutUsers(Integer validation, Integer test) {
            validationUsers = validation;
            testUsers = test;
            return this;
        }

        public Builder split(LongFunction<SplitConfig> v) {
            split = v;
            return this;
        }

        public Builder splitSeed(long v) {
            splitSeed = v;
            return this;
        }

        public Builder matched(boolean v) {
            matched = v;
            return this;
        }

        public Builder fileOptions(FileOptions v) {
            fileOptions = v;
            return this;
        }

        public Builder dryRun(boolean v) {
            dryRun = v;
            return this;
        }

        public Builder commandLine(String v) {
            commandLine = v;
            return this;
        }

        public Builder repository(Path v) {
            repository = v;
            return this;
        }

        public StudySettings build() {
            return new StudySettings(root, datasets, dataDir, seeds, variants, redo, epochs, patience, lambdas, edgeSteps, neighbours,
                    validationUsers, testUsers, split, splitSeed, matched, fileOptions, dryRun, commandLine,
                    repository);
        }
    }
}
