package dev.sparsecf.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sparsecf.kernels.Kernels;
import dev.sparsecf.data.DataSplit;
import dev.sparsecf.data.IdMap;
import dev.sparsecf.data.Interactions;
import dev.sparsecf.data.SplitConfig;
import dev.sparsecf.eval.Metric;
import dev.sparsecf.kernels.CsrMatrix;
import dev.sparsecf.kernels.DenseMatrix;
import dev.sparsecf.kernels.KernelProvider;
import dev.sparsecf.kernels.synthetic.SyntheticClicks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Trains small models end to end on seeded synthetic clicks: learning happens, runs repeat, models round-trip. */
class VaeTrainerTest {

    private static DataSplit split;

    @BeforeAll
    static void data() {
        // popularity-skewed clicks: a model that learns anything beats a random ranking by far
        try (CsrMatrix clicks = SyntheticClicks.generate(900, 300, 20, 3)) {
            split = DataSplit.create(Interactions.fromCsr("synthetic-test", clicks), SplitConfig.defaults(1).withHeldOutUsers(100, 100));
        }
    }

    private static ModelConfig small(ModelConfig.Kind kind) {
        return new ModelConfig(kind, kind == ModelConfig.Kind.VAE ? new int[] {64} : new int[0], 32, 0.5, 1e-3, 100,
                kind == ModelConfig.Kind.DAE ? 0.01 : 0, 7);
    }

    @ParameterizedTest
    @EnumSource(ModelConfig.Kind.class)
    void trainingImprovesValidationNdcgAndKeepsTheBestEpoch(ModelConfig.Kind kind) {
        Kernels kernels = Kernels.get();
        List<VaeTrainer.EpochReport> seen = new ArrayList<>();
        try (CsrMatrix train = split.train().toCsr(); MultVae model = new MultVae(small(kind), train.cols(), kernels)) {
            VaeTrainer trainer = new VaeTrainer(kernels, seen::add);
            double before = trainer.evaluate(model, split.validation()).mean(Metric.NDCG, 100);
            VaeTrainer.Result result = trainer.train(model, train, split.validation(), 8, BetaSchedule.linearByFraction(0.8, 0.2));
            assertEquals(8, seen.size(), "one report per epoch");
            double best = seen.stream().mapToDouble(VaeTrainer.EpochReport::validationNdcg).max().orElseThrow();
            assertEquals(best, result.bestValidationNdcg(), 0.0);
            assertTrue(best > before + 0.05, kind + ": validation NDCG@100 went from " + before + " to " + best);
            // the model now holds the best epoch's weights: evaluating again reproduces that epoch's score
            assertEquals(result.bestValidationNdcg(), trainer.evaluate(model, split.validation()).mean(Metric.NDCG, 100), 1e-12);
            assertTrue(seen.get(0).negLogLikelihood() > seen.get(seen.size() - 1).negLogLikelihood(), "training loss falls");
            if (kind == ModelConfig.Kind.VAE) {
                // row betas are floats: the epoch mean of 0.2f is 0.2 to within one float ulp
                assertEquals(0.2, seen.get(seen.size() - 1).beta(), Math.ulp(0.2f), "anneal reaches its cap by the last epoch");
            }
        }
    }

    @Test
    void earlyStoppingEndsARunThatCannotImproveAndReportsEveryBatch() {
        Kernels kernels = Kernels.get();
        // Adam steps of ~1e-30 leave every float weight unchanged, so validation NDCG repeats epoch 1's exactly
        ModelConfig frozen = new ModelConfig(ModelConfig.Kind.VAE, new int[] {64}, 32, 0.5, 1e-30, 100, 0, 7);
        List<int[]> batchCalls = new ArrayList<>();
        try (CsrMatrix train = split.train().toCsr(); MultVae model = new MultVae(frozen, train.cols(), kernels)) {
            int batches = (train.rows() + 99) / 100;
            VaeTrainer trainer = new VaeTrainer(kernels, e -> { },
                    (epoch, batch, total, seconds) -> batchCalls.add(new int[] {epoch, batch, total}));
            VaeTrainer.Result result = trainer.train(model, train, split.validation(), 10, BetaPolicy.global(BetaSchedule.constant(0.2)), 2);
            assertEquals(1, result.bestEpoch());
            assertEquals(3, result.epochsRun(), "stops once 2 epochs brought no improvement");
            assertEquals(3, result.history().size());
            assertEquals(0.0, result.history().get(2).etaSeconds(), "nothing left after the stopping epoch");
            assertEquals(batches * 3, batchCalls.size(), "one call per update");
            for (int c = 0; c < batchCalls.size(); c++) {
                assertArrayEquals(new int[] {c / batches + 1, c % batches + 1, batches}, batchCalls.get(c), "call " + c);
            }
        }
    }

    @Test
    void policyGetsEveryUpdateWithItsUsersClicksAndObservesTheKl() {
        Kernels kernels = Kernels.get();
        try (CsrMatrix train = split.train().toCsr(); MultVae model = new MultVae(small(ModelConfig.Kind.VAE), train.cols(), kernels)) {
            int[] clicks = new int[train.rows()];
            for (int u = 0; u < clicks.length; u++) {
                clicks[u] = train.rowNnz(u);
            }
            BetaPolicy perUser = BetaPolicy.perUser(0.3, 1, clicks);
            long updates = 2L * ((train.rows() + 99) / 100);
            List<Long> steps = new ArrayList<>();
            List<Double> observed = new ArrayList<>();
            BetaPolicy recording = new BetaPolicy() {
                @Override
                public void rowBetas(long step, long totalSteps, int[] rowClicks, int m, float[] rowBeta) {
                    assertEquals(updates, totalSteps, "2 epochs of batches of 100");
                    steps.add(step);
                    perUser.rowBetas(step, totalSteps, rowClicks, m, rowBeta);
                }

                @Override
                public void observe(double meanKl) {
                    observed.add(meanKl);
                }

                @Override
                public String describe() {
                    return "recording";
                }
            };
            VaeTrainer.Result result = new VaeTrainer(kernels, e -> { }).train(model, train, split.validation(), 2, recording, 0);
            assertEquals(LongStream.range(0, updates).boxed().toList(), steps, "0-based update indices");
            assertEquals(updates, observed.size());
            assertTrue(observed.stream().allMatch(kl -> kl > 0), "VAE batch KLs are positive: " + observed);
            assertEquals(2, result.epochsRun());
            // every epoch visits each training user once, so the per-user betas average to their normalised mean
            for (VaeTrainer.EpochReport r : result.history()) {
                assertEquals(0.3, r.beta(), 0.3 * 0x1p-23, "epoch " + r.epoch() + " mean beta");
            }
            assertEquals(0.3, result.meanBeta(), 0.3 * 0x1p-23);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"scalar", "panama"})
    void sameSeedSameThreadsGivesIdenticalWeights(String impl) {
        // Java GEMM, and kernels whose every operation is IEEE-exact Java arithmetic in a fixed order: the scalar ones,
        // and the Panama ones since their tanh and exps are their own (no Vector API TANH or EXP, whose bits changed
        // when C2 compiled the caller). The second run here meets more compiled code than the first.
        assumeTrue(impl.equals("scalar") || KernelProvider.vectorModulePresent(), "needs --add-modules jdk.incubator.vector");
        Kernels kernels = Kernels.create(impl, 2);
        float[][] runs = new float[2][];
        for (int r = 0; r < 2; r++) {
            try (CsrMatrix train = split.train().toCsr(); MultVae model = new MultVae(small(ModelConfig.Kind.VAE), train.cols(), kernels)) {
                new VaeTrainer(kernels, e -> { }).train(model, train, split.validation(), 2, BetaSchedule.constant(0.1));
                runs[r] = model.parameters().get(0).toArray();
            }
        }
        assertArrayEquals(runs[0], runs[1], impl + ": seeded training repeats bit for bit");
    }

    @Test
    void modelFileRoundTripsAndRejectsDamage(@TempDir Path dir) throws IOException {
        Kernels kernels = Kernels.get();
        Path file = dir.resolve("m.sparsecf");
        try (CsrMatrix train = split.train().toCsr(); MultVae model = new MultVae(small(ModelConfig.Kind.VAE), train.cols(), kernels)) {
            new VaeTrainer(kernels, e -> { }).train(model, train, split.validation(), 1, BetaSchedule.constant(0.2));
            ModelFile.save(model, split.items(), Map.of("dataset", "synthetic-test"), file, false);
            assertThrows(java.nio.file.FileAlreadyExistsException.class,
                    () -> ModelFile.save(model, split.items(), Map.of(), file, false), "never overwrites silently");
            try (ModelFile.LoadedVae loaded = (ModelFile.LoadedVae) ModelFile.load(file, kernels)) {
                assertEquals(model.config(), loaded.model().config());
                assertEquals("synthetic-test", loaded.metadata().get("dataset"));
                IdMap items = loaded.items();
                assertEquals(split.items().size(), items.size());
                assertEquals(split.items().id(items.size() - 1), items.id(items.size() - 1));
                List<DenseMatrix> a = model.parameters();
                List<DenseMatrix> b = loaded.model().parameters();
                for (int t = 0; t < a.size(); t++) {
                    assertArrayEquals(a.get(t).toArray(), b.get(t).toArray(), "parameter " + t);
                }
            }
        }
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x10;
        Path damaged = dir.resolve("damaged.sparsecf");
        Files.write(damaged, bytes);
        IOException e = assertThrows(IOException.class, () -> ModelFile.load(damaged, kernels));
        assertTrue(e.getMessage().contains("damaged.sparsecf") && e.getMessage().contains("checksum"), e.getMessage());
        Path truncated = dir.resolve("truncated.sparsecf");
        Files.write(truncated, java.util.Arrays.copyOf(bytes, 100));
        e = assertThrows(IOException.class, () -> ModelFile.load(truncated, kernels));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        Path notModel = dir.resolve("notes.txt");
        Files.writeString(notModel, "hello, this is not a model");
        e = assertThrows(IOException.class, () -> ModelFile.load(notModel, kernels));
        assertTrue(e.getMessage().contains("not a sparsecf model"), e.getMessage());
    }
}
