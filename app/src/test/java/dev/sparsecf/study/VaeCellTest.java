package dev.sparsecf.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsecf.data.DataSplit;
import dev.sparsecf.data.Interactions;
import dev.sparsecf.data.SplitConfig;
import dev.sparsecf.kernels.CsrMatrix;
import dev.sparsecf.kernels.Kernels;
import dev.sparsecf.kernels.synthetic.SyntheticClicks;
import dev.sparsecf.models.ModelConfig;
import dev.sparsecf.models.TrainingCheckpoint;
import dev.sparsecf.run.TrainingRun;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A study cell stopped mid-training continues from its checkpoint and ends as an uninterrupted cell; none is left behind. */
class VaeCellTest {

    private static final int EPOCHS = 4;
    private static final long SEED = 0;

    @TempDir
    Path tmp;

    private static DataSplit split() {
        try (CsrMatrix clicks = SyntheticClicks.generate(500, 120, 15, 3)) {
            return DataSplit.create(Interactions.fromCsr("synthetic-test", clicks), SplitConfig.defaults(1).withHeldOutUsers(80, 80));
        }
    }

    private static StudyPlan plan(Path dir, StudyVariant v) {
        return new StudyPlan("synthetic", new CellStore(dir), List.of(v), List.of(SEED), List.of(), List.of());
    }

    @Test
    void aStoppedCellContinuesFromItsCheckpointToTheSameResult() throws IOException {
        DataSplit split = split();
        Kernels kernels = Kernels.create("scalar", 1);
        TrainingRun run = new TrainingRun("synthetic", SEED, split, "fp", kernels);
        StudyVariant v = StudyVariant.grid().stream().filter(x -> x.id().equals("const-0.2")).findFirst().orElseThrow();
        PrintWriter quiet = new PrintWriter(Writer.nullWriter());

        StudyPlan whole = plan(tmp.resolve("whole"), v);
        StudyCells.Cell expected = VaeCell.run(run, whole, v, SEED, EPOCHS, 0, quiet);

        // a run stopped after epoch 2, its checkpoint where the cell keeps it
        StudyPlan stopped = plan(tmp.resolve("stopped"), v);
        assertEquals("", stopped.underWay());
        Path dir = stopped.store.dir().resolve(CellStore.RUNNING).resolve("const-0.2-seed0");
        ModelConfig config = ModelConfig.multVae(SEED);
        TrainingCheckpoint checkpoint = run.checkpoint(dir, config, v.id(), EPOCHS);
        RuntimeException stop = new RuntimeException("stopped after epoch 2");
        assertSame(stop, assertThrows(RuntimeException.class, () -> run.autoencoder(config, v::policy, EPOCHS, 0, r -> {
            if (r.epoch() == 2) {
                throw stop;
            }
        }, (epoch, batch, batches, seconds) -> { }, checkpoint).close()));
        assertTrue(checkpoint.exists());
        assertEquals(" (1 continuing from a checkpoint)", stopped.underWay(), "the plan line (and a dry run's)");

        StringWriter log = new StringWriter();
        StudyCells.Cell continued = VaeCell.run(run, stopped, v, SEED, EPOCHS, 0, new PrintWriter(log, true));
        assertTrue(log.toString().contains("continuing from " + checkpoint.file()), log.toString());
        assertFalse(log.toString().contains("epoch   2/4"), "epochs 1 and 2 are not trained again: " + log);
        assertTrue(log.toString().contains("epoch   3/4"), log.toString());
        assertTrue(log.toString().lines().filter(l -> l.contains("epoch   ")).allMatch(l -> l.contains("  ETA ")), log.toString());
        assertEquals(withoutTime(expected), withoutTime(continued));
        assertEquals(Files.readString(tmp.resolve("whole/users/const-0.2__s0.csv")),
                Files.readString(tmp.resolve("stopped/users/const-0.2__s0.csv")), "every test user's metrics");
        assertFalse(Files.exists(dir), "a finished cell removes its checkpoint");
        assertFalse(Files.exists(tmp.resolve("whole").resolve(CellStore.RUNNING).resolve("const-0.2-seed0")));
    }

    /** A checkpoint of other settings (a changed protocol) is discarded with a line and the cell starts over. */
    @Test
    void aCheckpointOfOtherSettingsStartsTheCellOver() throws IOException {
        DataSplit split = split();
        TrainingRun run = new TrainingRun("synthetic", SEED, split, "fp", Kernels.create("scalar", 1));
        StudyVariant v = StudyVariant.grid().stream().filter(x -> x.id().equals("const-0.2")).findFirst().orElseThrow();
        StudyPlan p = plan(tmp.resolve("study"), v);
        Path dir = p.store.dir().resolve(CellStore.RUNNING).resolve("const-0.2-seed0");
        ModelConfig config = ModelConfig.multVae(SEED);
        TrainingCheckpoint older = run.checkpoint(dir, config, v.id(), 1); // a run planned for another budget
        run.autoencoder(config, v::policy, 1, 0, r -> { }, (epoch, batch, batches, seconds) -> { }, older).close();
        assertTrue(older.exists());
        StringWriter log = new StringWriter();
        StudyCells.Cell cell = VaeCell.run(run, p, v, SEED, EPOCHS, 0, new PrintWriter(log, true));
        assertTrue(log.toString().contains("starting over: checkpoint " + older.file() + " belongs to a run with --epochs 1"),
                log.toString());
        assertEquals(EPOCHS, cell.epochs());
        assertFalse(Files.exists(dir));
    }

    /** The fields of a cell but its time, which differs between two runs of the same cell. */
    private static String withoutTime(StudyCells.Cell c) {
        return c.csv().replace("," + StudyCells.num(c.trainSeconds()) + ",", ",-,");
    }
}
