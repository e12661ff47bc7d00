package dev.sparsecf.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.sparsecf.kernels.Bf16Kernels;
import dev.sparsecf.kernels.Kernels;
import dev.sparsecf.data.DataSplit;
import dev.sparsecf.eval.EvaluationResult;
import dev.sparsecf.eval.Metric;
import dev.sparsecf.kernels.CsrMatrix;
import dev.sparsecf.models.BetaPolicy;
import dev.sparsecf.models.ModelConfig;
import dev.sparsecf.models.ModelFile;
import dev.sparsecf.models.MultVae;
import dev.sparsecf.models.TrainingCheckpoint;
import dev.sparsecf.models.VaeTrainer;
import dev.sparsecf.models.ease.Candidate;
import dev.sparsecf.models.ease.ClosedForm;
import dev.sparsecf.models.ease.EaseModel;
import dev.sparsecf.models.ease.LambdaSearch;
import dev.sparsecf.models.ease.Precision;
import dev.sparsecf.models.ease.Selection;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One model trained on one split and evaluated on its test users, then written: the train -> evaluate -> write
 * path that {@code sparsecf train} and the beta study's cells share. The app module holds it rather than models
 * because it writes the run's files ({@value #METRICS_FILE} through Jackson, the history CSV) for the commands.
 */
public final class TrainingRun {

    public static final String METRICS_FILE = "metrics.json";
    public static final String MODEL_FILE = "model.sparsecf";
    public static final String HISTORY_FILE = "history.csv";
    public static final String SPLIT_CHECKSUMS_FILE = "split.SHA256SUMS";
    public static final String CHECKPOINT_FILE = "checkpoint.sparsecf";

    /** Every file a run writes to its directory; {@code --force} deletes them all, so that no two runs mix. */
    private static final List<String> RUN_FILES = List.of(METRICS_FILE, MODEL_FILE, HISTORY_FILE, SPLIT_CHECKSUMS_FILE,
            CHECKPOINT_FILE);

    private final SplitSource source;
    private final long seed;
    private final DataSplit split;
    private final String fingerprint;
    private final Kernels kernels;
    private Bf16Kernels outputBf16; // null: the autoencoders train in float32

    /** A run on {@code split} (seed {@code seed}, fingerprint {@code fingerprint}) of the dataset spec {@code data}. */
    public TrainingRun(String data, long seed, DataSplit split, String fingerprint, Kernels kernels) {
        this(new SplitSource.Dataset(data), seed, split, fingerprint, kernels);
    }

    /** A run on {@code split} (seed {@code seed}, fingerprint {@code fingerprint}) read from {@code source}. */
    public TrainingRun(SplitSource source, long seed, DataSplit split, String fingerprint, Kernels kernels) {
        this.source = source;
        this.seed = seed;
        this.split = split;
        this.fingerprint = fingerprint;
        this.kernels = kernels;
    }

    public DataSplit split() {
        return split;
    }

    public Kernels kernels() {
        return kernels;
    }

    /** Runs the autoencoders' output-layer products in bf16 on {@code bf16} (see {@link MultVae}); returns this run. */
    public TrainingRun withBf16OutputLayer(Bf16Kernels bf16) {
        this.outputBf16 = bf16;
        return this;
    }

    /** {@code float32}, or {@code bf16-output-layer} after {@link #withBf16OutputLayer}: for metrics.json and the model file. */
    public String precision() {
        return outputBf16 == null ? "float32" : "bf16-output-layer";
    }

    public String fingerprint() {
        return fingerprint;
    }

    /**
     * The checks of {@link #prepareOut} that write nothing, for before the data is read: {@code out} is not a file,
     * not locked by another run, and holds no earlier run's files that {@code force} or {@code resume} would not handle.
     */
    public static void checkOut(Path out, boolean force, boolean resume) throws IOException {
        requireDirectoryOrAbsent(out);
        if (Files.isDirectory(out)) {
            RunLock.checkFree(out);
        }
        checkEarlierRun(out, force, resume);
    }

    /**
     * Creates {@code out} and locks it for this run (the caller closes the lock when the run ends), then checks what
     * an earlier run left there: its results are refused unless {@code force}, which deletes all of its files first,
     * and its checkpoint is continued only with {@code resume}. The split's checksums alone, which a run writes
     * before training, block nothing: the same command rewrites them.
     */
    public static RunLock prepareOut(Path out, boolean force, boolean resume) throws IOException {
        requireDirectoryOrAbsent(out);
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new IOException("cannot create output directory " + out + ": " + reason(e), e);
        }
        RunLock lock = RunLock.acquire(out);
        try {
            // again under the lock: another run may have finished in --out since checkOut
            checkEarlierRun(out, force, resume);
            if (force) {
                for (String name : RUN_FILES) {
                    Files.deleteIfExists(out.resolve(name));
                }
            }
            return lock;
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    private static void requireDirectoryOrAbsent(Path out) {
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new UsageException("--out " + out + " exists and is not a directory");
        }
    }

    /** Refuses an earlier run's results without {@code force}, and a checkpoint without {@code resume} (or its absence with it). */
    private static void checkEarlierRun(Path out, boolean force, boolean resume) {
        if (force) {
            return;
        }
        if (resume) {
            if (!Files.exists(out.resolve(CHECKPOINT_FILE))) {
                throw new UsageException("--out " + out + " holds no " + CHECKPOINT_FILE + " to resume from;"
                        + " run the command without --resume to start");
            }
            return;
        }
        for (String name : List.of(METRICS_FILE, MODEL_FILE, HISTORY_FILE)) {
            if (Files.exists(out.resolve(name))) {
                throw new UsageException("--out " + out + " already holds " + name
                        + " from an earlier run; choose another directory or pass --force to replace it");
            }
        }
        if (Files.exists(out.resolve(CHECKPOINT_FILE))) {
            throw new UsageException("--out " + out + " holds the " + CHECKPOINT_FILE + " of an interrupted run;"
                    + " add --resume to the same command to continue it, or pass --force to start over");
        }
    }

    /** What went wrong with a file operation, in words: the system's reason, or the kind of failure. */
    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /**
     * The checkpoint of a {@code sparsecf train} run into {@code out}, recording the settings a resumed run must
     * share: the data and its split, the model, the beta schedule, the planned epochs and the precision.
     */
    public TrainingCheckpoint checkpoint(Path out, ModelConfig config, String betaSchedule, int epochs) {
        Map<String, String> settings = new LinkedHashMap<>();
        // in the order a mismatch is reported: the first differing setting names the option to fix
        settings.put(source instanceof SplitSource.Dataset ? "--data" : "split", source.describe());
        settings.put("--seed", Long.toString(seed));
        settings.put("split fingerprint", fingerprint);
        settings.put("--lr", Double.toString(config.learningRate()));
        settings.put("--batch-size", Integer.toString(config.batchSize()));
        settings.put("--model", config.toString());
        settings.put("beta schedule", betaSchedule);
        settings.put("--epochs", Integer.toString(epochs));
        if (outputBf16 != null) { // only then: float32 runs keep resuming their older checkpoints
            settings.put("--precision", "bf16");
        }
        return new TrainingCheckpoint(out.resolve(CHECKPOINT_FILE), settings);
    }

    /** {@code base} with this learning rate and batch size. */
    public static ModelConfig autoencoderConfig(ModelConfig base, double learningRate, int batchSize) {
        // the DAE's weight decay is 0.01 per batch of users (Liang et al.), so it follows the batch size
        double weightDecay = base.weightDecay() * base.batchSize() / batchSize;
        return new ModelConfig(base.kind(), base.encoderHidden(), base.latent(), base.dropout(), learningRate, batchSize,
                weightDecay, base.seed());
    }

    /**
     * Trains a Mult-VAE or Mult-DAE for {@code epochs} (stopping after {@code patience} epochs without a better
     * validation NDCG@100; 0: never) with the beta policy {@code policy} makes of the training users' click counts,
     * and evaluates the best epoch's weights on the test users. The caller closes the result.
     */
    public Autoencoder autoencoder(ModelConfig config, Function<int[], BetaPolicy> policy, int epochs, int patience,
                                   Consumer<VaeTrainer.EpochReport> onEpoch, VaeTrainer.BatchListener onBatch) {
        return autoencoder(config, policy, epochs, patience, onEpoch, onBatch, null);
    }

    /**
     * Trains as {@link #autoencoder(ModelConfig, Function, int, int, Consumer, VaeTrainer.BatchListener)}, keeping a
     * checkpoint in {@code checkpoint} (if not null) and continuing from it if it exists, the beta policy's state
     * (the KL-target controller's) included.
     */
    public Autoencoder autoencoder(ModelConfig config, Function<int[], BetaPolicy> policy, int epochs, int patience,
                                   Consumer<VaeTrainer.EpochReport> onEpoch, VaeTrainer.BatchListener onBatch,
                                   TrainingCheckpoint checkpoint) {
        if (split.validation().evaluatedUsers() == 0) {
            // with no validation NDCG no epoch can be selected, and the untrained weights would be kept
            throw new UsageException("--validation-users: the validation set has no users with held-out items, so the"
                    + " best epoch cannot be chosen (" + split.validation().users().size() + " validation users)");
        }
        long start = System.nanoTime();
        VaeTrainer trainer = new VaeTrainer(kernels, onEpoch, onBatch);
        try (CsrMatrix train = split.train().toCsr()) {
            MultVae model = new MultVae(config, train.cols(), kernels, outputBf16);
            try {
                int[] clicks = new int[train.rows()];
                for (int u = 0; u < clicks.length; u++) {
                    clicks[u] = train.rowNnz(u);
                }
                BetaPolicy beta = policy.apply(clicks);
                VaeTrainer.Result result = trainer.train(model, train, split.validation(), epochs, beta, patience,
                        checkpoint);
                return new Autoencoder(model, trainer, epochs, result, trainer.evaluate(model, split.test()), start);
            } catch (RuntimeException | Error e) {
                model.close();
                throw e;
            }
        }
    }

    /**
     * Fits EASE for every lambda of {@code lambdas} (and up to {@code edgeSteps} past the grid's edge), keeps the best
     * by validation NDCG@100, and evaluates it on the test users; {@code progress} gets a line per lambda. The caller
     * closes the result.
     */
    public EaseFit ease(double[] lambdas, int edgeSteps, Consumer<String> progress) {
        return ease(lambdas, edgeSteps, 0, progress);
    }

    /**
     * As {@link #ease(double[], int, Consumer)}; {@code neighbours} K > 0 fits neighbourhood EASE (sparse B), 0 the
     * dense one, which is refused up front (one line suggesting K) when its {@code n x n} buffers would not fit in
     * the memory available.
     *
     * @throws IllegalArgumentException for a bad grid or K, or a dense fit that does not fit in memory
     */
    public EaseFit ease(double[] lambdas, int edgeSteps, int neighbours, Consumer<String> progress) {
        long start = System.nanoTime();
        if (neighbours == 0) {
            MemoryBudget.requireDenseEaseFits(split.train().numItems(), MemoryBudget.available());
        }
        return evaluated(LambdaSearch.fitAndSelect(split, ClosedForm.EASE, lambdas, edgeSteps, Precision.FLOAT64,
                neighbours, kernels, progress), start);
    }

    /**
     * {@link #ease} for EDLAE or DLAE (dense): the dropout odds {@code odds} searched at each L2 weight of {@code l2s}
     * ({@link LambdaSearch#fitAndSelect(dev.sparsecf.data.DataSplit, ClosedForm, double[], double[], int, Precision,
     * dev.sparsecf.kernels.Kernels, Consumer)}).
     */
    public EaseFit dropoutForm(ClosedForm form, double[] l2s, double[] odds, int edgeSteps, Consumer<String> progress) {
        long start = System.nanoTime();
        MemoryBudget.requireDenseEaseFits(split.train().numItems(), MemoryBudget.available());
        return evaluated(LambdaSearch.fitAndSelect(split, form, l2s, odds, edgeSteps, Precision.FLOAT64, kernels,
                progress), start);
    }

    /** The fit of {@code selection} with its test metrics; its model is closed if they fail. */
    private EaseFit evaluated(Selection selection, long start) {
        try {
            return new EaseFit(selection, selection.model().evaluate(split.test()), start);
        } catch (RuntimeException | Error e) {
            selection.model().close();
            throw e;
        }
    }

    /** A trained Mult-VAE or Mult-DAE holding its best epoch's weights, with its history and test metrics. */
    public final class Autoencoder implements AutoCloseable {
        private final MultVae model;
        private final VaeTrainer trainer;
        private final int epochs;
        private final VaeTrainer.Result result;
        private final EvaluationResult test;
        private final long start;

        private Autoencoder(MultVae model, VaeTrainer trainer, int epochs, VaeTrainer.Result result, EvaluationResult test,
                            long start) {
            this.model = model;
            this.trainer = trainer;
            this.epochs = epochs;
            this.result = result;
            this.test = test;
            this.start = start;
        }

        public MultVae model() {
            return model;
        }

        public VaeTrainer.Result result() {
            return result;
        }

        public EvaluationResult test() {
            return test;
        }

        /** Seconds since training started. */
        public double seconds() {
            return (System.nanoTime() - start) / 1e9;
        }

        /**
         * Writes {@value #MODEL_FILE} (replacing one only if {@code force}), {@value #HISTORY_FILE} and
         * {@value #METRICS_FILE}, with the validation metrics too, to {@code out}, then deletes the run's
         * {@value #CHECKPOINT_FILE}; {@code name} and {@code betaSchedule} describe the model for them.
         */
        public void write(Path out, boolean force, String name, String betaSchedule) throws IOException {
            EvaluationResult validation = trainer.evaluate(model, split.validation());
            Map<String, String> meta = modelMetadata();
            meta.put("betaSchedule", betaSchedule);
            meta.put("bestEpoch", Integer.toString(result.bestEpoch()));
            meta.put("precision", precision());
            ModelFile.save(model, split.items(), meta, out.resolve(MODEL_FILE), force);
            Files.writeString(out.resolve(HISTORY_FILE), historyCsv(result));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model", name);
            m.put("dataset", split.train().source());
            putProtocol(m);
            m.put("split", splitSummary());
            m.put("config", model.config().toString());
            m.put("betaSchedule", betaSchedule);
            m.put("epochs", epochs);
            m.put("bestEpoch", result.bestEpoch());
            m.put("test", metrics(test, split.protocol()));
            m.put("validation", metrics(validation, split.protocol()));
            m.put("trainSeconds", result.trainSeconds());
            m.put("kernels", kernels.implementationName());
            m.put("dense", kernels.denseImplementationName());
            m.put("precision", precision());
            m.put("threads", kernels.threads());
            m.put("date", Instant.now().toString());
            List<Map<String, Object>> history = new ArrayList<>();
            for (VaeTrainer.EpochReport r : result.history()) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("epoch", r.epoch());
                e.put("nll", r.negLogLikelihood());
                e.put("kl", r.kl());
                e.put("beta", r.beta());
                e.put("seconds", r.seconds());
                e.put("validationNdcg100", r.validationNdcg());
                history.add(e);
            }
            m.put("history", history);
            writeJson(out.resolve(METRICS_FILE), m);
            Files.deleteIfExists(out.resolve(CHECKPOINT_FILE));
        }

        @Override
        public void close() {
            model.close();
        }
    }

    /** The EASE model chosen by validation NDCG@100, the lambdas tried, and its test metrics. */
    public final class EaseFit implements AutoCloseable {
        private final Selection selection;
        private final EvaluationResult test;
        private final long start;

        private EaseFit(Selection selection, EvaluationResult test, long start) {
            this.selection = selection;
            this.test = test;
            this.start = start;
        }

        public Selection selection() {
            return selection;
        }

        public EvaluationResult test() {
            return test;
        }

        /** Seconds since the first fit started. */
        public double seconds() {
            return (System.nanoTime() - start) / 1e9;
        }

        /**
         * Writes {@value #MODEL_FILE} (replacing one only if {@code force}) and {@value #METRICS_FILE}, with the
         * validation metrics and every lambda tried, to {@code out}.
         */
        public void write(Path out, boolean force) throws IOException {
            EaseModel ease = selection.model();
            ModelFile.save(ease, split.items(), modelMetadata(), out.resolve(MODEL_FILE), force);
            EvaluationResult validation = ease.evaluate(split.validation());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model", "ease");
            m.put("dataset", split.train().source());
            putProtocol(m);
            m.put("split", splitSummary());
            m.put("lambda", selection.lambda());
            if (ease.isSparse()) {
                m.put("neighbours", ease.neighbours());
            }
            List<Map<String, Object>> candidates = new ArrayList<>();
            for (Candidate c : selection.candidates()) {
                // ordered: Map.of iterates in a per-JVM random order, so metrics.json changed from run to run
                Map<String, Object> candidate = new LinkedHashMap<>();
                candidate.put("lambda", c.lambda());
                candidate.put("validationNdcg100", c.validationNdcg());
                candidates.add(candidate);
            }
            m.put("candidates", candidates);
            m.put("lambdaAtEdge", selection.atEdge());
            m.put("test", metrics(test, split.protocol()));
            m.put("validation", metrics(validation, split.protocol()));
            m.put("fit", ease.report().orElseThrow().format());
            m.put("trainSeconds", seconds());
            m.put("dense", kernels.denseImplementationName());
            m.put("threads", kernels.threads());
            m.put("date", Instant.now().toString());
            writeJson(out.resolve(METRICS_FILE), m);
        }

        @Override
        public void close() {
            selection.model().close();
        }
    }

    /** The model file's metadata: the dataset and the split, which {@link SavedModels} re-creates from it. */
    private Map<String, String> modelMetadata() {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("dataset", split.train().source());
        meta.put(SavedModels.PROTOCOL, split.protocol().label());
        meta.putAll(source.metadata());
        meta.put(SavedModels.SPLIT_SEED, Long.toString(seed));
        meta.put(SavedModels.VALIDATION_USERS, Integer.toString(split.validation().users().size()));
        meta.put(SavedModels.TEST_USERS, Integer.toString(split.test().users().size()));
        meta.put(SavedModels.SPLIT_FINGERPRINT, fingerprint);
        return meta;
    }

    /** The protocol's name, the tables it is comparable to and, for a per-user split, what did not fit it. */
    private void putProtocol(Map<String, Object> m) {
        m.put("protocol", split.protocol().label());
        m.put("comparableTo", SplitSource.comparableTo(split.protocol()));
        if (source instanceof SplitSource.PerUser p && p.counts() != null) {
            m.put("perUserSplit", p.counts());
        }
    }

    private Map<String, Object> splitSummary() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("source", source.describe());
        s.put("seed", seed);
        s.put("trainUsers", split.train().numUsers());
        s.put("items", split.train().numItems());
        s.put("validationUsers", split.validation().evaluatedUsers());
        s.put("testUsers", split.test().evaluatedUsers());
        s.put("fingerprint", fingerprint);
        return s;
    }

    /** The per-epoch history as CSV: epoch, NLL, KL, mean beta, seconds and validation NDCG@100. */
    public static String historyCsv(VaeTrainer.Result result) {
        StringBuilder csv = new StringBuilder("epoch,nll,kl,beta,seconds,validation_ndcg100\n");
        for (VaeTrainer.EpochReport r : result.history()) {
            csv.append(String.format(Locale.ROOT, "%d,%.6f,%.6f,%.6f,%.3f,%.6f%n", r.epoch(), r.negLogLikelihood(), r.kl(),
                    r.beta(), r.seconds(), r.validationNdcg()));
        }
        return csv.toString();
    }

    /** Mean and standard error of every metric {@code protocol} reports, at every cut-off. */
    private static Map<String, Object> metrics(EvaluationResult r, DataSplit.Protocol protocol) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("users", r.users());
        for (Metric metric : Metric.reported(protocol)) {
            for (int k : r.ks()) {
                Map<String, Object> v = new LinkedHashMap<>();
                v.put("mean", r.mean(metric, k));
                v.put("stderr", r.standardError(metric, k));
                m.put(metric.at(k), v);
            }
        }
        return m;
    }

    private static void writeJson(Path file, Map<String, Object> m) throws IOException {
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), m);
    }
}
