package dev.sparsecf.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsecf.data.DataSplit;
import dev.sparsecf.data.Interactions;
import dev.sparsecf.data.SplitConfig;
import dev.sparsecf.kernels.CsrMatrix;
import dev.sparsecf.kernels.DenseMatrix;
import dev.sparsecf.kernels.Kernels;
import dev.sparsecf.kernels.synthetic.SyntheticClicks;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The best-epoch restore when the best epoch is not the last: validation is forced to peak at epoch 2 of 4, and
 * the trained model must then hold exactly the weights it had after epoch 2.
 */
class VaeTrainerBestEpochTest {

    private static final int EPOCHS = 4;
    private static final int BEST = 2;

    @Test
    void theModelEndsWithTheBestEpochsWeightsWhenALaterEpochIsWorse() {
        Kernels kernels = Kernels.get();
        DataSplit split;
        try (CsrMatrix clicks = SyntheticClicks.generate(600, 300, 20, 5)) {
            split = DataSplit.create(Interactions.fromCsr("synthetic-test", clicks), SplitConfig.defaults(1).withHeldOutUsers(100, 100));
        }
        ModelConfig config = new ModelConfig(ModelConfig.Kind.VAE, new int[] {32}, 16, 0.5, 1e-3, 100, 0, 7);
        try (CsrMatrix train = split.train().toCsr(); MultVae model = new MultVae(config, train.cols(), kernels)) {
            List<DenseMatrix> params = model.parameters();
            List<DenseMatrix> output = params.subList(params.size() - 2, params.size());
            float[][][] atEpoch = new float[EPOCHS + 1][][];
            // every epoch but the best is validated with its output layer negated (a reversed ranking, the worst
            // NDCG there is); the sign is put back after validation, so training itself is untouched
            VaeTrainer trainer = new VaeTrainer(kernels, report -> {
                if (report.epoch() != BEST) {
                    output.forEach(VaeTrainerBestEpochTest::negate);
                }
                atEpoch[report.epoch()] = arrays(params);
            }, (epoch, batch, batches, seconds) -> {
                if (epoch != BEST && batch == batches) {
                    output.forEach(VaeTrainerBestEpochTest::negate);
                }
            });
            VaeTrainer.Result result = trainer.train(model, train, split.validation(), EPOCHS, BetaSchedule.constant(0.2));
            List<Double> ndcg = result.history().stream().map(VaeTrainer.EpochReport::validationNdcg).toList();
            assertEquals(EPOCHS, result.epochsRun());
            assertEquals(BEST, result.bestEpoch(), "validation NDCG by epoch: " + ndcg);
            float[][] restored = arrays(params);
            for (int t = 0; t < restored.length; t++) {
                assertArrayEquals(atEpoch[BEST][t], restored[t], "parameter " + t + " is epoch " + BEST + "'s");
            }
            assertFalse(Arrays.deepEquals(atEpoch[EPOCHS], restored), "the last epoch's weights differ: the restore did something");
            assertTrue(ndcg.get(BEST - 1) > ndcg.get(EPOCHS - 1), "the last epoch validates worse: " + ndcg);
        }
    }

    private static void negate(DenseMatrix x) {
        for (int i = 0; i < x.rows(); i++) {
            for (int j = 0; j < x.cols(); j++) {
                x.set(i, j, -x.get(i, j));
            }
        }
    }

    private static float[][] arrays(List<DenseMatrix> params) {
        return params.stream().map(DenseMatrix::toArray).toArray(float[][]::new);
    }
}
