package dev.sparsecf.cli;

import dev.sparsecf.data.DataSplit;
import dev.sparsecf.data.SplitConfig;
import dev.sparsecf.models.ModelFile;
import dev.sparsecf.kernels.Kernels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Loading model files and re-creating the split recorded in them, with one-line errors. */
public final class SavedModels {

    /** Metadata keys written by {@code train} and read back here. */
    static final String DATA = "data";
    static final String SPLIT_SEED = "splitSeed";
    static final String VALIDATION_USERS = "validationUsers";
    static final String TEST_USERS = "testUsers";
    static final String SPLIT_FINGERPRINT = "splitFingerprint";

    /** The dataset spec and split settings a model was trained with. */
    record TrainingSplit(String data, SplitConfig config) {
    }

    private SavedModels() {
    }

    static ModelFile.Loaded load(CommandSpec at, Path file, Kernels kernels) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new ParameterException(at.commandLine(), "--model " + file + ": no such file");
        }
        try {
            return ModelFile.load(file, kernels);
        } catch (NoSuchFileException e) {
            throw new ParameterException(at.commandLine(), "--model " + file + ": no such file");
        }
    }

    static TrainingSplit trainingSplit(CommandSpec at, ModelFile.Loaded loaded, Path file) {
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

    /** Fails when the data on disk no longer gives the split the model was trained on. */
    static void checkSameSplit(CommandSpec at, DataSplit split, ModelFile.Loaded loaded, Path file) throws IOException {
        String expected = loaded.metadata().get(SPLIT_FINGERPRINT);
        String actual = TrainCommand.fingerprint(split);
        if (expected != null && !expected.equals(actual)) {
            throw new IllegalStateException("the data gives a different split than model " + file + " was trained on"
                    + " (fingerprint " + actual + ", model says " + expected + "): the dataset files changed");
        }
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
