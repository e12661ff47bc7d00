package dev.sparsecf.cli;

import dev.sparsecf.run.RunInput;
import dev.sparsecf.run.SavedModels;

import dev.sparsecf.kernels.Kernels;
import dev.sparsecf.data.DataSplit;
import dev.sparsecf.eval.EvaluationResult;
import dev.sparsecf.models.ModelFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code sparsecf eval}: re-creates or reads again the split a saved model was trained on (dataset, seed and held-out
 * counts, split directory or per-user files, from the model file; or {@code --split DIR}), checks it is the same split
 * (fingerprint), and reports the test metrics its protocol defines. A model trained on a file needs the same file
 * options again: the model file records only the path.
 */
@Command(name = "eval", description = "Evaluate a saved model on the test users of the split it was trained on.")
public final class EvalCommand extends DataInputCommand implements Callable<Integer> {

    @Mixin
    ModelFileOption model;

    @Option(names = "--split", paramLabel = "DIR",
            description = "Read the split the model was trained on from the directory 'data split' wrote it to (checksums verified).")
    Path splitDir;

    @Option(names = "--on", defaultValue = "test", paramLabel = "test|validation",
            description = "Which held-out users to evaluate (default ${DEFAULT-VALUE}).")
    String on;

    @Override
    public Integer call() throws IOException {
        if (!on.equals("test") && !on.equals("validation")) {
            throw new ParameterException(spec.commandLine(), "--on must be test or validation, got '" + on + "'");
        }
        // the split is the model's own, seed included
        CommonOptions.rejectGiven(spec, "eval, which re-creates the split the model file names", List.of("--seed"));
        common.apply();
        Kernels kernels = Kernels.get();
        PrintWriter err = spec.commandLine().getErr();
        try (ModelFile.Loaded loaded = SavedModels.load(model.file, kernels)) {
            DataSplit split = SavedModels.trainedSplit(loaded, model.file, splitDir, err, common.dataDir(), fileFormat.options());
            EvaluationResult r = SavedModels.evaluate(loaded, on.equals("test") ? split.test() : split.validation(), kernels);
            PrintWriter o = spec.commandLine().getOut();
            o.println(on + " (" + SavedModels.describeSplit(loaded) + "):");
            o.println(RunInput.format(split, r));
        }
        return 0;
    }
}
