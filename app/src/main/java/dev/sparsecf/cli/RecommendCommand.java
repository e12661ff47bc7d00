package dev.sparsecf.cli;

import dev.sparsecf.render.TextTable;
import dev.sparsecf.run.DataSteps;
import dev.sparsecf.run.SavedModels;

import dev.sparsecf.kernels.Kernels;
import dev.sparsecf.data.Interactions;
import dev.sparsecf.models.ModelFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
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

    @Option(names = {"-k", "--top"}, defaultValue = "10", paramLabel = "K", description = "How many items, at most those the user has not seen (default ${DEFAULT-VALUE}).")
    int k;

    @Override
    public Integer call() throws IOException {
        if (k < 1) {
            throw new ParameterException(spec.commandLine(), "-k must be >= 1, got " + k);
        }
        common.apply();
        Kernels kernels = Kernels.get();
        try (ModelFile.Loaded loaded = SavedModels.load(model.file, kernels)) {
            SavedModels.TrainingSplit ts = SavedModels.trainingSplit(loaded, model.file);
            Interactions positives = DataSteps.load(spec.commandLine().getErr(), ts.data(), common.dataDir());
            int u = positives.users().index(user);
            if (u < 0) {
                throw new ParameterException(spec.commandLine(), "--user: no user '" + user + "' in " + positives.source());
            }
            SavedModels.Recommendation rec = SavedModels.recommend(loaded, positives, u, k, kernels);
            if (rec.k() < k) {
                spec.commandLine().getErr().printf(Locale.ROOT, "-k %d exceeds the %d catalogue items user %s has not"
                        + " seen; showing %d%n", k, rec.catalogue() - rec.seen(), user, rec.k());
            }
            PrintWriter o = spec.commandLine().getOut();
            o.printf(Locale.ROOT, "user %s: %d known items (%d in the model's catalogue); top %d of %d items:%n", user,
                    positives.count(u), rec.seen(), rec.k(), rec.catalogue());
            List<String[]> rows = new ArrayList<>();
            for (int r = 0; r < rec.k(); r++) {
                rows.add(new String[] {Integer.toString(r + 1), rec.items()[r], String.format(Locale.ROOT, "%.4f", rec.scores()[r])});
            }
            if (!rows.isEmpty()) {
                // rank and score right-aligned, ids left: aligned whatever the ids' lengths, the ranks' digits and the signs
                o.print(TextTable.render(rows, c -> c == 1));
            }
        }
        return 0;
    }
}
