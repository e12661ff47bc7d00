package dev.sparsecf.run;

import dev.sparsecf.data.AtomicFile;
import dev.sparsecf.data.DataSplit;
import dev.sparsecf.data.FileOptions;
import dev.sparsecf.data.IdMap;
import dev.sparsecf.data.InteractionFiles;
import dev.sparsecf.data.Interactions;
import dev.sparsecf.data.KnownItems;
import dev.sparsecf.kernels.CsrMatrix;
import dev.sparsecf.kernels.DenseMatrix;
import dev.sparsecf.kernels.Kernels;
import dev.sparsecf.models.ModelFile;
import dev.sparsecf.render.Progress;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Locale;
import java.util.stream.IntStream;
import java.util.zip.GZIPOutputStream;

/**
 * {@code recommend --users}: the top-k unseen items of many users of a saved model's dataset, or of users new to
 * it from their clicks in a history file (fold-in: EASE scores {@code x_u B}, Mult-VAE decodes the encoder's mean),
 * scored in batches and ranked by {@link Kernels#topK}, streamed to a file written atomically. Each user's list is
 * the one {@link SavedModels#recommend} gives that user: the same items, order and scores.
 */
public final class BatchRecommender {

    /** The user rows to recommend for, in output order, and the listed ids the data does not have. */
    public record Users(int[] rows, int unknown, String firstUnknown) {
    }

    /** A history file's users and their clicks on the model's items, and the unknown items it named. */
    public record History(Interactions positives, KnownItems unknown) {
    }

    /** What a run wrote: {@code users} lists, {@code items} rows in all, {@code short} lists cut by the unseen items. */
    public record Summary(int users, long items, int shortLists) {
    }

    /** Opens the format's writer on the (possibly gzip) text stream of the temporary file. */
    @FunctionalInterface
    interface Format {
        RecommendationWriter open(Path out, Writer text) throws IOException;
    }

    private final ModelFile.Loaded loaded;
    private final Interactions positives;
    private final Kernels kernels;

    /** Recommends with {@code loaded} for the users of {@code positives}, the data it was trained on. */
    public BatchRecommender(ModelFile.Loaded loaded, Interactions positives, Kernels kernels) {
        this.loaded = loaded;
        this.positives = positives;
        this.kernels = kernels;
    }

    /**
     * The users of {@code split} ({@code --users all}): its training, validation and test users, in the dataset's
     * order; users with too few clicks to enter the split are not among them.
     */
    public static Users splitUsers(DataSplit split, Interactions positives) {
        BitSet in = new BitSet(positives.numUsers());
        for (IdMap users : new IdMap[] {split.train().users(), split.validation().users(), split.test().users()}) {
            for (String id : users.ids()) {
                in.set(positives.users().index(id));
            }
        }
        return new Users(in.stream().toArray(), 0, null);
    }

    /** Every user of {@code positives} ({@code --users all} with {@code --history}), in its order. */
    public static Users allUsers(Interactions positives) {
        return new Users(IntStream.range(0, positives.numUsers()).toArray(), 0, null);
    }

    /**
     * The clicks of {@code file} ({@code --history}), read by {@code options} without their count rules, on the
     * model's {@code items}: a pair of another item is skipped and counted, or with {@code strict} an error naming
     * the file, line and id; timed on {@code err}.
     */
    public static History history(PrintWriter err, Path file, FileOptions options, IdMap items, boolean strict)
            throws IOException {
        Progress p = Progress.start(err, "loading the history " + file);
        KnownItems known = new KnownItems(items, strict);
        Interactions x;
        try {
            x = InteractionFiles.load(file, options.withoutCountRules(), known).positives();
        } catch (IllegalArgumentException e) {
            // an option that does not fit the file (e.g. --user-col); bad lines are IOExceptions
            throw new UsageException("--history: " + e.getMessage());
        }
        p.done(String.format(Locale.ROOT, "loaded the history of %,d users: %,d clicks on the model's items", x.numUsers(),
                x.size()));
        return new History(x, known);
    }

    /**
     * One line on what was skipped: users of {@code usersFile} not in the data and pairs of the history naming
     * items the model lacks; null when nothing was.
     */
    public static String skipped(Users users, String usersFile, String data, History history, Path historyFile) {
        StringBuilder sb = new StringBuilder();
        if (users.unknown() > 0) {
            sb.append(String.format(Locale.ROOT, "%,d users of %s who are not in %s (first: %s)", users.unknown(), usersFile,
                    data, users.firstUnknown()));
        }
        if (history != null && history.unknown().pairsSkipped() > 0) {
            sb.append(sb.isEmpty() ? "" : " and ").append(String.format(Locale.ROOT,
                    "%,d clicks of %s on %,d items the model does not have (first: %s)", history.unknown().pairsSkipped(),
                    historyFile, history.unknown().unknownItems(), history.unknown().first()));
        }
        return sb.isEmpty() ? null : "skipped " + sb + "; --strict makes this an error";
    }

    /**
     * The users listed in {@code file}, one id per line (blank lines skipped), as {@code --user} finds them; ids
     * the data lacks are counted, or with {@code strict} the first is a usage error.
     */
    public static Users fileUsers(Path file, Interactions positives, boolean strict) throws IOException {
        IntStream.Builder rows = IntStream.builder();
        int unknown = 0;
        String first = null;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int line = 0;
            for (String s = in.readLine(); s != null; s = in.readLine()) {
                line++;
                String id = (line == 1 && s.startsWith("\uFEFF") ? s.substring(1) : s).strip();
                if (id.isEmpty()) {
                    continue;
                }
                int u = positives.users().index(id);
                if (u >= 0) {
                    rows.add(u);
                } else if (strict) {
                    throw new UsageException("--users " + file + ":" + line + ": no user '" + id + "' in "
                            + positives.source() + " (--strict)");
                } else if (unknown++ == 0) {
                    first = "'" + id + "' on line " + line;
                }
            }
        }
        return new Users(rows.build().toArray(), unknown, first);
    }

    /** Refuses an {@code out} of no known format, or one that exists without {@code force}, before any work. */
    public static void checkOut(Path out, boolean force) {
        RecommendationWriter.format(out);
        if (Files.exists(out) && !force) {
            throw new UsageException("--out " + out + " exists; pass --force to replace it");
        }
    }

    /** Users scored per batch: the Mult-VAE's batch size, or as many as EASE's score buffer holds. */
    public int batchSize() {
        return switch (loaded) {
            case ModelFile.LoadedVae vae -> vae.model().config().batchSize();
            case ModelFile.LoadedEase ease -> ease.model().batchRows();
        };
    }

    /**
     * Writes the top {@code k} of each of {@code users} to {@code out} (format by its name) via a hidden sibling
     * temporary file renamed into place at the end, so a failed or killed run leaves no partial {@code out}; the
     * progress goes to {@code err}, as a bar redrawn in place when {@code bar}.
     */
    public Summary write(int[] users, int k, Path out, boolean force, PrintWriter err, boolean bar) throws IOException {
        return write(users, k, out, force, err, bar, RecommendationWriter::forFile);
    }

    Summary write(int[] users, int k, Path out, boolean force, PrintWriter err, boolean bar, Format format)
            throws IOException {
        checkOut(out, force);
        Progress p = Progress.start(err, String.format(Locale.ROOT, "recommending %d items to each of %,d users into %s",
                k, users.length, out));
        Summary[] s = new Summary[1];
        AtomicFile.write(out, file -> {
            OutputStream raw = RecommendationWriter.gzip(out) ? new GZIPOutputStream(file, 1 << 16) : file;
            Writer text = new BufferedWriter(new OutputStreamWriter(raw, StandardCharsets.UTF_8), 1 << 16);
            RecommendationWriter w = format.open(out, text);
            s[0] = stream(users, k, w, (done, seconds) -> {
                if (bar) {
                    err.print(Progress.bar("users", done, users.length, seconds));
                    err.flush();
                }
            });
            w.finish();
            text.close(); // writes the gzip trailer before the rename
        });
        p.done(String.format(Locale.ROOT, "%swrote %,d users, %,d recommendations", bar ? "\n" : "", s[0].users(),
                s[0].items()));
        return s[0];
    }

    /** Called after each batch with the users done and the seconds since the start. */
    @FunctionalInterface
    interface BatchDone {
        void after(int done, double seconds);
    }

    /** Scores {@code users} batch by batch and hands each one's top {@code k} unseen items to {@code w}. */
    private Summary stream(int[] users, int k, RecommendationWriter w, BatchDone progress) throws IOException {
        IdMap items = loaded.items();
        int n = items.size();
        int kb = Math.min(k, n);
        int batch = batchSize();
        int[] top = new int[Math.multiplyExact(batch, kb)];
        int[] column = SavedModels.columns(items, positives);
        String[] ids = new String[kb];
        float[] best = new float[kb];
        long written = 0;
        int shortLists = 0;
        long start = System.nanoTime();
        for (int from = 0; from < users.length; from += batch) {
            int m = Math.min(batch, users.length - from);
            int[] rowPtr = new int[m + 1];
            int[][] seen = new int[m][];
            for (int r = 0; r < m; r++) {
                seen[r] = SavedModels.seenColumns(column, positives, users[from + r]);
                rowPtr[r + 1] = rowPtr[r] + seen[r].length;
            }
            int[] colIdx = Arrays.stream(seen).flatMapToInt(Arrays::stream).toArray();
            try (CsrMatrix rows = CsrMatrix.binary(m, n, rowPtr, colIdx)) {
                DenseMatrix scores = SavedModels.score(loaded, rows);
                kernels.topK(scores, rows, kb, top);
                for (int r = 0; r < m; r++) {
                    // as for one user: at most the unseen items; the kernel's ranking is total, so this is its prefix
                    int kk = Math.min(k, n - seen[r].length);
                    for (int j = 0; j < kk; j++) {
                        ids[j] = items.id(top[r * kb + j]);
                        best[j] = scores.get(r, top[r * kb + j]);
                    }
                    w.user(positives.users().id(users[from + r]), ids, best, kk);
                    written += kk;
                    shortLists += kk < k ? 1 : 0;
                }
            }
            progress.after(from + m, (System.nanoTime() - start) / 1e9);
        }
        return new Summary(users.length, written, shortLists);
    }
}
