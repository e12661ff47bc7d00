package dev.sparsecf.cli;

import dev.sparsecf.data.IdMap;
import dev.sparsecf.data.Interactions;
import dev.sparsecf.kernels.CsrMatrix;
import dev.sparsecf.kernels.DenseMatrix;
import dev.sparsecf.kernels.Kernels;
import dev.sparsecf.models.ModelFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code sparsecf recommend}: the top-k items for one user of the model's dataset, excluding the items the
 * user already clicked, by original ids.
 */
@Command(name = "recommend", description = "Recommend items for one user of the model's dataset (seen items excluded).")
public final class RecommendCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Mixin
    ModelFileOption model;

    @Option(names = "--user", required = true, paramLabel = "ID", description = "The user's id as written in the dataset.")
    String user;

    @Option(names = {"-k", "--top"}, defaultValue = "10", paramLabel = "K", description = "How many items (default ${DEFAULT-VALUE}).")
    int k;

    @Override
    public Integer call() throws IOException {
        if (k < 1) {
            throw new ParameterException(spec.commandLine(), "-k must be >= 1, got " + k);
        }
        common.apply();
        Kernels kernels = Kernels.get();
        try (ModelFile.Loaded loaded = SavedModels.load(spec, model.file, kernels)) {
            SavedModels.TrainingSplit ts = SavedModels.trainingSplit(spec, loaded, model.file);
            Interactions positives = DataCommand.load(spec, ts.data(), common.dataDir());
            int u = positives.users().index(user);
            if (u < 0) {
                throw new ParameterException(spec.commandLine(), "--user: no user '" + user + "' in " + positives.source());
            }
            IdMap items = loaded.items();
            int[] seen = Arrays.stream(positives.itemsOf(u)).map(i -> items.index(positives.items().id(i)))
                    .filter(i -> i >= 0).sorted().toArray();
            int kk = Math.min(k, items.size());
            int[] top = new int[kk];
            try (CsrMatrix row = CsrMatrix.binary(1, items.size(), new int[] {0, seen.length}, seen)) {
                float[] scale = {seen.length == 0 ? 0f : (float) (1 / Math.sqrt(seen.length))};
                DenseMatrix scores = loaded.model().score(row, scale);
                kernels.topK(scores, row, kk, top);
                PrintWriter o = spec.commandLine().getOut();
                o.printf(Locale.ROOT, "user %s: %d known items (%d in the model's catalogue); top %d of %d items:%n", user,
                        positives.count(u), seen.length, kk, items.size());
                for (int r = 0; r < kk && top[r] >= 0; r++) {
                    o.printf(Locale.ROOT, "%3d  %-12s  %.4f%n", r + 1, items.id(top[r]), scores.get(0, top[r]));
                }
            }
        }
        return 0;
    }
}
