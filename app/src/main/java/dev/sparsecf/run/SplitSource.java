package dev.sparsecf.run;

import dev.sparsecf.data.DataSplit;
import dev.sparsecf.data.PerUserSplit;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a run's split comes from: a dataset (or file) split by Liang et al.'s protocol, a split exported by
 * {@code data split} ({@code --split DIR}), or a published per-user split ({@code --train FILE --test FILE}). The model
 * file records it, so that {@code eval} can read the same split again.
 */
public sealed interface SplitSource {

    /** Metadata keys of the model file. */
    String SPLIT_DIR = "splitDir";
    String TRAIN_FILE = "trainFile";
    String TEST_FILE = "testFile";
    String VALIDATION_FILE = "validationFile";

    /** A dataset name or interaction file, split by Liang et al.'s protocol ({@code --data}). */
    record Dataset(String spec) implements SplitSource {
        @Override
        public String describe() {
            return spec;
        }

        @Override
        public Map<String, String> metadata() {
            return new LinkedHashMap<>(Map.of(SavedModels.DATA, spec));
        }
    }

    /** A split written by {@code data split --out DIR}, checksums verified ({@code --split}). */
    record Exported(Path dir) implements SplitSource {
        @Override
        public String describe() {
            return "--split " + dir;
        }

        @Override
        public Map<String, String> metadata() {
            return new LinkedHashMap<>(Map.of(SPLIT_DIR, dir.toString()));
        }
    }

    /**
     * A per-user split ({@code --train}, {@code --test}, optional {@code --validation}: null), with what the reading
     * found that does not fit the protocol ({@code counts}, null before reading).
     */
    record PerUser(Path train, Path test, Path validation, PerUserSplit.Counts counts) implements SplitSource {
        @Override
        public String describe() {
            return "--train " + train + " --test " + test + (validation == null ? "" : " --validation " + validation);
        }

        @Override
        public Map<String, String> metadata() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put(TRAIN_FILE, train.toString());
            m.put(TEST_FILE, test.toString());
            if (validation != null) {
                m.put(VALIDATION_FILE, validation.toString());
            }
            return m;
        }
    }

    /** The source as the command line gave it, for messages and the checkpoint's settings. */
    String describe();

    /** What the model file records to find the split again. */
    Map<String, String> metadata();

    /** The source {@code metadata} records: a dataset when it names neither a split directory nor per-user files. */
    static SplitSource of(Map<String, String> metadata) {
        if (metadata.containsKey(SPLIT_DIR)) {
            return new Exported(Path.of(metadata.get(SPLIT_DIR)));
        }
        if (metadata.containsKey(TRAIN_FILE)) {
            String validation = metadata.get(VALIDATION_FILE);
            return new PerUser(Path.of(metadata.get(TRAIN_FILE)), Path.of(metadata.get(TEST_FILE)),
                    validation == null ? null : Path.of(validation), null);
        }
        return new Dataset(metadata.get(SavedModels.DATA));
    }

    /** Which published tables numbers under {@code protocol} can be set beside. */
    static String comparableTo(DataSplit.Protocol protocol) {
        return switch (protocol) {
            case HELDOUT_USERS -> "Liang et al. 2018 (Mult-VAE) and Steck 2019 (EASE) tables: ML-20M, Netflix, MSD";
            case PER_USER -> "LightGCN, NGCF and KGAT tables (Gowalla, Yelp2018, Amazon-Book): their Recall@20 is FullRecall@20"
                    + " here, their NDCG@20 (LightGCN's definition) is NDCG@20";
        };
    }
}
