package dev.sparsecf.cli;

import dev.sparsecf.render.Progress;
import dev.sparsecf.run.DataSteps;
import dev.sparsecf.run.RunInput;
import dev.sparsecf.run.RunLock;
import dev.sparsecf.run.SplitSource;
import dev.sparsecf.run.UsageException;
import dev.sparsecf.run.TrainingRun;

import dev.sparsecf.kernels.Bf16Kernels;
import dev.sparsecf.kernels.Kernels;
import dev.sparsecf.data.DataSplit;
import dev.sparsecf.data.FileOptions;
import dev.sparsecf.models.BetaPolicy;
import dev.sparsecf.models.BetaSchedule;
import dev.sparsecf.models.ModelConfig;
import dev.sparsecf.models.TrainingCheckpoint;
import dev.sparsecf.models.ease.LambdaSearch;
import dev.sparsecf.models.ease.Lambdas;
import dev.sparsecf.models.ease.Selection;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code sparsecf train}: splits a dataset by Liang et al.'s protocol, trains a model, selects the epoch by
 * validation NDCG@100, and writes the test metrics ({@value TrainingRun#METRICS_FILE}), the per-epoch history and the
 * model to {@code --out}.
 */
@Command(name = "train",
        description = {"Train Mult-VAE, Mult-DAE or EASE on a dataset's Liang et al. split and report test metrics.",
                "Default beta schedule (multvae): linear anneal to --anneal-cap 0.2, reached at 80%% of the updates."})
public final class TrainCommand extends DataInputCommand implements Callable<Integer> {

    @Mixin
    SplitOptions splitOptions;

    @Mixin
    SplitSourceOptions splitSource;

    @Option(names = "--model", required = true, paramLabel = "multvae|multdae|ease",
            description = "The model: multvae (Liang et al.'s [I-600-200-600-I]), multdae ([I-200-I]) or ease (Steck 2019).")
    String model;

    @Option(names = "--lambda", split = ",", paramLabel = "L[,L...]",
            defaultValue = "100,200,300,500,700,1000,2000",
            description = "ease: L2 weights to try; the best by validation NDCG@100 is kept (default ${DEFAULT-VALUE}).")
    double[] lambdas;

    @Option(names = "--lambda-edge-steps", defaultValue = "" + LambdaSearch.DEFAULT_EDGE_STEPS, paramLabel = "N",
            description = "ease: when the best lambda is the smallest or largest tried, try up to N more past it, each by "
                    + "the ratio of the grid's two outermost values there, while they improve; 0: the grid only (default ${DEFAULT-VALUE}).")
    int edgeSteps;

    @Mixin
    NeighboursOption neighbours;

    @Option(names = "--data", paramLabel = "NAME|FILE", completionCandidates = DataCommand.Names.class,
            description = "The dataset: ${COMPLETION-CANDIDATES}, or an interaction file (see --sep and the file options); "
                    + "or give --split DIR, or --train FILE --test FILE, instead.")
    String data;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Directory for metrics.json, history.csv, the model and, while training, checkpoint.sparsecf; "
                    + "must not already hold them unless --force or --resume. One run at a time writes to it.")
    Path out;

    @Option(names = "--force", description = "Delete every file of an earlier run in --out (results, model, checkpoint), then train.")
    boolean force;

    @Option(names = "--resume", description = "multvae, multdae: continue the stopped run in --out from its last finished epoch "
            + "(give the same options as the first time); it ends as an uninterrupted run would.")
    boolean resume;

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

    @Option(names = "--precision", defaultValue = "float32", paramLabel = "float32|bf16",
            description = "multvae, multdae: float32 (default), or bf16: the output layer's three products with bf16 "
                    + "operands and float32 accumulation (oneDNN's matmul; needs a CPU with AVX-512 BF16 or AMX): "
                    + "about 1.5x per epoch at the ML-20M shape; results differ from float32's in the third or fourth digit.")
    String precision;

    /** Options that have defaults but do nothing for EASE, so that giving one is a mistake to report. */
    private static final List<String> EASE_IGNORES = List.of("--epochs", "--batch-size", "--lr", "--resume", "--beta",
            "--anneal-cap", "--anneal-fraction", "--anneal-steps", "--anneal-cycles", "--precision");

    @Override
    public Integer call() throws IOException {
        boolean ease = model.equalsIgnoreCase("ease");
        ModelConfig config = null;
        BetaSchedule schedule = null;
        boolean bf16 = false;
        if (ease) {
            CommonOptions.rejectGiven(spec, "ease", EASE_IGNORES);
            checkLambdaSearch(spec, lambdas, edgeSteps);
            neighbours.k(spec);
        } else {
            config = modelConfig();
            CommonOptions.rejectGiven(spec, config.kind() == ModelConfig.Kind.DAE ? "multdae" : "multvae",
                    List.of("--lambda", "--lambda-edge-steps", "--neighbors"));
            schedule = betaSchedule(config);
            bf16 = bf16(config);
            if (epochs < 1) {
                throw new ParameterException(spec.commandLine(), "--epochs must be >= 1, got " + epochs);
            }
            if (force && resume) {
                throw new ParameterException(spec.commandLine(), "--force starts over and --resume continues: choose one");
            }
        }
        FileOptions fileOptions = fileFormat.options();
        SplitSource source = splitSource.source(data, fileOptions);
        if (source instanceof SplitSource.Dataset) {
            DataSteps.checkSpecs(List.of(data), fileOptions);
        } else if (splitOptions.given()) {
            throw new ParameterException(spec.commandLine(), "--validation-users and --test-users size the split of a --data;"
                    + " --split and --train bring their own");
        }
        TrainingRun.checkOut(out, force, resume);
        common.apply();
        // read before --out is touched, so a bad file leaves nothing behind
        RunInput input = RunInput.read(spec.commandLine().getErr(), source, common.dataDir(), fileOptions, common.seed);
        try (RunLock lock = TrainingRun.prepareOut(out, force, resume)) {
            return ease ? trainEase(input) : trainAutoencoder(input, config, schedule, bf16);
        }
    }

    /** Mult-VAE or Mult-DAE: train with a checkpoint per epoch in {@code --out}, keep the best epoch, report test. */
    private int trainAutoencoder(RunInput input, ModelConfig config, BetaSchedule schedule, boolean bf16) throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        TrainingRun run = prepareRun(input);
        if (bf16) {
            run.withBf16OutputLayer(bf16Kernels(run.kernels()));
        }
        Kernels kernels = run.kernels();
        DataSplit split = run.split();
        TrainingCheckpoint checkpoint = run.checkpoint(out, config, schedule.describe(), epochs);
        err.printf(Locale.ROOT, "%s %s on %s: %,d users x %,d items, %d epochs, beta %s, kernels %s, dense %s, %s, %d threads%n",
                resume ? "resuming" : "training", model, split.train().source(), split.train().numUsers(), split.train().numItems(),
                epochs, schedule.describe(), kernels.implementationName(), kernels.denseImplementationName(), run.precision(),
                kernels.threads());
        // on a terminal, a bar redrawn in place shows the batches of a long epoch; logs get the epoch lines only
        boolean terminal = System.console() != null;
        try (TrainingRun.Autoencoder trained = run.autoencoder(config, clicks -> BetaPolicy.global(schedule), epochs, 0,
                r -> err.printf(Locale.ROOT,
                        "%sepoch %3d/%d  nll %9.3f  kl %8.3f  beta %.4f  %6.2f s  val NDCG@100 %.4f  (best %.4f @ %d)  ETA %s%n",
                        terminal ? "\r\033[K" : "", r.epoch(), r.epochs(), r.negLogLikelihood(), r.kl(), r.beta(), r.seconds(),
                        r.validationNdcg(), r.bestNdcg(), r.bestEpoch(), Progress.duration(r.etaSeconds())),
                (epoch, batch, batches, seconds) -> {
                    if (terminal) {
                        err.print(Progress.bar("epoch " + epoch + "/" + epochs, batch, batches, seconds));
                        err.flush();
                    }
                }, checkpoint)) {
            PrintWriter o = spec.commandLine().getOut();
            o.printf(Locale.ROOT, "best epoch %d of %d (validation NDCG@100 %.4f)%n", trained.result().bestEpoch(), epochs,
                    trained.result().bestValidationNdcg());
            o.print("test:\n" + RunInput.format(split, trained.test()).indent(2));
            trained.write(out, force || resume, model.toLowerCase(Locale.ROOT), schedule.describe());
            o.println("wrote " + out.resolve(TrainingRun.METRICS_FILE) + ", " + out.resolve(TrainingRun.HISTORY_FILE) + " and "
                    + out.resolve(TrainingRun.MODEL_FILE));
        } catch (TrainingCheckpoint.SettingsMismatch e) {
            throw new UsageException("--resume: " + e.getMessage() + "; resume with the first run's options or pass --force");
        }
        return 0;
    }

    /** Whether {@code --precision} asks for bf16; an unknown value is a usage error. */
    private boolean bf16(ModelConfig config) {
        return switch (precision.trim().toLowerCase(Locale.ROOT)) {
            case "float32" -> false;
            case "bf16" -> true;
            default -> throw new ParameterException(spec.commandLine(), "--precision: unknown value '" + precision + "' for "
                    + (config.kind() == ModelConfig.Kind.DAE ? "multdae" : "multvae") + "; expected float32 or bf16");
        };
    }

    /** The bf16 products beside {@code kernels}; fails at start-up naming the reason and the fix, never falls back. */
    private static Bf16Kernels bf16Kernels(Kernels kernels) {
        try {
            return Bf16Kernels.load(kernels);
        } catch (IllegalStateException e) {
            throw new UsageException("--precision bf16: " + e.getMessage() + "; or train with --precision float32");
        }
    }

    /** Rejects a bad {@code --lambda} grid or {@code --lambda-edge-steps} as a usage error, before any work. */
    static void checkLambdaSearch(CommandSpec spec, double[] lambdas, int edgeSteps) {
        try {
            LambdaSearch.check(lambdas, edgeSteps);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--lambda, --lambda-edge-steps: " + e.getMessage());
        }
    }

    /** Splits the loaded positives (unless the input is a split) and keeps the split's checksums in {@code --out}. */
    private TrainingRun prepareRun(RunInput input) throws IOException {
        DataSplit split = input.split(spec.commandLine().getErr(), splitOptions.config(common.seed));
        String fingerprint = DataSteps.fingerprint(split, out.resolve(TrainingRun.SPLIT_CHECKSUMS_FILE));
        spec.commandLine().getErr().println("split fingerprint: " + fingerprint);
        return new TrainingRun(input.source(), common.seed, split, fingerprint, Kernels.get());
    }

    /** EASE: fit for every {@code --lambda} on the training users, keep the best by validation NDCG@100, report test. */
    private int trainEase(RunInput input) throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        TrainingRun run = prepareRun(input);
        TrainingRun.EaseFit fit;
        try {
            fit = run.ease(lambdas, edgeSteps, neighbours.k(spec), err::println);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        try (fit) {
            PrintWriter o = spec.commandLine().getOut();
            Selection selection = fit.selection();
            o.printf(Locale.ROOT, "lambda %s chosen (validation NDCG@100 %.4f)%n", Lambdas.format(selection.lambda()),
                    selection.validationNdcg());
            o.print("test:\n" + RunInput.format(run.split(), fit.test()).indent(2));
            fit.write(out, force);
            o.println("wrote " + out.resolve(TrainingRun.METRICS_FILE) + " and " + out.resolve(TrainingRun.MODEL_FILE));
        }
        return 0;
    }

    private ModelConfig modelConfig() {
        ModelConfig base = switch (model.toLowerCase(Locale.ROOT)) {
            case "multvae" -> ModelConfig.multVae(common.seed);
            case "multdae" -> ModelConfig.multDae(common.seed);
            default -> throw new ParameterException(spec.commandLine(), "--model: unknown model '" + model
                    + "'; expected multvae, multdae or ease");
        };
        try {
            return TrainingRun.autoencoderConfig(base, learningRate, batchSize);
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
            CommonOptions.rejectGiven(spec, "multdae, which has no KL term", List.of("--beta", "--anneal-cap", "--anneal-fraction",
                    "--anneal-steps", "--anneal-cycles"));
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
}
