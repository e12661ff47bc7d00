package dev.sparsecf.cli;

import dev.sparsecf.run.DataSteps;
import dev.sparsecf.study.StudyProtocol;
import dev.sparsecf.study.StudyRunner;
import dev.sparsecf.study.StudySettings;
import dev.sparsecf.study.StudyVariant;

import dev.sparsecf.kernels.Kernels;
import dev.sparsecf.models.ease.LambdaSearch;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code sparsecf study beta}: the grid of the beta study (every {@link StudyVariant} x dataset x seed), run cell
 * by cell by {@link StudyRunner} with results written as each cell finishes ({@code <out>/<dataset>/cells.csv} plus
 * per-user, per-latent-dim and per-epoch files, see {@code results/beta-study/README.md}). Finished cells are skipped
 * on a restart; a cell interrupted half-way left nothing behind and simply runs again.
 */
@Command(name = "beta",
        description = {"Run the beta study grid (protocol " + StudyProtocol.VERSION + "): Mult-VAE with constant beta, then the matched "
                + "per-user grid (beta_u ~ clicks^gamma at the chosen constant's mean) and the KL target the chosen constant "
                + "reaches, then annealed and cyclical beta, plus Mult-DAE, EASE, EDLAE and DLAE, on each dataset (a name or "
                + "a file) and training seed (--seed .. --seed + --seeds - 1), all on the one split of --split-seed.",
                "Resumable: finished cells are skipped; rerun the same command after an interruption. Runs may share "
                        + "--out (one per core, say): they divide the cells between them."})
public final class BetaStudyCommand extends DataInputCommand implements Callable<Integer> {

    @Mixin
    SplitOptions splitOptions;

    @Option(names = "--data", required = true, split = ",", paramLabel = "NAME|FILE[,...]",
            description = "Datasets or interaction files, run in this order: ${COMPLETION-CANDIDATES}, or a FILE.",
            completionCandidates = DataCommand.Names.class)
    List<String> datasets;

    @Option(names = "--seeds", defaultValue = "5", paramLabel = "N",
            description = "Training seeds per cell (initialisation and shuffling; default ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--split-seed", defaultValue = "0", paramLabel = "S",
            description = "Seed of the one split every cell of a dataset uses (default ${DEFAULT-VALUE}).")
    long splitSeed;

    /** The selector of the matched per-user grid and KL target, which are known only once the sweep is done. */
    static final String MATCHED = "matched";

    @Option(names = "--variants", split = ",", paramLabel = "ID|FAMILY",
            description = "Run only these variant ids (e.g. const-0.2), families (e.g. constant, anneal, edlae) or " + MATCHED
                    + " (the per-user grid and KL target around the constant chosen on validation); default: all of them.")
    List<String> variantSelectors;

    @Option(names = "--epochs", defaultValue = "200", split = ",", paramLabel = "N|NAME=N",
            description = "Planned epochs per Mult-VAE/DAE cell, the best kept: N for every dataset, NAME=N for one, "
                    + "e.g. 200,amazon-book=50 (default ${DEFAULT-VALUE}, Liang et al.'s budget).")
    List<String> epochSpecs;

    @Option(names = "--patience", defaultValue = "0", split = ",", paramLabel = "N|NAME=N",
            description = "Stop a cell when validation NDCG@100 has not improved for N epochs; 0: never; NAME=N for one "
                    + "dataset, e.g. 0,amazon-book=50 (default ${DEFAULT-VALUE}; the replay in `study report` shows what a patience costs).")
    List<String> patienceSpecs;

    @Option(names = "--lambda", split = ",", paramLabel = "L[,L...]", defaultValue = "100,200,500,1000,2000,5000",
            description = "EASE: L2 weights to choose from on validation (default ${DEFAULT-VALUE}).")
    double[] lambdas;

    @Option(names = "--lambda-edge-steps", defaultValue = "" + LambdaSearch.DEFAULT_EDGE_STEPS, paramLabel = "N",
            description = "EASE: when the best lambda is the smallest or largest tried, try up to N more past it, each by "
                    + "the ratio of the grid's two outermost values there, while they improve; 0: the grid only (default ${DEFAULT-VALUE}).")
    int edgeSteps;

    @Mixin
    NeighboursOption neighbours;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Study directory (default: results/beta-study in the repository).")
    Path out;

    @Option(names = "--redo", split = ",", paramLabel = "ID|FAMILY",
            description = "Discard every finished cell of these variants (all seeds) on the selected datasets and run them "
                    + "again; the settings only they use (for ease: --lambda, --lambda-edge-steps, --neighbors) may then differ from "
                    + "protocol.json, which is updated. Must be among --variants.")
    List<String> redoSelectors;

    @Option(names = "--dry-run", description = "Show per dataset how many cells are done and how many would run (and continue from a stopped run's checkpoint), then stop.")
    boolean dryRun;

    @Override
    public Integer call() throws IOException {
        if (seeds < 1) {
            throw new ParameterException(spec.commandLine(), "--seeds must be >= 1, got " + seeds);
        }
        List<StudyVariant> variants;
        List<String> selectors = variantSelectors == null ? null
                : variantSelectors.stream().filter(v -> !v.strip().equalsIgnoreCase(MATCHED)).toList();
        boolean matched = variantSelectors == null || selectors.size() < variantSelectors.size();
        try {
            variants = selectors == null ? StudyVariant.grid()
                    : selectors.isEmpty() ? List.of() : StudyVariant.select(StudyVariant.grid(), selectors);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--variants: " + e.getMessage() + ", or " + MATCHED);
        }
        List<StudyVariant> redo = redoVariants(variants);
        DataSteps.checkSpecs(datasets, fileFormat.options());
        TrainCommand.checkLambdaSearch(spec, lambdas, edgeSteps);
        Map<String, Integer> epochs = new LinkedHashMap<>();
        Map<String, Integer> patience = new LinkedHashMap<>();
        try {
            for (String dataset : datasets) {
                epochs.put(dataset, perDataset("--epochs", epochSpecs, dataset, 1));
                patience.put(dataset, perDataset("--patience", patienceSpecs, dataset, 0));
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        StudySettings settings = StudySettings.builder()
                .root(out != null ? out : StudyCommand.defaultDir())
                .datasets(datasets)
                .dataDir(common.dataDir())
                .seeds(StudySettings.seeds(common.seed, seeds))
                .variants(variants)
                .redo(redo)
                .epochs(epochs)
                .patience(patience)
                .lambdas(lambdas)
                .edgeSteps(edgeSteps)
                .neighbours(neighbours.k(spec))
                .heldOutUsers(splitOptions.validationUsers, splitOptions.testUsers)
                .split(splitOptions::config)
                .splitSeed(splitSeed)
                .matched(matched)
                .fileOptions(fileFormat.options())
                .dryRun(dryRun)
                .commandLine(String.join(" ", spec.commandLine().getParseResult().originalArgs()))
                .repository(StudyCommand.repositoryRoot())
                .build();
        StudyRunner runner = StudyRunner.plan(settings, spec.commandLine().getErr());
        if (dryRun || runner.cellsPlanned() == 0) {
            return 0;
        }
        common.apply();
        runner.run(Kernels.get());
        return 0;
    }

    /**
     * The value of {@code option} for {@code dataset}: its {@code NAME=N} entry in {@code specs}, else the plain
     * {@code N}; an entry that is not a whole number of at least {@code min}, or no value, is an error naming it.
     */
    static int perDataset(String option, List<String> specs, String dataset, int min) {
        Integer all = null;
        Integer own = null;
        for (String entry : specs) {
            int eq = entry.indexOf('=');
            String name = eq < 0 ? null : entry.substring(0, eq).strip();
            String value = (eq < 0 ? entry : entry.substring(eq + 1)).strip();
            int n;
            try {
                n = Integer.parseInt(value);
            } catch (NumberFormatException e) {
                n = min - 1;
            }
            if (n < min) {
                throw new IllegalArgumentException(option + ": expected N or NAME=N with N >= " + min + ", got '"
                        + entry + "'");
            }
            if (name == null) {
                all = n;
            } else if (name.equals(dataset)) {
                own = n;
            }
        }
        if (own == null && all == null) {
            throw new IllegalArgumentException(option + " gives no value for " + dataset
                    + "; add a plain N for all datasets");
        }
        return own != null ? own : all;
    }

    /** The {@code --redo} variants, which must be among the ones this run plans. */
    private List<StudyVariant> redoVariants(List<StudyVariant> variants) {
        if (redoSelectors == null) {
            return List.of();
        }
        List<StudyVariant> redo;
        try {
            redo = StudyVariant.select(StudyVariant.grid(), redoSelectors);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--redo: " + e.getMessage());
        }
        for (StudyVariant v : redo) {
            if (!variants.contains(v)) {
                throw new ParameterException(spec.commandLine(), "--redo: " + v.id() + " is not among the variants this run"
                        + " plans; add it to --variants");
            }
        }
        return redo;
    }
}
