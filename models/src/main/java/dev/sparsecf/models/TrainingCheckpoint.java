package dev.sparsecf.models;

import dev.sparsecf.kernels.DenseMatrix;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where a {@link VaeTrainer} run keeps its state after every epoch, so that a stopped run can continue exactly
 * where its last finished epoch left it: the weights, Adam's moments and update count, the random stream's
 * position, the order of the shuffled users, the best epoch so far with its weights, the history and the beta
 * policy's state ({@link BetaPolicy#state()}: the KL-target controller's). The file (format version {@value #VERSION},
 * written as {@link ModelFile} writes, atomically and with a CRC-32) also holds the settings of the run it belongs
 * to; a run with other settings refuses it. Version 1 files, which had no policy state (only stateless policies were
 * checkpointed then), are still read.
 */
public final class TrainingCheckpoint {

    /** Current format version; readers reject versions other than this and {@link #OLDEST_READ}. */
    public static final int VERSION = 2;
    /** The oldest format version still read: 1, before the beta policy's state was kept. */
    static final int OLDEST_READ = 1;

    private static final byte[] MAGIC = {'S', 'P', 'C', 'F', 'C', 'K', 'P', 'T'};
    private static final String KIND = "checkpoint";

    private final Path file;
    private final Map<String, String> settings;
    private final long intervalNanos;
    private long savedAt = System.nanoTime();

    /** A checkpoint that belongs to a run with other settings; the message names the first difference. */
    public static final class SettingsMismatch extends IllegalArgumentException {
        SettingsMismatch(String message) {
            super(message);
        }
    }

    /** The training state of one epoch's end, besides the model's weights and Adam state. */
    record Progress(int epoch, long draws, int[] order, int bestEpoch, double bestNdcg, double betaSum, double seconds,
                    List<VaeTrainer.EpochReport> history, double[] policyState) {
    }

    /** A checkpoint kept in {@code file} for the run {@code settings} describe (name to value, in a fixed order). */
    public TrainingCheckpoint(Path file, Map<String, String> settings) {
        this(file, settings, 0);
    }

    private TrainingCheckpoint(Path file, Map<String, String> settings, long intervalNanos) {
        this.file = Objects.requireNonNull(file, "file");
        this.settings = new LinkedHashMap<>(settings);
        this.intervalNanos = intervalNanos;
    }

    /**
     * This checkpoint saved only at the end of an epoch at least {@code interval} after the last save (or its
     * creation): a resumed run still ends bit for bit as an uninterrupted one, having redone the epochs since.
     */
    public TrainingCheckpoint every(Duration interval) {
        if (interval.isNegative()) {
            throw new IllegalArgumentException("checkpoint interval must be >= 0, got " + interval);
        }
        return new TrainingCheckpoint(file, settings, interval.toNanos());
    }

    /** Whether an epoch ending now is to be saved (always, without {@link #every}). */
    boolean due() {
        return System.nanoTime() - savedAt >= intervalNanos;
    }

    public Path file() {
        return file;
    }

    /** Whether an earlier run left a checkpoint to continue from. */
    public boolean exists() {
        return Files.exists(file);
    }

    /** Replaces the checkpoint with the state of {@code model}, its best weights so far {@code best} and {@code p}. */
    void save(MultVae model, List<DenseMatrix> best, Progress p) throws IOException {
        ModelFile.writeChecked(file, MAGIC, VERSION, out -> {
            out.writeInt(settings.size());
            for (Map.Entry<String, String> s : settings.entrySet()) {
                out.writeUTF(s.getKey());
                out.writeUTF(s.getValue());
            }
            out.writeInt(p.epoch());
            out.writeLong(p.draws());
            out.writeLong(model.updates());
            out.writeInt(p.order().length);
            for (int u : p.order()) {
                out.writeInt(u);
            }
            out.writeInt(p.bestEpoch());
            out.writeDouble(p.bestNdcg());
            out.writeDouble(p.betaSum());
            out.writeDouble(p.seconds());
            out.writeInt(p.history().size());
            for (VaeTrainer.EpochReport r : p.history()) {
                writeReport(out, r);
            }
            ModelFile.writeMatrices(out, model.parameters());
            ModelFile.writeMatrices(out, model.optimizerState());
            ModelFile.writeMatrices(out, best);
            // last, so that a version-1 file is a version-2 one without this section
            out.writeInt(p.policyState().length);
            for (double x : p.policyState()) {
                out.writeDouble(x);
            }
        });
        savedAt = System.nanoTime();
    }

    /**
     * Loads the checkpoint into {@code model} (weights, Adam state, update count) and {@code best}, and returns the
     * rest; a checkpoint of a run with other settings is a {@link SettingsMismatch}, a damaged one an {@link IOException}.
     */
    Progress restore(MultVae model, List<DenseMatrix> best) throws IOException {
        return ModelFile.readChecked(file, KIND, MAGIC, OLDEST_READ, VERSION, (in, version) -> {
            Map<String, String> stored = new LinkedHashMap<>();
            for (int n = in.readInt(), t = 0; t < n; t++) {
                stored.put(in.readUTF(), in.readUTF());
            }
            checkSettings(stored);
            int epoch = in.readInt();
            long draws = in.readLong();
            long updates = in.readLong();
            int[] order = new int[in.readInt()];
            for (int u = 0; u < order.length; u++) {
                order[u] = in.readInt();
            }
            int bestEpoch = in.readInt();
            double bestNdcg = in.readDouble();
            double betaSum = in.readDouble();
            double seconds = in.readDouble();
            List<VaeTrainer.EpochReport> history = new ArrayList<>();
            for (int n = in.readInt(), t = 0; t < n; t++) {
                history.add(readReport(in));
            }
            ModelFile.readMatrices(file, KIND, in, model.parameters());
            ModelFile.readMatrices(file, KIND, in, model.optimizerState());
            ModelFile.readMatrices(file, KIND, in, best);
            double[] policyState = new double[version == OLDEST_READ ? 0 : in.readInt()];
            for (int t = 0; t < policyState.length; t++) {
                policyState[t] = in.readDouble();
            }
            model.restoreUpdates(updates);
            return new Progress(epoch, draws, order, bestEpoch, bestNdcg, betaSum, seconds, history, policyState);
        });
    }

    private void checkSettings(Map<String, String> stored) {
        for (Map.Entry<String, String> s : settings.entrySet()) {
            String was = stored.get(s.getKey());
            if (!s.getValue().equals(was)) {
                throw new SettingsMismatch("checkpoint " + file + " belongs to a run with " + s.getKey() + " " + was
                        + ", this run has " + s.getValue());
            }
        }
        if (!stored.keySet().equals(settings.keySet())) {
            throw new SettingsMismatch("checkpoint " + file + " belongs to a run with the settings " + stored.keySet()
                    + ", this run has " + settings.keySet());
        }
    }

    private static void writeReport(DataOutputStream out, VaeTrainer.EpochReport r) throws IOException {
        out.writeInt(r.epoch());
        out.writeInt(r.epochs());
        out.writeDouble(r.negLogLikelihood());
        out.writeDouble(r.kl());
        out.writeDouble(r.beta());
        out.writeDouble(r.seconds());
        out.writeDouble(r.validationNdcg());
        out.writeInt(r.bestEpoch());
        out.writeDouble(r.bestNdcg());
        out.writeDouble(r.etaSeconds());
    }

    private static VaeTrainer.EpochReport readReport(DataInputStream in) throws IOException {
        return new VaeTrainer.EpochReport(in.readInt(), in.readInt(), in.readDouble(), in.readDouble(), in.readDouble(),
                in.readDouble(), in.readDouble(), in.readInt(), in.readDouble(), in.readDouble());
    }
}
