package dev.sparsecf.models;

import dev.sparsecf.data.DataSplit;
import dev.sparsecf.eval.EvaluationResult;
import dev.sparsecf.eval.Metric;
import dev.sparsecf.eval.RankingEvaluator;
import dev.sparsecf.kernels.CsrMatrix;
import dev.sparsecf.kernels.DenseMatrix;
import dev.sparsecf.kernels.Kernels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * Trains a {@link MultVae} by Liang et al.'s protocol: shuffled training users in batches, per-user beta from a
 * {@link BetaPolicy} (or one {@link BetaSchedule}), validation NDCG@100 after every epoch, optional early
 * stopping, and the best epoch's weights kept.
 */
public final class VaeTrainer {

    /** The metric that selects the best epoch. */
    public static final int SELECTION_K = 100;

    private final Kernels kernels;
    private final Consumer<EpochReport> onEpoch;
    private final BatchListener onBatch;

    /** What one epoch did; handed to the progress callback. {@code beta} is the mean row beta of the epoch. */
    public record EpochReport(int epoch, int epochs, double negLogLikelihood, double kl, double beta, double seconds,
                              double validationNdcg, int bestEpoch, double bestNdcg, double etaSeconds) {
    }

    /**
     * The outcome of a run: the per-epoch history, the best epoch (whose weights the model now holds), the epochs
     * actually run (fewer than planned after an early stop) and the mean row beta over every update.
     */
    public record Result(List<EpochReport> history, int bestEpoch, double bestValidationNdcg, double trainSeconds,
                         int epochsRun, double meanBeta) {
    }

    /** Progress inside an epoch: called after each update. */
    @FunctionalInterface
    public interface BatchListener {
        /** Batch {@code batch} (1-based) of {@code batches} of epoch {@code epoch} is done, {@code epochSeconds} into the epoch. */
        void batchDone(int epoch, int batch, int batches, double epochSeconds);
    }

    public VaeTrainer(Kernels kernels, Consumer<EpochReport> onEpoch) {
        this(kernels, onEpoch, (epoch, batch, batches, seconds) -> { });
    }

    public VaeTrainer(Kernels kernels, Consumer<EpochReport> onEpoch, BatchListener onBatch) {
        this.kernels = kernels;
        this.onEpoch = onEpoch;
        this.onBatch = onBatch;
    }

    /**
     * Trains {@code model} on {@code train} (users x items, binary) for {@code epochs} epochs and leaves it
     * holding the weights of the epoch with the best validation NDCG@100.
     */
    public Result train(MultVae model, CsrMatrix train, DataSplit.HeldOut validation, int epochs, BetaSchedule schedule) {
        return train(model, train, validation, epochs, BetaPolicy.global(schedule), 0);
    }

    /**
     * Trains as {@link #train(MultVae, CsrMatrix, DataSplit.HeldOut, int, BetaSchedule)} with per-user betas from
     * {@code policy} (which observes every update's mean KL), stopping early once validation NDCG@100 has not
     * improved for {@code patience} epochs ({@code patience <= 0}: never).
     */
    public Result train(MultVae model, CsrMatrix train, DataSplit.HeldOut validation, int epochs, BetaPolicy policy,
                        int patience) {
        return train(model, train, validation, epochs, policy, patience, null);
    }

    /**
     * Trains as {@link #train(MultVae, CsrMatrix, DataSplit.HeldOut, int, BetaPolicy, int)}, saving the state to
     * {@code checkpoint} (if not null) after every epoch, and first continuing from it if it exists: the run then
     * ends as an uninterrupted one would, bit for bit with the same kernels; the checkpoint keeps {@code policy}'s
     * state ({@link BetaPolicy#state()}) too.
     *
     * @throws IllegalStateException if no epoch had a validation NDCG@100 to select it by (no validation users)
     */
    public Result train(MultVae model, CsrMatrix train, DataSplit.HeldOut validation, int epochs, BetaPolicy policy,
                        int patience, TrainingCheckpoint checkpoint) {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }
        if (train.cols() != model.items()) {
            throw new IllegalArgumentException("training data has " + train.cols() + " items, the model " + model.items());
        }
        if (train.rows() == 0) {
            throw new IllegalArgumentException("training data has no users");
        }
        ModelConfig config = model.config();
        int users = train.rows();
        int batch = config.batchSize();
        int batches = (users + batch - 1) / batch;
        long totalSteps = (long) batches * epochs;
        int[] order = new int[users];
        for (int u = 0; u < users; u++) {
            order[u] = u;
        }
        int[] rowClicks = new int[batch];
        float[] rowBeta = new float[batch];
        List<DenseMatrix> best = snapshotOf(model.parameters());
        List<EpochReport> history = new ArrayList<>();
        int bestEpoch = 0;
        double bestNdcg = Double.NEGATIVE_INFINITY;
        long step = 0;
        double betaSumAll = 0;
        int epoch = 0;
        long draws = 0;
        double earlierSeconds = 0; // the seconds of a resumed run's epochs before the checkpoint
        long start = System.nanoTime();
        try {
            if (checkpoint != null && checkpoint.exists()) {
                TrainingCheckpoint.Progress p = checkpoint.restore(model, best);
                if (p.order().length != users) {
                    throw new IllegalArgumentException("checkpoint " + checkpoint.file() + " holds " + p.order().length
                            + " training users, the data " + users);
                }
                epoch = p.epoch();
                draws = p.draws();
                System.arraycopy(p.order(), 0, order, 0, users);
                bestEpoch = p.bestEpoch();
                bestNdcg = p.bestNdcg();
                betaSumAll = p.betaSum();
                earlierSeconds = p.seconds();
                history.addAll(p.history());
                policy.restore(p.policyState());
                step = (long) batches * epoch;
            }
            TrainingRandom rng = new TrainingRandom(config.seed() ^ 0x5DEECE66DL, draws);
            boolean stop = epoch == epochs || (patience > 0 && epoch > 0 && epoch - bestEpoch >= patience);
            while (!stop) {
                epoch++;
                long epochStart = System.nanoTime();
                shuffle(order, rng);
                double nllSum = 0;
                double klSum = 0;
                double betaSum = 0;
                for (int from = 0, done = 0; from < users; from += batch) {
                    int to = Math.min(users, from + batch);
                    int m = to - from;
                    for (int r = 0; r < m; r++) {
                        rowClicks[r] = train.rowNnz(order[from + r]);
                    }
                    policy.rowBetas(step, totalSteps, rowClicks, m, rowBeta);
                    try (Batches.Batch b = Batches.gather(train, order, from, to, config.dropout(), rng)) {
                        MultVae.StepLoss loss = model.trainStep(b.input(), b.rowScale(), b.targets(), rowBeta, rng);
                        if (!Double.isFinite(loss.negLogLikelihood()) || !Double.isFinite(loss.kl())) {
                            throw new IllegalStateException("training diverged at epoch " + epoch + ", update " + model.updates()
                                    + ": loss is " + loss.negLogLikelihood() + " (KL " + loss.kl() + "); lower the learning rate");
                        }
                        policy.observe(loss.kl());
                        nllSum += loss.negLogLikelihood() * m;
                        klSum += loss.kl() * m;
                        betaSum += loss.beta() * m;
                    }
                    step++;
                    onBatch.batchDone(epoch, ++done, batches, (System.nanoTime() - epochStart) / 1e9);
                }
                betaSumAll += betaSum;
                double ndcg = evaluate(model, validation).mean(Metric.NDCG, SELECTION_K);
                if (ndcg > bestNdcg) {
                    bestNdcg = ndcg;
                    bestEpoch = epoch;
                    copy(model.parameters(), best);
                }
                double seconds = (System.nanoTime() - epochStart) / 1e9;
                double elapsed = earlierSeconds + (System.nanoTime() - start) / 1e9;
                stop = epoch == epochs || (patience > 0 && epoch - bestEpoch >= patience);
                // planned epochs left: an early stop can only cut the real remainder short
                double eta = stop ? 0 : elapsed / epoch * (epochs - epoch);
                EpochReport report = new EpochReport(epoch, epochs, nllSum / users, klSum / users, betaSum / users, seconds,
                        ndcg, bestEpoch, bestNdcg, eta);
                history.add(report);
                if (checkpoint != null && checkpoint.due()) {
                    checkpoint.save(model, best, new TrainingCheckpoint.Progress(epoch, rng.draws(), order, bestEpoch,
                            bestNdcg, betaSumAll, elapsed, history, policy.state()));
                }
                onEpoch.accept(report);
            }
            if (bestEpoch == 0) {
                // the snapshot taken before epoch 1 holds the random initial weights: never hand them out as trained
                throw new IllegalStateException("validation NDCG@100 was not a number in any of " + epoch
                        + " epochs (no validation users?), so no epoch can be selected");
            }
            copy(best, model.parameters());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            best.forEach(DenseMatrix::close);
        }
        return new Result(history, bestEpoch, bestNdcg, earlierSeconds + (System.nanoTime() - start) / 1e9, epoch,
                betaSumAll / ((double) users * epoch));
    }

    /** Recall@20/50 and NDCG@100 (and the other default cut-offs) of {@code model} on a held-out set. */
    public EvaluationResult evaluate(MultVae model, DataSplit.HeldOut heldOut) {
        return evaluate(kernels, (input, rowScale) -> model.score(input, rowScale), model.config().batchSize(), heldOut);
    }

    /** Scores a batch of fold-in rows: returns a (rows x items) score matrix valid until the next call. */
    @FunctionalInterface
    public interface Scorer {
        DenseMatrix score(CsrMatrix foldIn, float[] rowScale);
    }

    /**
     * Ranks every held-out user's items with {@code scorer} (fold-in rows in), in batches, leaving out the excluded
     * items (the fold-in items, or more: {@link DataSplit.HeldOut#exclude()}), and scores the rankings.
     */
    public static EvaluationResult evaluate(Kernels kernels, Scorer scorer, int batchSize, DataSplit.HeldOut heldOut) {
        RankingEvaluator evaluator = new RankingEvaluator(heldOut);
        boolean foldInOnly = heldOut.exclude() == heldOut.foldIn();
        try (CsrMatrix foldIn = heldOut.foldIn().toCsr(); CsrMatrix exclude = foldInOnly ? null : heldOut.exclude().toCsr()) {
            int n = foldIn.rows();
            int[] rows = new int[n];
            for (int u = 0; u < n; u++) {
                rows[u] = u;
            }
            for (int from = 0; from < n; from += batchSize) {
                int to = Math.min(n, from + batchSize);
                try (Batches.Batch b = Batches.gather(foldIn, rows, from, to, 0, null)) {
                    evaluator.addScores(kernels, scorer.score(b.input(), b.rowScale()), foldInOnly ? b.input() : exclude.rows(from, to), from);
                }
            }
        }
        return evaluator.result();
    }

    private static void shuffle(int[] a, RandomGenerator rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private static List<DenseMatrix> snapshotOf(List<DenseMatrix> params) {
        List<DenseMatrix> copies = new ArrayList<>();
        for (DenseMatrix p : params) {
            DenseMatrix c = DenseMatrix.allocate(p.rows(), p.cols());
            c.copyFrom(p);
            copies.add(c);
        }
        return copies;
    }

    private static void copy(List<DenseMatrix> from, List<DenseMatrix> to) {
        for (int t = 0; t < from.size(); t++) {
            to.get(t).copyFrom(from.get(t));
        }
    }
}
