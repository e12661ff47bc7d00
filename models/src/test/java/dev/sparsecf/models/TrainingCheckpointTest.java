package dev.sparsecf.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsecf.data.DataSplit;
import dev.sparsecf.data.Interactions;
import dev.sparsecf.data.SplitConfig;
import dev.sparsecf.kernels.CsrMatrix;
import dev.sparsecf.kernels.DenseMatrix;
import dev.sparsecf.kernels.Kernels;
import dev.sparsecf.kernels.synthetic.SyntheticClicks;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.zip.CRC32;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A training run stopped after an epoch and continued from its checkpoint ends bit for bit as an uninterrupted one
 * (scalar kernels); the random stream it rests on is SplittableRandom's, value for value, and can skip ahead.
 */
class TrainingCheckpointTest {

    private static final Map<String, String> SETTINGS = Map.of("epochs", "4");
    private static DataSplit split;

    @BeforeAll
    static void data() {
        try (CsrMatrix clicks = SyntheticClicks.generate(700, 200, 20, 3)) {
            split = DataSplit.create(Interactions.fromCsr("synthetic-test", clicks), SplitConfig.defaults(1).withHeldOutUsers(100, 100));
        }
    }

    /** A VAE with input dropout, so that every epoch draws shuffles, dropout masks and Gaussian noise. */
    private static ModelConfig vae() {
        return new ModelConfig(ModelConfig.Kind.VAE, new int[] {48}, 16, 0.5, 1e-3, 100, 0, 7);
    }

    @Test
    void trainingRandomIsSplittableRandomsStreamAndSkipsAhead() {
        SplittableRandom reference = new SplittableRandom(42);
        TrainingRandom counted = new TrainingRandom(42, 0);
        for (int t = 0; t < 1000; t++) {
            assertEquals(reference.nextInt(t + 1), counted.nextInt(t + 1), "nextInt(bound) draw " + t);
            assertEquals(reference.nextDouble(), counted.nextDouble(), "nextDouble draw " + t);
            assertEquals(reference.nextGaussian(), counted.nextGaussian(), "nextGaussian draw " + t);
        }
        TrainingRandom resumed = new TrainingRandom(42, counted.draws());
        assertTrue(counted.draws() > 3000, "nextGaussian and nextInt(bound) may draw more than once: " + counted.draws());
        for (int t = 0; t < 100; t++) {
            long expected = reference.nextLong();
            assertEquals(expected, counted.nextLong(), "continued draw " + t);
            assertEquals(expected, resumed.nextLong(), "skipped-ahead draw " + t);
        }
    }

    @Test
    void aRunStoppedAfterAnEpochAndResumedEndsBitIdentical(@TempDir Path dir) {
        assertResumesBitIdentical(dir, () -> BetaPolicy.global(BetaSchedule.linearByFraction(0.8, 0.2)));
    }

    /** The KL-target controller's integral and beta are in the checkpoint: a resumed run steers on as before. */
    @Test
    void aKlTargetRunResumesBitIdentical(@TempDir Path dir) {
        assertResumesBitIdentical(dir, () -> BetaPolicy.klTarget(20, 0.01, 0.002, 1));
    }

    /**
     * Trains four epochs three ways, each with a fresh policy from {@code policies}: uninterrupted, checkpointed
     * throughout, and stopped after epoch 2 then continued from the checkpoint; all three must agree bit for bit.
     */
    private static void assertResumesBitIdentical(Path dir, Supplier<BetaPolicy> policies) {
        Kernels kernels = Kernels.create("scalar", 1);
        TrainingCheckpoint checkpoint = new TrainingCheckpoint(dir.resolve("interrupted.ckpt"), SETTINGS);
        try (CsrMatrix train = split.train().toCsr();
             MultVae plain = new MultVae(vae(), train.cols(), kernels);
             MultVae checkpointed = new MultVae(vae(), train.cols(), kernels);
             MultVae stopped = new MultVae(vae(), train.cols(), kernels);
             MultVae resumed = new MultVae(vae(), train.cols(), kernels)) {
            VaeTrainer.Result expected = new VaeTrainer(kernels, e -> { }).train(plain, train, split.validation(), 4,
                    policies.get(), 0);
            VaeTrainer.Result withCheckpoints = new VaeTrainer(kernels, e -> { }).train(checkpointed, train, split.validation(), 4,
                    policies.get(), 0, new TrainingCheckpoint(dir.resolve("complete.ckpt"), SETTINGS));
            assertSameRun(expected, plain, withCheckpoints, checkpointed);

            RuntimeException stop = new RuntimeException("stopped after epoch 2");
            RuntimeException thrown = assertThrows(RuntimeException.class, () -> new VaeTrainer(kernels, e -> {
                if (e.epoch() == 2) {
                    throw stop;
                }
            }).train(stopped, train, split.validation(), 4, policies.get(), 0, checkpoint));
            assertSame(stop, thrown);
            assertTrue(checkpoint.exists(), "epochs 1 and 2 were checkpointed");
            List<Integer> epochsRun = new java.util.ArrayList<>();
            VaeTrainer.Result continued = new VaeTrainer(kernels, e -> epochsRun.add(e.epoch()))
                    .train(resumed, train, split.validation(), 4, policies.get(), 0, checkpoint);
            assertEquals(List.of(3, 4), epochsRun, "the resumed run starts after the checkpointed epoch");
            assertSameRun(expected, plain, continued, resumed);
        }
    }

    /**
     * A version-1 checkpoint (before the policy's state was kept: a version-2 file without its last section) is
     * still read, and the run it belongs to ends as an uninterrupted one.
     */
    @Test
    void aVersionOneCheckpointIsStillRead(@TempDir Path dir) throws IOException {
        Kernels kernels = Kernels.create("scalar", 1);
        TrainingCheckpoint checkpoint = new TrainingCheckpoint(dir.resolve("v1.ckpt"), SETTINGS);
        BetaPolicy policy = BetaPolicy.global(BetaSchedule.constant(0.2));
        try (CsrMatrix train = split.train().toCsr();
             MultVae plain = new MultVae(vae(), train.cols(), kernels);
             MultVae stopped = new MultVae(vae(), train.cols(), kernels);
             MultVae resumed = new MultVae(vae(), train.cols(), kernels)) {
            VaeTrainer.Result expected = new VaeTrainer(kernels, e -> { }).train(plain, train, split.validation(), 3, policy, 0);
            RuntimeException stop = new RuntimeException("stopped after epoch 1");
            assertSame(stop, assertThrows(RuntimeException.class, () -> new VaeTrainer(kernels, e -> {
                throw stop;
            }).train(stopped, train, split.validation(), 3, policy, 0, checkpoint)));
            byte[] v2 = Files.readAllBytes(checkpoint.file());
            // drop the CRC and the policy state's count (0: no values), mark version 1, append the body's new CRC
            byte[] body = Arrays.copyOf(v2, v2.length - Long.BYTES - Integer.BYTES);
            ByteBuffer.wrap(body).putInt(8, 1);
            CRC32 crc = new CRC32();
            crc.update(body);
            Files.write(checkpoint.file(), ByteBuffer.allocate(body.length + Long.BYTES).put(body).putLong(crc.getValue())
                    .array());
            VaeTrainer.Result continued = new VaeTrainer(kernels, e -> { })
                    .train(resumed, train, split.validation(), 3, policy, 0, checkpoint);
            assertSameRun(expected, plain, continued, resumed);
        }
    }

    /** With an interval, an epoch is saved only once that much time has passed since the last save. */
    @Test
    void anIntervalSkipsTheEpochsThatEndSooner(@TempDir Path dir) {
        Kernels kernels = Kernels.create("scalar", 1);
        TrainingCheckpoint daily = new TrainingCheckpoint(dir.resolve("daily.ckpt"), SETTINGS).every(Duration.ofDays(1));
        TrainingCheckpoint always = new TrainingCheckpoint(dir.resolve("always.ckpt"), SETTINGS).every(Duration.ZERO);
        RuntimeException stop = new RuntimeException("stopped after epoch 2");
        try (CsrMatrix train = split.train().toCsr(); MultVae model = new MultVae(vae(), train.cols(), kernels)) {
            BetaPolicy policy = BetaPolicy.global(BetaSchedule.constant(0.2));
            for (TrainingCheckpoint c : List.of(daily, always)) {
                assertSame(stop, assertThrows(RuntimeException.class, () -> new VaeTrainer(kernels, e -> {
                    if (e.epoch() == 2) {
                        throw stop;
                    }
                }).train(model, train, split.validation(), 4, policy, 0, c)));
            }
        }
        assertFalse(daily.exists(), "no epoch ended a day after the start");
        assertTrue(always.exists(), "every epoch was saved");
        assertThrows(IllegalArgumentException.class, () -> daily.every(Duration.ofSeconds(-1)));
    }

    /** A policy's state is restored only into a policy that keeps that much state. */
    @Test
    void aPolicyRefusesAStateOfAnotherShape() {
        BetaPolicy controller = BetaPolicy.klTarget(20, 0.01, 0.002, 1);
        controller.observe(40);
        double[] state = controller.state();
        assertEquals(2, state.length);
        BetaPolicy fresh = BetaPolicy.klTarget(20, 0.01, 0.002, 1);
        fresh.restore(state);
        assertArrayEquals(state, fresh.state());
        assertEquals(0, BetaPolicy.global(BetaSchedule.constant(0.2)).state().length);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BetaPolicy.global(BetaSchedule.constant(0.2)).restore(state));
        assertTrue(e.getMessage().contains("keeps no state, the checkpoint holds 2 values"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> fresh.restore(new double[0]));
        assertTrue(e.getMessage().contains("keeps 2 values (integral, beta), the checkpoint holds 0"), e.getMessage());
    }

    @Test
    void aCheckpointOfOtherSettingsIsRefusedByName(@TempDir Path dir) {
        Kernels kernels = Kernels.create("scalar", 1);
        Path file = dir.resolve("run.ckpt");
        try (CsrMatrix train = split.train().toCsr(); MultVae model = new MultVae(vae(), train.cols(), kernels)) {
            BetaPolicy policy = BetaPolicy.global(BetaSchedule.constant(0.2));
            new VaeTrainer(kernels, e -> { }).train(model, train, split.validation(), 1, policy, 0, new TrainingCheckpoint(file, SETTINGS));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new VaeTrainer(kernels, r -> { })
                    .train(model, train, split.validation(), 2, policy, 0, new TrainingCheckpoint(file, Map.of("epochs", "2"))));
            assertEquals("checkpoint " + file + " belongs to a run with epochs 4, this run has 2", e.getMessage());
        }
    }

    @Test
    void noValidationUsersIsAnErrorNotTheInitialWeights() {
        DataSplit noValidation;
        try (CsrMatrix clicks = SyntheticClicks.generate(300, 100, 20, 3)) {
            noValidation = DataSplit.create(Interactions.fromCsr("synthetic-test", clicks),
                    SplitConfig.defaults(1).withHeldOutUsers(0, 50));
        }
        Kernels kernels = Kernels.create("scalar", 1);
        try (CsrMatrix train = noValidation.train().toCsr(); MultVae model = new MultVae(vae(), train.cols(), kernels)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> new VaeTrainer(kernels, r -> { })
                    .train(model, train, noValidation.validation(), 2, BetaSchedule.constant(0.2)));
            assertTrue(e.getMessage().contains("no epoch can be selected"), e.getMessage());
        }
    }

    private static void assertSameRun(VaeTrainer.Result expected, MultVae expectedModel, VaeTrainer.Result actual, MultVae model) {
        assertEquals(expected.bestEpoch(), actual.bestEpoch());
        assertEquals(expected.bestValidationNdcg(), actual.bestValidationNdcg(), 0.0);
        assertEquals(expected.epochsRun(), actual.epochsRun());
        assertEquals(expected.meanBeta(), actual.meanBeta(), 0.0);
        assertEquals(expected.history().size(), actual.history().size());
        for (int t = 0; t < expected.history().size(); t++) {
            VaeTrainer.EpochReport a = expected.history().get(t);
            VaeTrainer.EpochReport b = actual.history().get(t);
            assertEquals(a.negLogLikelihood(), b.negLogLikelihood(), 0.0, "epoch " + a.epoch() + " NLL");
            assertEquals(a.kl(), b.kl(), 0.0, "epoch " + a.epoch() + " KL");
            assertEquals(a.validationNdcg(), b.validationNdcg(), 0.0, "epoch " + a.epoch() + " validation NDCG");
        }
        assertEquals(expectedModel.updates(), model.updates());
        assertFalse(expected.history().isEmpty());
        List<DenseMatrix> a = expectedModel.parameters();
        List<DenseMatrix> b = model.parameters();
        for (int t = 0; t < a.size(); t++) {
            assertArrayEquals(a.get(t).toArray(), b.get(t).toArray(), "parameter " + t);
        }
        List<DenseMatrix> ma = expectedModel.optimizerState();
        List<DenseMatrix> mb = model.optimizerState();
        for (int t = 0; t < ma.size(); t++) {
            assertArrayEquals(ma.get(t).toArray(), mb.get(t).toArray(), "Adam moment " + t);
        }
    }
}
