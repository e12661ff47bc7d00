package dev.sparsecf.run;

import dev.sparsecf.kernels.Kernels;
import dev.sparsecf.data.DataSplit;
import dev.sparsecf.data.IdMap;
import dev.sparsecf.data.FileOptions;
import dev.sparsecf.data.Interactions;
import dev.sparsecf.data.SplitConfig;
import dev.sparsecf.eval.EvaluationResult;
import dev.sparsecf.kernels.CsrMatrix;
import dev.sparsecf.kernels.DenseMatrix;
import dev.sparsecf.models.ModelFile;
import dev.sparsecf.models.VaeTrainer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** Loading model files, re-creating the split recorded in them, and what {@code eval} and {@code recommend} do with them. */
public final class SavedModels {

    /** Metadata keys written by {@link TrainingRun} and read back here (the split's are {@link ModelFile}'s). */
    static final String DATA = ModelFile.DATA;
    static final String SPLIT_SEED = ModelFile.SPLIT_SEED;
    static final String VALIDATION_USERS = ModelFile.VALIDATION_USERS;
    static final String TEST_USERS = ModelFile.TEST_USERS;
    static final String SPLIT_FINGERPRINT = ModelFile.SPLIT_FINGERPRINT;
    static final String PROTOCOL = "protocol";

    /** The dataset spec and split settings a model was trained with. */
    public record TrainingSplit(String data, SplitConfig config) {
    }

    /**
     * The {@code items} best for one user, best first, with their {@code scores}: the top {@code k} of the
     * {@code catalogue} items, where k is at most the {@code catalogue - seen} unseen ones; {@code seen} of the user's
     * known items are in the catalogue (and excluded).
     */
    public record Recommendation(int seen, int k, int catalogue, String[] items, float[] scores) {
    }

    /**
     * A saved model ({@code file}) with the positives of the data it was trained on; closing it closes the model. For
     * a model trained on a dataset, {@code trainingSplit} re-creates its split; for one trained on split files
     * ({@code --split}, {@code --train/--test}), {@code readSplit} is that split, read and checked once.
     */
    public record WithData(Path file, ModelFile.Loaded loaded, TrainingSplit trainingSplit, Interactions positives,
                           DataSplit readSplit) implements AutoCloseable {

        /** The split the model was trained on, re-created from the data (or as read) and checked against the model's fingerprint. */
        public DataSplit split(PrintWriter err) throws IOException {
            if (readSplit != null) {
                return readSplit;
            }
            DataSplit split = DataSteps.split(err, positives, trainingSplit.config());
            checkSameSplit(split, loaded, file);
            return split;
        }

        @Override
        public void close() {
            loaded.close();
        }
    }

    private SavedModels() {
    }

    /** The model in {@code file} and its dataset's positives from {@code dataDir}, loaded with progress on {@code err}. */
    public static WithData loadWithData(Path file, Kernels kernels, PrintWriter err, Path dataDir, FileOptions options)
            throws IOException {
        ModelFile.Loaded loaded = load(file, kernels);
        try {
            if (!(SplitSource.of(loaded.metadata()) instanceof SplitSource.Dataset)) {
                // trained on split files: a user's clicks are all of that user's pairs in them
                DataSplit split = trainedSplit(loaded, file, null, err, dataDir, options);
                return new WithData(file, loaded, null, allClicks(split), split);
            }
            TrainingSplit ts = trainingSplit(loaded, file);
            return new WithData(file, loaded, ts, DataSteps.load(err, ts.data(), dataDir, options).positives(), null);
        } catch (IOException | RuntimeException e) {
            loaded.close();
            throw e;
        }
    }

    /** Every pair of {@code split}: its training rows and both held-out sets' fold-in, excluded and evaluation rows. */
    static Interactions allClicks(DataSplit split) {
        Interactions.Builder b = Interactions.builder(split.provenance());
        DataSplit.HeldOut v = split.validation();
        DataSplit.HeldOut t = split.test();
        for (Interactions x : List.of(split.train(), v.foldIn(), v.exclude(), v.eval(), t.foldIn(), t.exclude(), t.eval())) {
            for (int u = 0; u < x.numUsers(); u++) {
                for (int p = x.rowStart(u); p < x.rowEnd(u); p++) {
                    b.add(x.users().id(u), x.items().id(x.item(p)));
                }
            }
        }
        return b.build();
    }

    /** The model in {@code file}; a missing file is a usage error. */
    public static ModelFile.Loaded load(Path file, Kernels kernels) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new UsageException("--model " + file + ": no such file");
        }
        try {
            return ModelFile.load(file, kernels);
        } catch (NoSuchFileException e) {
            throw new UsageException("--model " + file + ": no such file");
        }
    }

    /** Where the split of {@code loaded} came from and its seed, e.g. {@code ml-1m, split seed 0}. */
    public static String describeSplit(ModelFile.Loaded loaded) {
        return SplitSource.of(loaded.metadata()).describe() + ", split seed " + loaded.metadata().get(SPLIT_SEED);
    }

    /** The dataset and split settings {@code loaded} records. */
    public static TrainingSplit trainingSplit(ModelFile.Loaded loaded, Path file) {
        if (!(SplitSource.of(loaded.metadata()) instanceof SplitSource.Dataset)) {
            throw new UsageException("--model " + file + " was trained on " + SplitSource.of(loaded.metadata()).describe()
                    + ", not on a --data dataset or file; its split is read by trainedSplit");
        }
        try {
            String data = required(loaded, DATA, file);
            long seed = Long.parseLong(required(loaded, SPLIT_SEED, file));
            int validation = Integer.parseInt(required(loaded, VALIDATION_USERS, file));
            int test = Integer.parseInt(required(loaded, TEST_USERS, file));
            return new TrainingSplit(data, SplitConfig.defaults(seed).withHeldOutUsers(validation, test));
        } catch (NumberFormatException e) {
            throw new IllegalStateException("model file " + file + ": invalid split metadata (" + e.getMessage() + ")");
        }
    }

    /**
     * The split {@code loaded} (read from {@code file}) was trained on: the split exported to {@code splitDir} when
     * given, else read or re-created from the source the model file records (a dataset with {@code options} from
     * {@code dataDir}, a split directory, or per-user files); either way checked against the model's fingerprint.
     */
    public static DataSplit trainedSplit(ModelFile.Loaded loaded, Path file, Path splitDir, PrintWriter err, Path dataDir,
                                         FileOptions options) throws IOException {
        SplitSource source = splitDir != null ? new SplitSource.Exported(splitDir) : SplitSource.of(loaded.metadata());
        DataSplit split;
        if (source instanceof SplitSource.Dataset) {
            TrainingSplit ts = trainingSplit(loaded, file);
            split = DataSteps.split(err, DataSteps.load(err, ts.data(), dataDir, options).positives(), ts.config());
        } else {
            long seed = Long.parseLong(required(loaded, SPLIT_SEED, file)); // draws a per-user split's validation items
            split = RunInput.read(err, source, dataDir, options, seed).ready();
        }
        checkSameSplit(split, loaded, file);
        return split;
    }

    /** Fails when the data on disk no longer gives the split the model was trained on. */
    public static void checkSameSplit(DataSplit split, ModelFile.Loaded loaded, Path file) throws IOException {
        String expected = loaded.metadata().get(SPLIT_FINGERPRINT);
        String actual = DataSteps.fingerprint(split);
        if (expected != null && !expected.equals(actual)) {
            throw new IllegalStateException("the data gives a different split than model " + file + " was trained on"
                    + " (fingerprint " + actual + ", model says " + expected + "): the dataset files changed");
        }
    }

    /** The metrics of {@code loaded} on the held-out users {@code heldOut}, as training reported them. */
    public static EvaluationResult evaluate(ModelFile.Loaded loaded, DataSplit.HeldOut heldOut, Kernels kernels) {
        return switch (loaded) {
            case ModelFile.LoadedVae vae -> VaeTrainer.evaluate(kernels, vae.model()::score,
                    vae.model().config().batchSize(), heldOut);
            case ModelFile.LoadedEase ease -> ease.model().evaluate(heldOut);
        };
    }

    /** The {@code k} best items of {@code loaded} for user row {@code u} of {@code positives}, at most the unseen ones. */
    public static Recommendation recommend(ModelFile.Loaded loaded, Interactions positives, int u, int k, Kernels kernels) {
        IdMap items = loaded.items();
        int[] seen = seenColumns(items, positives, u);
        int kk = Math.min(k, items.size() - seen.length);
        if (kk == 0) {
            return new Recommendation(seen.length, 0, items.size(), new String[0], new float[0]);
        }
        int[] top = new int[kk];
        try (CsrMatrix row = CsrMatrix.binary(1, items.size(), new int[] {0, seen.length}, seen)) {
            DenseMatrix scores = score(loaded, row);
            kernels.topK(scores, row, kk, top);
            String[] ids = new String[kk];
            float[] best = new float[kk];
            for (int r = 0; r < kk; r++) {
                ids[r] = items.id(top[r]);
                best[r] = scores.get(0, top[r]);
            }
            return new Recommendation(seen.length, kk, items.size(), ids, best);
        }
    }

    /** The model columns ({@code items}) of user row {@code u}'s positives, ascending; items the model lacks are left out. */
    static int[] seenColumns(IdMap items, Interactions positives, int u) {
        return seenColumns(columns(items, positives), positives, u);
    }

    /** The model column ({@code items}) of each item of {@code positives}, -1 where the model lacks it. */
    static int[] columns(IdMap items, Interactions positives) {
        int[] column = new int[positives.numItems()];
        for (int i = 0; i < column.length; i++) {
            column[i] = items.index(positives.items().id(i));
        }
        return column;
    }

    /** As {@link #seenColumns(IdMap, Interactions, int)} with the item-to-column map {@link #columns} made once. */
    static int[] seenColumns(int[] column, Interactions positives, int u) {
        int[] seen = new int[positives.count(u)];
        int n = 0;
        for (int p = positives.rowStart(u); p < positives.rowEnd(u); p++) {
            int c = column[positives.item(p)];
            if (c >= 0) {
                seen[n++] = c;
            }
        }
        Arrays.sort(seen, 0, n);
        return n == seen.length ? seen : Arrays.copyOf(seen, n);
    }

    /** Every item's score for each binary click row of {@code rows}: a view valid until the model's next call. */
    static DenseMatrix score(ModelFile.Loaded loaded, CsrMatrix rows) {
        return switch (loaded) {
            // Mult-VAE's input is the L2-normalised click row, EASE's the binary one
            case ModelFile.LoadedVae vae -> {
                float[] scale = new float[rows.rows()];
                for (int r = 0; r < scale.length; r++) {
                    int n = rows.rowNnz(r);
                    scale[r] = n == 0 ? 0f : (float) (1 / Math.sqrt(n));
                }
                yield vae.model().score(rows, scale);
            }
            case ModelFile.LoadedEase ease -> ease.model().score(rows);
        };
    }

    private static String required(ModelFile.Loaded loaded, String key, Path file) {
        String v = loaded.metadata().get(key);
        if (v == null) {
            throw new IllegalStateException("model file " + file + " does not record '" + key + "'; it was not written by"
                    + " 'sparsecf train'");
        }
        return v;
    }
}
