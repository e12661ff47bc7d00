package dev.sparsecf.cli;

import dev.sparsecf.render.TextTable;
import dev.sparsecf.run.BatchRecommender;
import dev.sparsecf.run.SavedModels;

import dev.sparsecf.kernels.Kernels;
import dev.sparsecf.data.Interactions;
import dev.sparsecf.models.ModelFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code sparsecf recommend}: the top-k items for one user of the model's dataset ({@code --user}, a table on
 * stdout) or for many ({@code --users}, a CSV or JSONL file), excluding the items each user already clicked, by
 * original ids; with {@code --history}, for users new to the model from their clicks in that file (fold-in).
 */
@Command(name = "recommend", description = "Recommend items for one user (--user) or many (--users, into --out) of the"
        + " model's dataset, or of a --history file's users (seen items excluded).")
public final class RecommendCommand extends DataInputCommand implements Callable<Integer> {

    @Mixin
    ModelFileOption model;

    @ArgGroup(multiplicity = "1")
    Who who;

    /** One user or many: exactly one of the two. */
    static final class Who {
        @Option(names = "--user", required = true, paramLabel = "ID", description = "The user's id as written in the dataset.")
        String user;

        @Option(names = "--users", required = true, paramLabel = "all|FILE",
                description = "'all': every training, validation and test user of the model's split (with --history:"
                        + " every user of the history); or a file of user ids, one per line. Needs --out.")
        String users;
    }

    @Option(names = "--out", paramLabel = "FILE",
            description = "--users: the file to write, .csv or .jsonl, optionally .gz (written whole or not at all).")
    Path out;

    @Option(names = "--force", description = "--users: replace an existing --out.")
    boolean force;

    @Option(names = "--history", paramLabel = "FILE",
            description = "Score the users of FILE from their clicks there (fold-in; users need not be in the model's"
                    + " data, which is not read), in any format --data FILE takes, read with the same --sep, column and"
                    + " --min-rating options (the count rules do not apply).")
    Path history;

    @Option(names = "--strict", description = "--users FILE or --history: a user the data does not have, or an item"
            + " the model does not have, is an error, not skipped and counted.")
    boolean strict;

    @Option(names = {"-k", "--top"}, defaultValue = "10", paramLabel = "K", description = "How many items, at most those the user has not seen (default ${DEFAULT-VALUE}).")
    int k;

    @Override
    public Integer call() throws IOException {
        if (k < 1) {
            throw new ParameterException(spec.commandLine(), "-k must be >= 1, got " + k);
        }
        if (who.users != null) {
            return recommendMany();
        }
        CommonOptions.rejectGiven(spec, "--user, which prints its table", history == null ? List.of("--out", "--force", "--strict")
                : List.of("--out", "--force"));
        checkHistory();
        String user = who.user;
        common.apply();
        Kernels kernels = Kernels.get().rowInvariant(); // a user's scores must not depend on the batch
        try (Source m = open(kernels, spec.commandLine().getErr())) {
            Interactions positives = m.positives();
            m.reportSkipped(new BatchRecommender.Users(new int[0], 0, null), null);
            int u = positives.users().index(user);
            if (u < 0) {
                throw new ParameterException(spec.commandLine(), "--user: no user '" + user + "' in " + positives.source());
            }
            SavedModels.Recommendation rec = SavedModels.recommend(m.loaded(), positives, u, k, kernels);
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

    /** {@code --users}: every listed user's top k into {@code --out}; unknown users counted, or fatal with --strict. */
    private int recommendMany() throws IOException {
        if (out == null) {
            throw new ParameterException(spec.commandLine(), "--users needs --out FILE (.csv or .jsonl, optionally .gz)");
        }
        boolean all = who.users.equals("all");
        if (all) {
            if (history == null) {
                CommonOptions.rejectGiven(spec, "--users all, whose users are all in the data", List.of("--strict"));
            }
        } else if (!Files.isRegularFile(Path.of(who.users))) {
            throw new ParameterException(spec.commandLine(), "--users " + who.users + ": no such file (or 'all')");
        }
        checkHistory();
        BatchRecommender.checkOut(out, force);
        common.apply();
        Kernels kernels = Kernels.get().rowInvariant(); // a user's scores must not depend on the batch
        PrintWriter err = spec.commandLine().getErr();
        try (Source m = open(kernels, err)) {
            Interactions positives = m.positives();
            BatchRecommender.Users users;
            if (all) {
                users = m.data() == null ? BatchRecommender.allUsers(positives)
                        : BatchRecommender.splitUsers(m.data().split(err), positives);
            } else {
                users = BatchRecommender.fileUsers(Path.of(who.users), positives, strict);
            }
            // on a terminal, a bar redrawn in place; logs get the start and end lines only
            BatchRecommender.Summary s = new BatchRecommender(m.loaded(), positives, kernels)
                    .write(users.rows(), k, out, force, err, System.console() != null);
            if (s.shortLists() > 0) {
                err.printf(Locale.ROOT, "-k %d exceeds the catalogue items %,d users have not seen; their lists are"
                        + " shorter%n", k, s.shortLists());
            }
            m.reportSkipped(users, who.users);
            spec.commandLine().getOut().printf(Locale.ROOT, "wrote the top %d items of %,d users to %s%n", k, s.users(), out);
        }
        return 0;
    }

    private void checkHistory() {
        if (history != null && !Files.isRegularFile(history)) {
            throw new ParameterException(spec.commandLine(), "--history " + history + ": no such file");
        }
    }

    /** The model and the users' clicks: the model's data ({@code data}), or the history ({@code history}). */
    private record Source(ModelFile.Loaded loaded, SavedModels.WithData data, BatchRecommender.History history,
                          Path historyFile, PrintWriter err) implements AutoCloseable {

        Interactions positives() {
            return data != null ? data.positives() : history.positives();
        }

        /** Prints the one line on unknown users and items, if any was skipped. */
        void reportSkipped(BatchRecommender.Users users, String usersFile) {
            String line = BatchRecommender.skipped(users, usersFile, positives().source(), history, historyFile);
            if (line != null) {
                err.println(line);
            }
        }

        @Override
        public void close() {
            loaded.close();
        }
    }

    private Source open(Kernels kernels, PrintWriter err) throws IOException {
        if (history == null) {
            SavedModels.WithData m = SavedModels.loadWithData(model.file, kernels, err, common.dataDir(), fileFormat.options());
            return new Source(m.loaded(), m, null, null, err);
        }
        ModelFile.Loaded loaded = SavedModels.load(model.file, kernels);
        try {
            return new Source(loaded, null, BatchRecommender.history(err, history, fileFormat.options(), loaded.items(), strict),
                    history, err);
        } catch (IOException | RuntimeException e) {
            loaded.close();
            throw e;
        }
    }
}
