package dev.sparsecf.study;

import dev.sparsecf.data.AtomicFile;
import dev.sparsecf.data.DataSplit;
import dev.sparsecf.eval.EvaluationResult;
import dev.sparsecf.eval.Metric;
import dev.sparsecf.models.LatentStats;
import dev.sparsecf.run.RunLock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * The files of one dataset's folder of a study: {@value StudyCells#FILE} and, per cell, its per-user, per-latent-dim
 * and per-epoch files ({@code users/}, {@code latent/}, {@code history/<variant>__s<seed>.csv}). Every file is
 * replaced whole through a temporary file and an atomic rename, so an interrupted run never leaves half a file.
 */
public final class CellStore {

    private static final String USERS = "users";
    private static final String LATENT = "latent";
    private static final String HISTORY = "history";
    /**
     * Where the cells under way live, in the dataset's folder: {@code running/<variant>-seed<seed>/}, holding a
     * run's claim on the cell and a Mult-VAE/DAE cell's checkpoint; removed once the cell's row is saved.
     */
    static final String RUNNING = "running";
    /** The lock file of {@link #update}: runs sharing the folder take turns at {@value StudyCells#FILE}. */
    static final String LOCK = ".cells.lock";

    private final Path dir;

    /** The store in folder {@code dir}. */
    public CellStore(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    /** The finished cells ({@link StudyCells#read}). */
    public List<StudyCells.Cell> read() throws IOException {
        return StudyCells.read(dir.resolve(StudyCells.FILE));
    }

    /** Replaces {@value StudyCells#FILE} by {@code cells}. */
    public void save(List<StudyCells.Cell> cells) throws IOException {
        StudyCells.write(dir.resolve(StudyCells.FILE), cells);
    }

    /**
     * Replaces {@value StudyCells#FILE} by {@code change} applied to the cells in it now, holding the folder's lock,
     * so that runs sharing the folder keep each other's rows; returns the cells saved.
     */
    public List<StudyCells.Cell> update(UnaryOperator<List<StudyCells.Cell>> change) throws IOException {
        return SharedFileLock.locked(dir.resolve(LOCK), () -> {
            List<StudyCells.Cell> cells = change.apply(read());
            save(cells);
            return cells;
        });
    }

    /**
     * Fixes {@code proposed} as the dataset's matched grid centre ({@value MatchedCentre#FILE}) holding the folder's
     * lock, unless a run sharing the folder fixed one first; returns the centre fixed.
     */
    MatchedCentre fixCentre(MatchedCentre proposed) throws IOException {
        return SharedFileLock.locked(dir.resolve(LOCK), () -> {
            MatchedCentre fixed = MatchedCentre.read(dir);
            if (fixed != null) {
                return fixed;
            }
            proposed.write(dir);
            return proposed;
        });
    }

    /** The folder of {@code v}'s cell on {@code seed} while it is under way. */
    Path running(StudyVariant v, long seed) {
        return dir.resolve(RUNNING).resolve(v.id() + "-seed" + seed);
    }

    /**
     * Removes the folder of a finished cell under {@value #RUNNING}: its files, then the claim's lock file, then the
     * folder, unless a run that claimed it anew meanwhile (and will find the row) put its own lock file there.
     */
    static void removeRunning(Path cell) throws IOException {
        if (!Files.isDirectory(cell)) {
            return;
        }
        deleteFilesBesideClaim(cell);
        Files.deleteIfExists(cell.resolve(RunLock.FILE));
        try {
            Files.deleteIfExists(cell);
        } catch (DirectoryNotEmptyException claimedAgain) {
            // that run removes it
        }
    }

    /** Deletes the files of a cell's folder under {@value #RUNNING} but a claim's lock file. */
    static void deleteFilesBesideClaim(Path cell) throws IOException {
        try (Stream<Path> left = Files.list(cell)) {
            for (Path f : left.filter(f -> !f.getFileName().toString().equals(RunLock.FILE)).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }

    /** Deletes the per-user, latent and history files of {@code cell} (its row is {@link #save}d away separately). */
    public void deleteFiles(StudyCells.Cell cell) throws IOException {
        for (String sub : List.of(USERS, LATENT, HISTORY)) {
            Files.deleteIfExists(file(sub, cell.variant(), cell.seed()));
        }
    }

    /** One line per evaluated test user: original id, total clicks, the three study metrics and the user's KL. */
    public void writeUsers(String variant, long seed, DataSplit.HeldOut heldOut, EvaluationResult test, LatentStats latent)
            throws IOException {
        int[] rows = test.userRows();
        double[] r20 = test.perUser(Metric.RECALL, 20);
        double[] r50 = test.perUser(Metric.RECALL, 50);
        double[] n100 = test.perUser(Metric.NDCG, 100);
        StringBuilder sb = new StringBuilder("user,clicks,recall20,recall50,ndcg100,kl\n");
        for (int i = 0; i < rows.length; i++) {
            int row = rows[i];
            int clicks = heldOut.foldIn().count(row) + heldOut.eval().count(row);
            sb.append(CsvRows.quote(heldOut.users().id(row))).append(',').append(clicks).append(',')
                    .append(StudyCells.num(r20[i])).append(',').append(StudyCells.num(r50[i])).append(',')
                    .append(StudyCells.num(n100[i])).append(',')
                    .append(latent == null ? "" : StudyCells.num(latent.userKl()[row])).append('\n');
        }
        writeAtomically(file(USERS, variant, seed), sb.toString());
    }

    /** One line per latent dimension: its mean KL over the test users and the variance of its posterior means. */
    public void writeLatent(String variant, long seed, LatentStats latent) throws IOException {
        StringBuilder sb = new StringBuilder("dim,kl_mean,mu_variance\n");
        for (int d = 0; d < latent.klPerDim().length; d++) {
            sb.append(d).append(',').append(StudyCells.num(latent.klPerDim()[d])).append(',')
                    .append(StudyCells.num(latent.muVariance()[d])).append('\n');
        }
        writeAtomically(file(LATENT, variant, seed), sb.toString());
    }

    /** The per-epoch history CSV {@code csv} of a cell. */
    public void writeHistory(String variant, long seed, String csv) throws IOException {
        writeAtomically(file(HISTORY, variant, seed), csv);
    }

    private Path file(String sub, String variant, long seed) {
        return dir.resolve(sub).resolve(variant + "__s" + seed + ".csv");
    }

    /** Writes {@code text} (UTF-8) to {@code file} through {@link AtomicFile}. */
    public static void writeAtomically(Path file, String text) throws IOException {
        AtomicFile.write(file, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }
}
