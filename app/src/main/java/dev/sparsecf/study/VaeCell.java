package dev.sparsecf.study;

import dev.sparsecf.render.Progress;
import dev.sparsecf.run.RunLock;
import dev.sparsecf.run.TrainingRun;

import dev.sparsecf.kernels.CsrMatrix;
import dev.sparsecf.models.BetaPolicy;
import dev.sparsecf.models.BetaSchedule;
import dev.sparsecf.models.LatentStats;
import dev.sparsecf.models.ModelConfig;
import dev.sparsecf.models.TrainingCheckpoint;
import dev.sparsecf.models.VaeTrainer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/** A Mult-VAE or Mult-DAE cell: trains, evaluates on the test users, and writes its per-user, latent and history files. */
final class VaeCell {

    private VaeCell() {
    }

    /** Saved at most this often: a small dataset's epoch takes a second, its state (weights, Adam, best) longer to write. */
    static final Duration CHECKPOINT_INTERVAL = Duration.ofMinutes(2);
    /** The longest silence between two epoch lines of a cell. */
    private static final Duration PROGRESS_INTERVAL = Duration.ofMinutes(5);

    /**
     * Runs variant {@code v} for {@code epochs} (early stop after {@code patience}) on {@code run}'s split, continuing
     * from the cell's checkpoint if a stopped run left one (the beta policy's state included); progress on
     * {@code err}.
     */
    static StudyCells.Cell run(TrainingRun run, StudyPlan p, StudyVariant v, long seed, int epochs, int patience,
                               PrintWriter err) throws IOException {
        boolean vae = v.family().isVae();
        ModelConfig config = vae ? ModelConfig.multVae(seed) : ModelConfig.multDae(seed);
        Path dir = p.store.running(v, seed);
        TrainingCheckpoint checkpoint = run.checkpoint(dir, config, v.id(), epochs).every(CHECKPOINT_INTERVAL);
        if (checkpoint.exists()) {
            err.printf(Locale.ROOT, "    continuing from %s%n", checkpoint.file());
        }
        Files.createDirectories(dir);
        StudyCells.Cell cell;
        try {
            cell = train(run, p, v, seed, config, epochs, patience, checkpoint, err);
        } catch (TrainingCheckpoint.SettingsMismatch e) {
            // the protocol changed since (--redo): the checkpoint is the study's own scratch state, not a result
            err.printf(Locale.ROOT, "    starting over: %s%n", e.getMessage());
            Files.delete(checkpoint.file());
            cell = train(run, p, v, seed, config, epochs, patience, checkpoint, err);
        }
        CellStore.deleteFilesBesideClaim(dir); // the checkpoint, and a temporary file a kill -9 left
        if (!Files.exists(dir.resolve(RunLock.FILE))) {
            Files.delete(dir); // under a claim the runner removes the folder once the row is saved
        }
        return cell;
    }

    private static StudyCells.Cell train(TrainingRun run, StudyPlan p, StudyVariant v, long seed, ModelConfig config,
                                         int epochs, int patience, TrainingCheckpoint checkpoint, PrintWriter err)
            throws IOException {
        boolean vae = v.family().isVae();
        int every = Math.max(1, epochs / 6);
        long[] printedAt = {System.nanoTime()};
        try (TrainingRun.Autoencoder trained = run.autoencoder(config,
                clicks -> vae ? v.policy(clicks) : BetaPolicy.global(BetaSchedule.constant(0)), epochs, patience, r -> {
                    // six lines a cell, and one at least every few minutes where epochs are long (Amazon-Book)
                    if (r.epoch() % every == 0 || System.nanoTime() - printedAt[0] >= PROGRESS_INTERVAL.toNanos()) {
                        err.printf(Locale.ROOT, "    epoch %3d/%d  nll %8.2f  kl %7.2f  beta %.4f  val NDCG@100 %.4f (best %.4f @ %d)"
                                        + "  ETA %s%n", r.epoch(), r.epochs(), r.negLogLikelihood(), r.kl(), r.beta(),
                                r.validationNdcg(), r.bestNdcg(), r.bestEpoch(), Progress.duration(r.etaSeconds()));
                        err.flush();
                        printedAt[0] = System.nanoTime();
                    }
                }, (epoch, batch, batches, seconds) -> { }, checkpoint);
             CsrMatrix testFoldIn = run.split().test().foldIn().toCsr()) {
            VaeTrainer.Result result = trained.result();
            LatentStats latent = vae ? LatentStats.of(trained.model(), testFoldIn) : null;
            p.store.writeUsers(v.id(), seed, run.split().test(), trained.test(), latent);
            if (latent != null) {
                p.store.writeLatent(v.id(), seed, latent);
            }
            p.store.writeHistory(v.id(), seed, TrainingRun.historyCsv(result));
            return p.cell(v, seed, run.fingerprint(), trained.test()).epochs(result.epochsRun()).bestEpoch(result.bestEpoch())
                    .trainSeconds(result.trainSeconds()).activeUnits(latent == null ? null : latent.activeUnits())
                    .klMean(latent == null ? null : mean(latent.userKl())).meanBeta(vae ? result.meanBeta() : null)
                    .validationNdcg(result.bestValidationNdcg()).build();
        }
    }

    private static double mean(double[] values) {
        double s = 0;
        for (double x : values) {
            s += x;
        }
        return values.length == 0 ? Double.NaN : s / values.length;
    }
}
