package dev.sparsecf.cli;

import dev.sparsecf.perf.MachineInfo;
import dev.sparsecf.perf.RunMetadata;
import dev.sparsecf.render.Progress;
import dev.sparsecf.study.CsvRows;
import dev.sparsecf.study.StudyCells;
import dev.sparsecf.study.StudyVariant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sparsecf.data.DataSplit;
import dev.sparsecf.data.Interactions;
import dev.sparsecf.eval.EvaluationResult;
import dev.sparsecf.eval.Metric;
import dev.sparsecf.kernels.CsrMatrix;
import dev.sparsecf.kernels.Kernels;
import dev.sparsecf.models.BetaPolicy;
import dev.sparsecf.models.BetaSchedule;
import dev.sparsecf.models.Ease;
import dev.sparsecf.models.LatentStats;
import dev.sparsecf.models.ModelConfig;
import dev.sparsecf.models.MultVae;
import dev.sparsecf.models.VaeTrainer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code sparsecf study beta}: the grid of the beta study (every {@link StudyVariant} x dataset x seed), run cell
 * by cell with results written as each cell finishes ({@code <out>/<dataset>/cells.csv} plus per-user, per-latent-dim
 * and per-epoch files, see {@code results/beta-study/README.md}). Finished cells are skipped on a restart; a cell
 * interrupted half-way left nothing behind and simply runs again.
 */
@Command(name = "beta",
        description = {"Run the beta study grid: Mult-VAE with constant, annealed, cyclical, per-user and KL-targeted beta,",
                "plus Mult-DAE and EASE, on each dataset and seed (seeds --seed .. --seed + --seeds - 1).",
                "Resumable: finished cells are skipped; rerun the same command after an interruption."})
public final class BetaStudyCommand implements Callable<Integer> {

    public static final String PROTOCOL_FILE = "protocol.json";
    public static final String STUDY_FILE = "study.json";
    public static final String EASE_EDGE_STEPS_KEY = "easeLambdaEdgeSteps";
    public static final String EASE_LAMBDAS_KEY = "easeLambdas";
    /**
     * Keys added to {@value #PROTOCOL_FILE} after the first studies ran, with the value an older file implies:
     * {@code easeLambdaEdgeSteps} 0, the grid only.
     */
    static final Map<String, JsonNode> ADDED_KEY_DEFAULTS = Map.of(EASE_EDGE_STEPS_KEY, IntNode.valueOf(0));
    /** Protocol keys that only EASE cells use: {@code --redo ease} may change them. */
    static final Set<String> EASE_ONLY_KEYS = Set.of(EASE_LAMBDAS_KEY, EASE_EDGE_STEPS_KEY);
    /** Keys of a run in {@value #STUDY_FILE}: dataset folders, seeds and variant ids it plans. */
    public static final String PLANNED_DATASETS = "datasets";
    public static final String PLANNED_SEEDS = "seeds";
    public static final String PLANNED_VARIANTS = "variants";

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Mixin
    SplitOptions splitOptions;

    @Option(names = "--data", required = true, split = ",", paramLabel = "NAME[,NAME...]",
            description = "Datasets, run in this order: ${COMPLETION-CANDIDATES}.", completionCandidates = DataCommand.Names.class)
    List<String> datasets;

    @Option(names = "--seeds", defaultValue = "3", paramLabel = "N", description = "Seeds per cell (default ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--variants", split = ",", paramLabel = "ID|FAMILY",
            description = "Run only these variant ids (e.g. const-0.2) or families (e.g. constant, kltarget); default: the whole grid.")
    List<String> variantSelectors;

    @Option(names = "--epochs", defaultValue = "60", split = ",", paramLabel = "N|NAME=N",
            description = {"Planned epochs per Mult-VAE/DAE cell: N for every dataset, NAME=N for one, e.g. 60,amazon-book=15",
                    "(default ${DEFAULT-VALUE})."})
    List<String> epochSpecs;

    @Option(names = "--patience", defaultValue = "10", paramLabel = "N",
            description = "Stop a cell when validation NDCG@100 has not improved for N epochs; 0: never (default ${DEFAULT-VALUE}).")
    int patience;

    @Option(names = "--lambda", split = ",", paramLabel = "L[,L...]", defaultValue = "100,200,500,1000,2000,5000",
            description = "EASE: L2 weights to choose from on validation (default ${DEFAULT-VALUE}).")
    double[] lambdas;

    @Option(names = "--lambda-edge-steps", defaultValue = "" + Ease.DEFAULT_EDGE_STEPS, paramLabel = "N",
            description = {"EASE: when the best lambda is the smallest or largest tried, try up to N more past it, each by",
                    "the ratio of the grid's two outermost values there, while they improve; 0: the grid only (default ${DEFAULT-VALUE})."})
    int edgeSteps;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Study directory (default: results/beta-study in the repository).")
    Path out;

    @Option(names = "--redo", split = ",", paramLabel = "ID|FAMILY",
            description = {"Discard every finished cell of these variants (all seeds) on the selected datasets and run them",
                    "again; the settings only they use (for ease: --lambda, --lambda-edge-steps) may then differ from",
                    "protocol.json, which is updated. Must be among --variants."})
    List<String> redoSelectors;

    @Option(names = "--dry-run", description = "Show per dataset how many cells are done and how many would run, then stop.")
    boolean dryRun;

    private PrintWriter err;
    private long studyStart;
    private int cellsDone;
    private int cellsPlanned;

    @Override
    public Integer call() throws IOException {
        if (seeds < 1) {
            throw new ParameterException(spec.commandLine(), "--seeds must be >= 1, got " + seeds);
        }
        List<StudyVariant> variants;
        try {
            variants = variantSelectors == null ? StudyVariant.defaultGrid()
                    : StudyVariant.select(StudyVariant.defaultGrid(), variantSelectors);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--variants: " + e.getMessage());
        }
        List<StudyVariant> redo = redoVariants(variants);
        DataCommand.checkNames(spec, datasets);
        TrainCommand.checkLambdaSearch(spec, lambdas, edgeSteps);
        Path root = out != null ? out : StudyCommand.defaultDir();
        err = spec.commandLine().getErr();
        // every dataset's settings are checked before any is changed, so that a refused run changes nothing
        List<Boolean> newSettings = new ArrayList<>();
        for (String dataset : datasets) {
            newSettings.add(checkProtocol(root.resolve(folderName(dataset)), dataset, redo));
        }
        List<Plan> plans = new ArrayList<>();
        for (int d = 0; d < datasets.size(); d++) {
            String dataset = datasets.get(d);
            Path dir = root.resolve(folderName(dataset));
            List<StudyCells.Cell> finished = StudyCells.read(dir.resolve(StudyCells.FILE));
            List<StudyCells.Cell> done = discard(dir, dataset, finished, redo);
            if (newSettings.get(d) && !dryRun) {
                writeProtocol(dir, dataset); // only now: had the discard failed, the old rows would still match the old file
            }
            plans.add(new Plan(dataset, dir, variants, done, finished));
        }
        cellsPlanned = plans.stream().mapToInt(Plan::remaining).sum();
        for (Plan p : plans) {
            err.printf(Locale.ROOT, "%s: %d of %d cells done, %d to run%s%n", p.dataset, p.total() - p.remaining(), p.total(),
                    p.remaining(), p.remaining() == 0 ? "" : ", " + p.timeLeft());
        }
        if (dryRun || cellsPlanned == 0) {
            return 0;
        }
        common.apply();
        Kernels kernels = Kernels.get();
        recordRun(root, kernels, variants);
        studyStart = System.nanoTime();
        for (Plan p : plans) {
            if (p.remaining() > 0) {
                runDataset(p, kernels);
            }
        }
        err.printf(Locale.ROOT, "study finished: %d cells in %s; render the tables and plots with: sparsecf study report --dir %s%n",
                cellsDone, Progress.duration(elapsed()), root);
        return 0;
    }

    /** The cells of one dataset: the grid, the rows already on disk, and what is left. */
    private final class Plan {
        final String dataset;
        final Path dir;
        final List<StudyVariant> variants;
        final List<StudyCells.Cell> done;
        /** The cells on disk when the run started, discarded ones included: their times estimate the cells to run. */
        final List<StudyCells.Cell> timed;

        Plan(String dataset, Path dir, List<StudyVariant> variants, List<StudyCells.Cell> done, List<StudyCells.Cell> timed) {
            this.dataset = dataset;
            this.dir = dir;
            this.variants = variants;
            this.done = new ArrayList<>(done);
            this.timed = new ArrayList<>(timed);
        }

        int total() {
            return variants.size() * seeds;
        }

        boolean isDone(StudyVariant v, long seed) {
            return done.stream().anyMatch(c -> c.sameCell(v.id(), seed));
        }

        int remaining() {
            int n = 0;
            for (long seed : seedList()) {
                for (StudyVariant v : variants) {
                    n += isDone(v, seed) ? 0 : 1;
                }
            }
            return n;
        }

        /**
         * The time the cells still to run are expected to take, from the finished cells of the same cost, and how
         * many are of a cost not timed yet on this dataset.
         */
        String timeLeft() {
            if (remaining() == 0) {
                return "done";
            }
            double seconds = 0;
            int untimed = 0;
            for (long seed : seedList()) {
                for (StudyVariant v : variants) {
                    if (!isDone(v, seed)) {
                        double e = expectedSeconds(v);
                        untimed += Double.isNaN(e) ? 1 : 0;
                        seconds += Double.isNaN(e) ? 0 : e;
                    }
                }
            }
            if (untimed == remaining()) {
                return "time unknown (no finished cell of the kinds left)";
            }
            return "about " + Progress.duration(seconds) + (untimed == 0 ? ""
                    : " (+ " + untimed + " cell(s) of a kind not yet timed here)");
        }

        /** Seconds a cell of {@code v} is expected to take, from the finished ones (NaN before the first of its kind). */
        double expectedSeconds(StudyVariant v) {
            return StudyCells.expectedSeconds(timed, v.family());
        }
    }

    private List<Long> seedList() {
        List<Long> list = new ArrayList<>();
        for (int s = 0; s < seeds; s++) {
            list.add(common.seed + s);
        }
        return list;
    }

    /** A dataset spec as a folder name ({@code synthetic:0.1} becomes {@code synthetic-0.1}). */
    static String folderName(String dataset) {
        return dataset.strip().replace(':', '-');
    }

    private void runDataset(Plan p, Kernels kernels) throws IOException {
        Interactions positives = DataCommand.load(spec, p.dataset, common.dataDir());
        for (long seed : seedList()) {
            List<StudyVariant> todo = p.variants.stream().filter(v -> !p.isDone(v, seed)).toList();
            if (todo.isEmpty()) {
                continue;
            }
            DataSplit split = DataCommand.split(spec, positives, splitOptions.config(seed));
            String fingerprint = TrainCommand.fingerprint(split);
            for (StudyVariant v : todo) {
                err.printf(Locale.ROOT, "[%d/%d] %s seed %d %s: %,d train users x %,d items ...%n", cellsDone + 1, cellsPlanned,
                        p.dataset, seed, v.id(), split.train().numUsers(), split.train().numItems());
                err.flush();
                StudyCells.Cell cell = v.family() == StudyVariant.Family.EASE
                        ? runEase(p, v, seed, split, fingerprint, kernels)
                        : runAutoencoder(p, v, seed, split, fingerprint, kernels);
                if (cell == null) {
                    continue;
                }
                p.done.add(cell);
                p.timed.add(cell);
                StudyCells.write(p.dir.resolve(StudyCells.FILE), p.done);
                cellsDone++;
                err.printf(Locale.ROOT, "[%d/%d] %s seed %d %s: test NDCG@100 %.4f ± %.4f, Recall@20 %.4f, Recall@50 %.4f%s"
                                + " in %s; ETA %s%n", cellsDone, cellsPlanned, p.dataset, seed, v.id(), cell.ndcg100(),
                        cell.ndcg100Se(), cell.recall20(), cell.recall50(),
                        cell.activeUnits() == null ? "" : String.format(Locale.ROOT, ", %d active units, KL %.1f",
                                cell.activeUnits(), cell.klMean()),
                        Progress.duration(cell.trainSeconds()), eta(p));
                err.flush();
            }
        }
    }

    /** Time left for this dataset from the mean time of finished cells of the same kind; later datasets are not timed yet. */
    private String eta(Plan current) {
        String text = "for " + current.dataset + ": " + current.timeLeft();
        int index = datasets.indexOf(current.dataset);
        int later = datasets.size() - 1 - index;
        return later > 0 ? text + ", then " + later + " more dataset(s)" : text;
    }

    private StudyCells.Cell runAutoencoder(Plan p, StudyVariant v, long seed, DataSplit split, String fingerprint,
                                           Kernels kernels) throws IOException {
        boolean vae = v.family().isVae();
        ModelConfig config = vae ? ModelConfig.multVae(seed) : ModelConfig.multDae(seed);
        long start = System.nanoTime();
        try (CsrMatrix train = split.train().toCsr(); MultVae model = new MultVae(config, train.cols(), kernels);
             CsrMatrix testFoldIn = split.test().foldIn().toCsr()) {
            int[] clicks = new int[train.rows()];
            for (int u = 0; u < clicks.length; u++) {
                clicks[u] = train.rowNnz(u);
            }
            BetaPolicy policy = vae ? v.policy(clicks) : BetaPolicy.global(BetaSchedule.constant(0));
            int epochs = epochsFor(p.dataset);
            int every = Math.max(1, epochs / 6);
            VaeTrainer trainer = new VaeTrainer(kernels, r -> {
                if (r.epoch() % every == 0) {
                    err.printf(Locale.ROOT, "    epoch %3d/%d  nll %8.2f  kl %7.2f  beta %.4f  val NDCG@100 %.4f (best %.4f @ %d)%n",
                            r.epoch(), r.epochs(), r.negLogLikelihood(), r.kl(), r.beta(), r.validationNdcg(), r.bestNdcg(),
                            r.bestEpoch());
                    err.flush();
                }
            });
            VaeTrainer.Result result = trainer.train(model, train, split.validation(), epochs, policy, patience);
            EvaluationResult test = trainer.evaluate(model, split.test());
            LatentStats latent = vae ? LatentStats.of(model, testFoldIn) : null;
            String base = v.id() + "__s" + seed;
            writeUsers(p.dir.resolve("users").resolve(base + ".csv"), split.test(), test, latent);
            if (latent != null) {
                writeLatent(p.dir.resolve("latent").resolve(base + ".csv"), latent);
            }
            StudyCells.writeAtomically(p.dir.resolve("history").resolve(base + ".csv"), TrainCommand.historyCsv(result));
            double seconds = (System.nanoTime() - start) / 1e9;
            return cell(p, v, seed, fingerprint, test, result.epochsRun(), result.bestEpoch(), seconds,
                    latent == null ? null : latent.activeUnits(), latent == null ? null : mean(latent.userKl()),
                    vae ? result.meanBeta() : null, null);
        }
    }

    private StudyCells.Cell runEase(Plan p, StudyVariant v, long seed, DataSplit split, String fingerprint,
                                    Kernels kernels) throws IOException {
        long items = split.train().numItems();
        long needed = items * items * Double.BYTES;
        long memory = MachineInfo.memoryBytes();
        if (memory > 0 && needed > memory * 8 / 10) {
            err.printf(Locale.ROOT, "    skipped: EASE on %,d items needs a %.1f GB Gram matrix, more than 80%% of this machine's %.1f GB%n",
                    items, needed / 1e9, memory / 1e9);
            return null;
        }
        long start = System.nanoTime();
        // One line per lambda tried: an EASE cell on ~25k items takes half an hour, this is its progress.
        Ease.Selection selection = Ease.fitAndSelect(split, lambdas, edgeSteps, kernels, line -> {
            err.println("    " + line);
            err.flush();
        });
        try (Ease ease = selection.model()) {
            EvaluationResult test = ease.evaluate(split.test());
            writeUsers(p.dir.resolve("users").resolve(v.id() + "__s" + seed + ".csv"), split.test(), test, null);
            double seconds = (System.nanoTime() - start) / 1e9;
            return cell(p, v, seed, fingerprint, test, 0, 0, seconds, null, null, null, selection.lambda());
        }
    }

    private StudyCells.Cell cell(Plan p, StudyVariant v, long seed, String fingerprint, EvaluationResult test, int epochsRun,
                                 int bestEpoch, double seconds, Integer activeUnits, Double klMean, Double meanBeta,
                                 Double lambda) {
        return new StudyCells.Cell(p.dataset, v.id(), v.family().label, v.param(), seed, epochsRun, bestEpoch, seconds,
                test.users(), test.mean(Metric.RECALL, 20), test.standardError(Metric.RECALL, 20), test.mean(Metric.RECALL, 50),
                test.standardError(Metric.RECALL, 50), test.mean(Metric.NDCG, 100), test.standardError(Metric.NDCG, 100),
                activeUnits, klMean, meanBeta, lambda, fingerprint);
    }

    private static double mean(double[] values) {
        double s = 0;
        for (double x : values) {
            s += x;
        }
        return values.length == 0 ? Double.NaN : s / values.length;
    }

    /** One line per evaluated test user: original id, total clicks, the three study metrics and the user's KL. */
    private static void writeUsers(Path file, DataSplit.HeldOut heldOut, EvaluationResult test, LatentStats latent)
            throws IOException {
        int[] rows = test.userRows();
        double[] r20 = test.perUser(Metric.RECALL, 20);
        double[] r50 = test.perUser(Metric.RECALL, 50);
        double[] n100 = test.perUser(Metric.NDCG, 100);
        StringBuilder sb = new StringBuilder("user,clicks,recall20,recall50,ndcg100,kl\n");
        for (int i = 0; i < rows.length; i++) {
            int row = rows[i];
            int clicks = heldOut.foldIn().count(row) + heldOut.eval().count(row);
            sb.append(CsvRows.quote(heldOut.users().id(row))).append(',').append(clicks).append(',')
                    .append(StudyCells.num(r20[i])).append(',').append(StudyCells.num(r50[i])).append(',')
                    .append(StudyCells.num(n100[i])).append(',')
                    .append(latent == null ? "" : StudyCells.num(latent.userKl()[row])).append('\n');
        }
        StudyCells.writeAtomically(file, sb.toString());
    }

    private static void writeLatent(Path file, LatentStats latent) throws IOException {
        StringBuilder sb = new StringBuilder("dim,kl_mean,mu_variance\n");
        for (int d = 0; d < latent.klPerDim().length; d++) {
            sb.append(d).append(',').append(StudyCells.num(latent.klPerDim()[d])).append(',')
                    .append(StudyCells.num(latent.muVariance()[d])).append('\n');
        }
        StudyCells.writeAtomically(file, sb.toString());
    }

    /**
     * The settings that make a dataset's cells comparable. They are written to {@code <dataset>/protocol.json} by
     * the first run; a later run with other settings stops rather than mixing incomparable rows in one table.
     */
    private ObjectNode protocol(String dataset) {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode p = mapper.createObjectNode();
        p.put("dataset", dataset);
        p.put("epochs", epochsFor(dataset));
        p.put("patience", patience);
        p.put("validationUsers", splitOptions.validationUsers == null ? "auto" : splitOptions.validationUsers.toString());
        p.put("testUsers", splitOptions.testUsers == null ? "auto" : splitOptions.testUsers.toString());
        ArrayNode l = p.putArray(EASE_LAMBDAS_KEY);
        for (double x : lambdas) {
            l.add(x);
        }
        p.put(EASE_EDGE_STEPS_KEY, edgeSteps);
        p.put("paperAnnealSteps", StudyVariant.PAPER_ANNEAL_STEPS);
        p.put("annealFraction", StudyVariant.ANNEAL_FRACTION);
        p.put("cycles", StudyVariant.CYCLES);
        p.put("cycleRamp", StudyVariant.CYCLE_RAMP);
        p.put("controllerKp", BetaPolicy.DEFAULT_KP);
        p.put("controllerKi", BetaPolicy.DEFAULT_KI);
        p.put("controllerMaxBeta", StudyVariant.CONTROLLER_MAX_BETA);
        return p;
    }

    /** The planned epochs for {@code dataset}: its {@code NAME=N} entry of {@code --epochs}, else the plain {@code N}. */
    int epochsFor(String dataset) {
        Integer all = null;
        Integer own = null;
        for (String entry : epochSpecs) {
            int eq = entry.indexOf('=');
            String name = eq < 0 ? null : entry.substring(0, eq).strip();
            String value = (eq < 0 ? entry : entry.substring(eq + 1)).strip();
            int n;
            try {
                n = Integer.parseInt(value);
            } catch (NumberFormatException e) {
                n = 0;
            }
            if (n < 1) {
                throw new ParameterException(spec.commandLine(), "--epochs: expected N or NAME=N with N >= 1, got '" + entry + "'");
            }
            if (name == null) {
                all = n;
            } else if (name.equals(dataset)) {
                own = n;
            }
        }
        if (own == null && all == null) {
            throw new ParameterException(spec.commandLine(), "--epochs gives no count for " + dataset + "; add a plain N for all datasets");
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
            redo = StudyVariant.select(StudyVariant.defaultGrid(), redoSelectors);
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

    /**
     * The finished cells of {@code dataset} less those of the {@code redo} variants; unless this is a dry run, their
     * rows and their per-user, latent and history files are deleted, and the count is printed either way.
     */
    private List<StudyCells.Cell> discard(Path dir, String dataset, List<StudyCells.Cell> done, List<StudyVariant> redo)
            throws IOException {
        List<StudyCells.Cell> gone = done.stream().filter(c -> redo.stream().anyMatch(v -> v.id().equals(c.variant()))).toList();
        if (gone.isEmpty()) {
            return done;
        }
        List<StudyCells.Cell> kept = done.stream().filter(c -> !gone.contains(c)).toList();
        err.printf(Locale.ROOT, "%s: %s %d finished cell(s) to run again (--redo): %s%n", dataset,
                dryRun ? "would discard" : "discarding", gone.size(),
                gone.stream().map(c -> c.variant() + " seed " + c.seed()).collect(Collectors.joining(", ")));
        if (!dryRun) {
            StudyCells.write(dir.resolve(StudyCells.FILE), kept);
            for (StudyCells.Cell c : gone) {
                for (String sub : List.of("users", "latent", "history")) {
                    Files.deleteIfExists(dir.resolve(sub).resolve(c.variant() + "__s" + c.seed() + ".csv"));
                }
            }
        }
        return kept;
    }

    private void writeProtocol(Path dir, String dataset) throws IOException {
        Files.createDirectories(dir);
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        StudyCells.writeAtomically(dir.resolve(PROTOCOL_FILE), mapper.writeValueAsString(protocol(dataset)) + "\n");
    }

    /**
     * Compares this run's settings with {@code dir}'s {@value #PROTOCOL_FILE} and stops on a difference, except in
     * settings that only {@code redo} variants use; returns whether the file is to be (re)written.
     */
    private boolean checkProtocol(Path dir, String dataset, List<StudyVariant> redo) throws IOException {
        ObjectNode wanted = protocol(dataset);
        Path file = dir.resolve(PROTOCOL_FILE);
        ObjectMapper mapper = new ObjectMapper();
        if (!Files.exists(file)) {
            return true;
        }
        JsonNode found = mapper.readTree(file.toFile());
        // compare as read back from text: a long written is an int read, and equals() tells them apart
        JsonNode now = mapper.readTree(mapper.writeValueAsString(wanted));
        List<String> differences = new ArrayList<>();
        boolean easeOnly = true;
        for (Iterator<String> it = wanted.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            JsonNode there = protocolValue(found, key);
            boolean legacy = !found.has(key) && there != null;
            if (!now.get(key).equals(there)) {
                differences.add(key + " " + there + (legacy ? " (recorded before the setting existed)" : "") + " there, "
                        + now.get(key) + " now");
                easeOnly &= EASE_ONLY_KEYS.contains(key);
            }
        }
        if (differences.isEmpty()) {
            return false;
        }
        boolean redoEase = redo.stream().anyMatch(v -> v.family() == StudyVariant.Family.EASE);
        if (easeOnly && redoEase) {
            err.printf(Locale.ROOT, "%s: EASE settings change (%s)%n", dataset, String.join("; ", differences));
            return true;
        }
        throw new ParameterException(spec.commandLine(), file + " records other settings (" + String.join("; ", differences)
                + "): rerun with the recorded settings to resume, or choose another --out"
                + (easeOnly ? ", or rerun its EASE cells with the new ones: --redo ease" : ""));
    }

    /** {@code key} of a {@value #PROTOCOL_FILE} as written, else the value an older file implies; null if neither. */
    public static JsonNode protocolValue(JsonNode protocol, String key) {
        return protocol.has(key) ? protocol.get(key) : ADDED_KEY_DEFAULTS.get(key);
    }

    /** Appends this invocation (command line, machine, kernels) to {@code <out>/study.json}, keeping earlier runs. */
    private void recordRun(Path root, Kernels kernels, List<StudyVariant> variants) throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Path file = root.resolve(STUDY_FILE);
        ObjectNode study = Files.exists(file) ? (ObjectNode) mapper.readTree(file.toFile()) : mapper.createObjectNode();
        ArrayNode runs = study.has("runs") ? (ArrayNode) study.get("runs") : study.putArray("runs");
        ObjectNode run = runs.addObject();
        run.put("started", Instant.now().toString());
        run.put("commandLine", String.join(" ", spec.commandLine().getParseResult().originalArgs()));
        run.put("cpu", MachineInfo.local().model());
        run.put("kernels", kernels.implementationName());
        run.put("dense", kernels.denseImplementationName());
        run.put("threads", kernels.threads());
        RunMetadata.putOpenBlasEnvironment(run);
        run.put("commit", RunMetadata.shortCommit(StudyCommand.repositoryRoot()));
        // what this run plans, so that the report can show the cells still to come as pending
        datasets.forEach(d -> run.withArray(PLANNED_DATASETS).add(folderName(d)));
        seedList().forEach(seed -> run.withArray(PLANNED_SEEDS).add(seed));
        variants.forEach(v -> run.withArray(PLANNED_VARIANTS).add(v.id()));
        StudyCells.writeAtomically(file, mapper.writeValueAsString(study) + "\n");
    }

    private double elapsed() {
        return (System.nanoTime() - studyStart) / 1e9;
    }
}
