package dev.sparsecf.cli;

import dev.sparsecf.render.Progress;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.sparsecf.data.DataSplit;
import dev.sparsecf.data.Interactions;
import dev.sparsecf.eval.EvaluationResult;
import dev.sparsecf.eval.Metric;
import dev.sparsecf.kernels.CsrMatrix;
import dev.sparsecf.kernels.Kernels;
import dev.sparsecf.models.BetaSchedule;
import dev.sparsecf.models.Ease;
import dev.sparsecf.models.ModelConfig;
import dev.sparsecf.models.ModelFile;
import dev.sparsecf.models.MultVae;
import dev.sparsecf.models.VaeTrainer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code sparsecf train}: splits a dataset by Liang et al.'s protocol, trains a model, selects the epoch by
 * validation NDCG@100, and writes the test metrics ({@value #METRICS_FILE}), the per-epoch history and the
 * model to {@code --out}.
 */
@Command(name = "train",
        description = {"Train Mult-VAE, Mult-DAE or EASE on a dataset's Liang et al. split and report test metrics.",
                "Default beta schedule (multvae): linear anneal to --anneal-cap 0.2, reached at 80%% of the updates."})
public final class TrainCommand implements Callable<Integer> {

    static final String METRICS_FILE = "metrics.json";
    static final String MODEL_FILE = "model.sparsecf";
    static final String SPLIT_CHECKSUMS_FILE = "split.SHA256SUMS";

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Mixin
    SplitOptions splitOptions;

    @Option(names = "--model", required = true, paramLabel = "multvae|multdae|ease",
            description = "The model: multvae (Liang et al.'s [I-600-200-600-I]), multdae ([I-200-I]) or ease (Steck 2019).")
    String model;

    @Option(names = "--lambda", split = ",", paramLabel = "L[,L...]",
            defaultValue = "100,200,300,500,700,1000,2000",
            description = "ease: L2 weights to try; the best by validation NDCG@100 is kept (default ${DEFAULT-VALUE}).")
    double[] lambdas;

    @Option(names = "--lambda-edge-steps", defaultValue = "" + Ease.DEFAULT_EDGE_STEPS, paramLabel = "N",
            description = {"ease: when the best lambda is the smallest or largest tried, try up to N more past it, each by",
                    "the ratio of the grid's two outermost values there, while they improve; 0: the grid only (default ${DEFAULT-VALUE})."})
    int edgeSteps;

    @Option(names = "--data", required = true, paramLabel = "NAME", completionCandidates = DataCommand.Names.class,
            description = "The dataset: ${COMPLETION-CANDIDATES}.")
    String data;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Directory for metrics.json, history.csv and the model; must not already hold them unless --force.")
    Path out;

    @Option(names = "--force", description = "Replace the files of an earlier run in --out.")
    boolean force;

    @Option(names = "--epochs", defaultValue = "200", paramLabel = "N", description = "Training epochs (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--beta", paramLabel = "B", description = "A constant KL weight instead of the anneal.")
    Double beta;

    @Option(names = "--anneal-cap", defaultValue = "0.2", paramLabel = "B",
            description = "Largest beta of the anneal (default ${DEFAULT-VALUE}).")
    double annealCap;

    @Option(names = "--anneal-fraction", defaultValue = "0.8", paramLabel = "F",
            description = "Fraction of the planned updates after which the anneal reaches its cap (default ${DEFAULT-VALUE}).")
    double annealFraction;

    @Option(names = "--anneal-steps", paramLabel = "N",
            description = "Anneal by a fixed number of updates instead (Liang et al.'s code: 200000).")
    Long annealSteps;

    @Option(names = "--anneal-cycles", paramLabel = "N",
            description = "Cyclical annealing (Fu et al. 2019) with N cycles, each rising over its first half.")
    Integer annealCycles;

    @Option(names = "--batch-size", defaultValue = "500", paramLabel = "N", description = "Users per batch (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--lr", defaultValue = "0.001", paramLabel = "R", description = "Adam learning rate (default ${DEFAULT-VALUE}).")
    double learningRate;

    @Override
    public Integer call() throws IOException {
        if (model.equalsIgnoreCase("ease")) {
            return trainEase();
        }
        ModelConfig config = modelConfig();
        BetaSchedule schedule = betaSchedule(config);
        if (epochs < 1) {
            throw new ParameterException(spec.commandLine(), "--epochs must be >= 1, got " + epochs);
        }
        PrintWriter err = spec.commandLine().getErr();
        DataSplit split = loadSplit();
        String fingerprint = fingerprint(split, out.resolve(SPLIT_CHECKSUMS_FILE));
        Kernels kernels = Kernels.get();
        err.printf(Locale.ROOT, "training %s on %s: %,d users x %,d items, %d epochs, beta %s, kernels %s, dense %s, %d threads%n",
                model, split.train().source(), split.train().numUsers(), split.train().numItems(), epochs, schedule.describe(),
                kernels.implementationName(), kernels.denseImplementationName(), kernels.threads());
        try (CsrMatrix train = split.train().toCsr(); MultVae vae = new MultVae(config, train.cols(), kernels)) {
            // on a terminal, a bar redrawn in place shows the batches of a long epoch; logs get the epoch lines only
            boolean terminal = System.console() != null;
            VaeTrainer trainer = new VaeTrainer(kernels, r -> err.printf(Locale.ROOT,
                    "%sepoch %3d/%d  nll %9.3f  kl %8.3f  beta %.4f  %6.2f s  val NDCG@100 %.4f  (best %.4f @ %d)  ETA %s%n",
                    terminal ? "\r\033[K" : "", r.epoch(), r.epochs(), r.negLogLikelihood(), r.kl(), r.beta(), r.seconds(),
                    r.validationNdcg(), r.bestNdcg(), r.bestEpoch(), Progress.duration(r.etaSeconds())),
                    (epoch, batch, batches, seconds) -> {
                        if (terminal) {
                            err.print(Progress.bar("epoch " + epoch + "/" + epochs, batch, batches, seconds));
                            err.flush();
                        }
                    });
            VaeTrainer.Result result = trainer.train(vae, train, split.validation(), epochs, schedule);
            EvaluationResult test = trainer.evaluate(vae, split.test());
            EvaluationResult validation = trainer.evaluate(vae, split.validation());
            PrintWriter o = spec.commandLine().getOut();
            o.printf(Locale.ROOT, "best epoch %d of %d (validation NDCG@100 %.4f)%n", result.bestEpoch(), epochs,
                    result.bestValidationNdcg());
            o.print("test:\n" + test.format().indent(2));
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("dataset", split.train().source());
            meta.put(SavedModels.DATA, data);
            meta.put(SavedModels.SPLIT_SEED, Long.toString(common.seed));
            meta.put(SavedModels.VALIDATION_USERS, Integer.toString(split.validation().users().size()));
            meta.put(SavedModels.TEST_USERS, Integer.toString(split.test().users().size()));
            meta.put(SavedModels.SPLIT_FINGERPRINT, fingerprint);
            meta.put("betaSchedule", schedule.describe());
            meta.put("bestEpoch", Integer.toString(result.bestEpoch()));
            ModelFile.save(vae, split.items(), meta, out.resolve(MODEL_FILE), force);
            writeHistory(result);
            writeMetrics(config, schedule, split, fingerprint, kernels, result, test, validation);
            o.println("wrote " + out.resolve(METRICS_FILE) + ", " + out.resolve("history.csv") + " and " + out.resolve(MODEL_FILE));
        }
        return 0;
    }

    /** Rejects a bad {@code --lambda} grid or {@code --lambda-edge-steps} as a usage error, before any work. */
    static void checkLambdaSearch(CommandSpec spec, double[] lambdas, int edgeSteps) {
        try {
            Ease.checkLambdaSearch(lambdas, edgeSteps);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--lambda, --lambda-edge-steps: " + e.getMessage());
        }
    }

    /** Checks the dataset name and {@code --out}, applies the common options, then loads and splits the data. */
    private DataSplit loadSplit() throws IOException {
        DataCommand.checkNames(spec, List.of(data));
        prepareOut();
        common.apply();
        Interactions positives = DataCommand.load(spec, data, common.dataDir());
        return DataCommand.split(spec, positives, splitOptions.config(common.seed));
    }

    /** EASE: fit for every {@code --lambda} on the training users, keep the best by validation NDCG@100, report test. */
    private int trainEase() throws IOException {
        if (beta != null || annealSteps != null || annealCycles != null) {
            throw new ParameterException(spec.commandLine(), "ease has no KL term: --beta and --anneal-* do not apply");
        }
        checkLambdaSearch(spec, lambdas, edgeSteps);
        PrintWriter err = spec.commandLine().getErr();
        DataSplit split = loadSplit();
        String fingerprint = fingerprint(split, out.resolve(SPLIT_CHECKSUMS_FILE));
        Kernels kernels = Kernels.get();
        long start = System.nanoTime();
        Ease.Selection selection;
        try {
            selection = Ease.fitAndSelect(split, lambdas, edgeSteps, kernels, err::println);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        try (Ease ease = selection.model()) {
            EvaluationResult test = ease.evaluate(split.test());
            EvaluationResult validation = ease.evaluate(split.validation());
            PrintWriter o = spec.commandLine().getOut();
            o.printf(Locale.ROOT, "lambda %s chosen (validation NDCG@100 %.4f)%n", Ease.formatLambda(selection.lambda()), selection.validationNdcg());
            o.print("test:\n" + test.format().indent(2));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model", "ease");
            m.put("dataset", split.train().source());
            m.put("split", splitSummary(split, fingerprint));
            m.put("lambda", selection.lambda());
            List<Map<String, Object>> candidates = new ArrayList<>();
            for (Ease.Candidate c : selection.candidates()) {
                // ordered: Map.of iterates in a per-JVM random order, so metrics.json changed from run to run
                Map<String, Object> candidate = new LinkedHashMap<>();
                candidate.put("lambda", c.lambda());
                candidate.put("validationNdcg100", c.validationNdcg());
                candidates.add(candidate);
            }
            m.put("candidates", candidates);
            m.put("lambdaAtEdge", selection.atEdge());
            m.put("test", metrics(test));
            m.put("validation", metrics(validation));
            m.put("fit", ease.report().format());
            m.put("trainSeconds", (System.nanoTime() - start) / 1e9);
            m.put("dense", kernels.denseImplementationName());
            m.put("threads", kernels.threads());
            m.put("date", Instant.now().toString());
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve(METRICS_FILE).toFile(), m);
            o.println("wrote " + out.resolve(METRICS_FILE));
        }
        return 0;
    }

    private Map<String, Object> splitSummary(DataSplit split, String fingerprint) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("seed", common.seed);
        s.put("trainUsers", split.train().numUsers());
        s.put("items", split.train().numItems());
        s.put("validationUsers", split.validation().evaluatedUsers());
        s.put("testUsers", split.test().evaluatedUsers());
        s.put("fingerprint", fingerprint);
        return s;
    }

    private ModelConfig modelConfig() {
        ModelConfig base = switch (model.toLowerCase(Locale.ROOT)) {
            case "multvae" -> ModelConfig.multVae(common.seed);
            case "multdae" -> ModelConfig.multDae(common.seed);
            default -> throw new ParameterException(spec.commandLine(), "--model: unknown model '" + model
                    + "'; expected multvae, multdae or ease");
        };
        try {
            // the DAE's weight decay is 0.01 per batch of users (Liang et al.), so it follows --batch-size
            double weightDecay = base.weightDecay() * base.batchSize() / batchSize;
            return new ModelConfig(base.kind(), base.encoderHidden(), base.latent(), base.dropout(), learningRate, batchSize,
                    weightDecay, base.seed());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private BetaSchedule betaSchedule(ModelConfig config) {
        int given = (beta != null ? 1 : 0) + (annealSteps != null ? 1 : 0) + (annealCycles != null ? 1 : 0);
        if (given > 1) {
            throw new ParameterException(spec.commandLine(), "choose one of --beta, --anneal-steps and --anneal-cycles");
        }
        if (config.kind() == ModelConfig.Kind.DAE) {
            if (given > 0) {
                throw new ParameterException(spec.commandLine(), "multdae has no KL term: --beta and --anneal-* do not apply");
            }
            return BetaSchedule.constant(0);
        }
        try {
            if (beta != null) {
                return BetaSchedule.constant(beta);
            }
            if (annealSteps != null) {
                return BetaSchedule.linearBySteps(annealSteps, annealCap);
            }
            if (annealCycles != null) {
                return BetaSchedule.cyclical(annealCycles, 0.5, annealCap);
            }
            return BetaSchedule.linearByFraction(annealFraction, annealCap);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** {@code --out} must not already hold this command's files unless {@code --force}; created before the load. */
    private void prepareOut() throws IOException {
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new ParameterException(spec.commandLine(), "--out " + out + " exists and is not a directory");
        }
        for (String name : List.of(METRICS_FILE, MODEL_FILE, "history.csv", SPLIT_CHECKSUMS_FILE)) {
            if (!force && Files.exists(out.resolve(name))) {
                throw new ParameterException(spec.commandLine(), "--out " + out + " already holds " + name
                        + " from an earlier run; choose another directory or pass --force to replace it");
            }
        }
        Files.createDirectories(out);
    }

    /** The split's fingerprint ({@link DataSplit#export}), computed in a temporary directory that is then deleted. */
    static String fingerprint(DataSplit split) throws IOException {
        return fingerprint(split, null);
    }

    /** As {@link #fingerprint(DataSplit)}, keeping a copy of the split's checksum file as {@code keepChecksums} if not null. */
    static String fingerprint(DataSplit split, Path keepChecksums) throws IOException {
        Path tmp = Files.createTempDirectory("sparsecf-split");
        try {
            String fingerprint = split.export(tmp);
            if (keepChecksums != null) {
                Files.copy(tmp.resolve(DataSplit.CHECKSUM_FILE), keepChecksums, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
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

    private void writeHistory(VaeTrainer.Result result) throws IOException {
        Files.writeString(out.resolve("history.csv"), historyCsv(result));
    }

    /** The per-epoch history as CSV: epoch, NLL, KL, mean beta, seconds and validation NDCG@100. */
    static String historyCsv(VaeTrainer.Result result) {
        StringBuilder csv = new StringBuilder("epoch,nll,kl,beta,seconds,validation_ndcg100\n");
        for (VaeTrainer.EpochReport r : result.history()) {
            csv.append(String.format(Locale.ROOT, "%d,%.6f,%.6f,%.6f,%.3f,%.6f%n", r.epoch(), r.negLogLikelihood(), r.kl(),
                    r.beta(), r.seconds(), r.validationNdcg()));
        }
        return csv.toString();
    }

    private void writeMetrics(ModelConfig config, BetaSchedule schedule, DataSplit split, String fingerprint, Kernels kernels,
                              VaeTrainer.Result result, EvaluationResult test, EvaluationResult validation) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", model.toLowerCase(Locale.ROOT));
        m.put("dataset", split.train().source());
        m.put("split", splitSummary(split, fingerprint));
        m.put("config", config.toString());
        m.put("betaSchedule", schedule.describe());
        m.put("epochs", epochs);
        m.put("bestEpoch", result.bestEpoch());
        m.put("test", metrics(test));
        m.put("validation", metrics(validation));
        m.put("trainSeconds", result.trainSeconds());
        m.put("kernels", kernels.implementationName());
        m.put("dense", kernels.denseImplementationName());
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
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve(METRICS_FILE).toFile(), m);
    }

    /** Mean and standard error of every metric and cut-off. */
    static Map<String, Object> metrics(EvaluationResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("users", r.users());
        for (Metric metric : Metric.values()) {
            for (int k : r.ks()) {
                Map<String, Object> v = new LinkedHashMap<>();
                v.put("mean", r.mean(metric, k));
                v.put("stderr", r.standardError(metric, k));
                m.put(metric.at(k), v);
            }
        }
        return m;
    }
}
