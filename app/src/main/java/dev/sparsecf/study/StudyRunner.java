package dev.sparsecf.study;

import dev.sparsecf.render.Progress;
import dev.sparsecf.run.DataSteps;
import dev.sparsecf.run.RunLock;
import dev.sparsecf.run.TrainingRun;

import dev.sparsecf.kernels.Kernels;
import dev.sparsecf.data.DataSplit;
import dev.sparsecf.data.Interactions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The resumable scheduler of the beta study: runs every cell of {@link StudySettings} not on disk yet, dataset by
 * dataset and seed by seed, saving each as it finishes and printing progress and the time left on {@code err}.
 * Finished cells are skipped on a restart; a cell interrupted half-way left nothing behind and simply runs again.
 */
public final class StudyRunner {

    private final StudySettings settings;
    private final PrintWriter err;
    private final List<StudyPlan> plans;
    private int cellsPlanned;
    private int cellsDone;
    private long studyStart;

    private StudyRunner(StudySettings settings, PrintWriter err, List<StudyPlan> plans) {
        this.settings = settings;
        this.err = err;
        this.plans = plans;
        this.cellsPlanned = plans.stream().mapToInt(StudyPlan::remaining).sum();
    }

    /**
     * Checks every dataset's {@value StudyProtocol#FILE} against {@code settings} (a {@link dev.sparsecf.run.UsageException}
     * if they differ), discards the {@code redo} cells and records new settings (unless a dry run), and prints per
     * dataset how many cells are done and how many will run.
     */
    public static StudyRunner plan(StudySettings settings, PrintWriter err) throws IOException {
        // every dataset's settings are checked before any is changed, so that a refused run changes nothing
        List<Boolean> newSettings = new ArrayList<>();
        List<List<StudyCells.Cell>> finishedByDataset = new ArrayList<>();
        for (String dataset : settings.datasets()) {
            List<StudyCells.Cell> finished = new CellStore(settings.folder(dataset)).read();
            finishedByDataset.add(finished);
            newSettings.add(settings.protocol(dataset).check(settings.folder(dataset), finished, settings.redoesEase(), err));
        }
        List<StudyPlan> plans = new ArrayList<>();
        for (int d = 0; d < settings.datasets().size(); d++) {
            String dataset = settings.datasets().get(d);
            CellStore store = new CellStore(settings.folder(dataset));
            List<StudyCells.Cell> finished = finishedByDataset.get(d);
            List<StudyCells.Cell> done = discard(settings, store, dataset, finished, err);
            if (newSettings.get(d) && !settings.dryRun()) {
                // only now: had the discard failed, the old rows would still match the old file
                settings.protocol(dataset).write(store.dir());
            }
            StudyPlan plan = new StudyPlan(dataset, store, settings.variants(), settings.seeds(), done, finished);
            if (settings.matched()) {
                StudyPlan.Matched matched = plan.matchedGrid(!settings.dryRun());
                if (matched != null) {
                    plan.extend(matched.variants());
                    err.println(matched.line());
                } else {
                    err.printf(Locale.ROOT, "%s: the matched per-user grid (up to %d variants per seed) is planned once the"
                                    + " constant sweep is done; not counted below%n", dataset,
                            StudyVariant.MATCHED_EXPONENTS.length * StudyVariant.MATCHED_MEAN_MULTIPLES.length + 1);
                }
            }
            plans.add(plan);
        }
        StudyRunner runner = new StudyRunner(settings, err, plans);
        for (StudyPlan p : plans) {
            err.printf(Locale.ROOT, "%s: %d of %d cells done, %d to run%s%s%n", p.dataset, p.total() - p.remaining(),
                    p.total(), p.remaining(), p.underWay(), p.remaining() == 0 ? "" : ", " + p.timeLeft());
        }
        return runner;
    }

    /** The cells this run will train. */
    public int cellsPlanned() {
        return cellsPlanned;
    }

    /**
     * Runs the planned cells with {@code kernels}, after recording the run in {@value StudyJournal#FILE}; stops first,
     * changing nothing, if a dataset with cells to run recorded other kernels in its {@value StudyCompute#FILE}.
     */
    public void run(Kernels kernels) throws IOException {
        StudyCompute compute = StudyCompute.of(kernels);
        List<StudyPlan> unrecorded = new ArrayList<>();
        for (StudyPlan p : plans) {
            if (p.remaining() > 0 && compute.check(p.store.dir())) {
                unrecorded.add(p);
            }
        }
        for (StudyPlan p : unrecorded) {
            compute.write(p.store.dir(), p.dataset, p.store.read().size(), err);
        }
        StudyJournal.append(settings, kernels);
        studyStart = System.nanoTime();
        for (StudyPlan p : plans) {
            if (p.remaining() > 0) {
                runDataset(p, kernels);
            }
        }
        err.printf(Locale.ROOT, "study finished: %d cells in %s; render the tables and plots with: sparsecf study report --dir %s%n",
                cellsDone, Progress.duration((System.nanoTime() - studyStart) / 1e9), settings.root());
    }

    /**
     * The finished cells of {@code dataset} less those of the {@code redo} variants; unless this is a dry run, their
     * rows and their per-user, latent and history files are deleted, and the count is printed either way.
     */
    private static List<StudyCells.Cell> discard(StudySettings settings, CellStore store, String dataset,
                                                 List<StudyCells.Cell> done, PrintWriter err) throws IOException {
        List<StudyCells.Cell> gone = done.stream()
                .filter(c -> settings.redo().stream().anyMatch(v -> v.id().equals(c.variant()))).toList();
        if (gone.isEmpty()) {
            return done;
        }
        List<StudyCells.Cell> kept = done.stream().filter(c -> !gone.contains(c)).toList();
        err.printf(Locale.ROOT, "%s: %s %d finished cell(s) to run again (--redo): %s%n", dataset,
                settings.dryRun() ? "would discard" : "discarding", gone.size(),
                gone.stream().map(c -> c.variant() + " seed " + c.seed()).collect(Collectors.joining(", ")));
        if (!settings.dryRun()) {
            store.update(cells -> cells.stream().filter(c -> !gone.contains(c)).toList());
            for (StudyCells.Cell c : gone) {
                store.deleteFiles(c);
            }
        }
        return kept;
    }

    /**
     * Runs {@code p}'s cells on the dataset's one split (of the split seed; the training seed only initialises and
     * shuffles), adding the matched grid as soon as the constant sweep is complete.
     */
    private void runDataset(StudyPlan p, Kernels kernels) throws IOException {
        Interactions positives = DataSteps.load(err, p.dataset, settings.dataDir(), settings.fileOptions()).positives();
        DataSplit split = DataSteps.split(err, positives, settings.split().apply(settings.splitSeed()));
        String fingerprint = DataSteps.fingerprint(split);
        boolean matchedAdded = !settings.matched();
        boolean leftToOthers = false;
        while (true) {
            refresh(p); // another run sharing the folder may have finished cells since
            if (!matchedAdded) {
                StudyPlan.Matched matched = p.matchedGrid(true);
                if (matched != null) {
                    err.println(matched.line());
                    int unextended = p.remaining();
                    p.extend(matched.variants());
                    cellsPlanned += p.remaining() - unextended;
                    matchedAdded = true;
                }
            }
            List<StudyPlan.Todo> todo = p.todo();
            if (todo.isEmpty()) {
                if (!matchedAdded) {
                    err.printf(Locale.ROOT, leftToOthers
                            ? "%s: the rest of the constant sweep is under way in another run, which adds the matched grid%n"
                            : "%s: no matched grid: this run does not finish the constant sweep (run it with --variants"
                                    + " constant,matched)%n", p.dataset);
                }
                return;
            }
            StudyPlan.Todo next = todo.getFirst();
            StudyVariant v = next.variant();
            long seed = next.seed();
            Path cellDir = p.store.running(v, seed);
            Files.createDirectories(cellDir);
            // the claim: runs sharing the folder each take cells no other run holds
            RunLock claim = RunLock.tryAcquire(cellDir);
            if (claim == null) {
                err.printf(Locale.ROOT, "%s seed %d %s: under way in another run, left to it%n", p.dataset, seed, v.id());
                p.skip(v, seed);
                cellsPlanned--;
                leftToOthers = true;
                continue;
            }
            try (claim) {
                refresh(p); // finished by another run between the plan and the claim
                if (!p.isDone(v, seed)) {
                    runCell(p, split, fingerprint, kernels, v, seed);
                }
                // the row is saved: the claim's folder goes, its lock file last, and a later claim finds the row
                CellStore.removeRunning(cellDir);
            }
        }
    }

    /** Takes in the cells other runs finished; they no longer count as planned here. */
    private void refresh(StudyPlan p) throws IOException {
        int before = p.remaining();
        p.refresh();
        cellsPlanned -= before - p.remaining();
    }

    /** Trains and evaluates one cell and saves its row; a closed form too big for memory is left out of this run. */
    private void runCell(StudyPlan p, DataSplit split, String fingerprint, Kernels kernels, StudyVariant v, long seed)
            throws IOException {
        TrainingRun run = new TrainingRun(p.dataset, seed, split, fingerprint, kernels);
        err.printf(Locale.ROOT, "[%d/%d] %s seed %d %s: %,d train users x %,d items ...%n", cellsDone + 1, cellsPlanned,
                p.dataset, seed, v.id(), split.train().numUsers(), split.train().numItems());
        err.flush();
        StudyCells.Cell cell = v.family().isClosedForm()
                ? EaseCell.run(run, p, v, seed, settings, err)
                : VaeCell.run(run, p, v, seed, settings.epochs().get(p.dataset),
                        settings.patience().get(p.dataset), err);
        if (cell == null) {
            cellsPlanned--;
            p.skip(v, seed);
            return;
        }
        p.finish(cell);
        cellsDone++;
        err.printf(Locale.ROOT, "[%d/%d] %s seed %d %s: test NDCG@100 %.4f ± %.4f, Recall@20 %.4f, Recall@50 %.4f%s"
                        + " in %s; ETA %s%n", cellsDone, cellsPlanned, p.dataset, seed, v.id(), cell.ndcg100(),
                cell.ndcg100Se(), cell.recall20(), cell.recall50(),
                cell.activeUnits() == null ? "" : String.format(Locale.ROOT, ", %d active units, KL %.1f",
                        cell.activeUnits(), cell.klMean()),
                Progress.duration(cell.trainSeconds()), eta(p));
        err.flush();
    }

    /** Time left for this dataset from the mean time of finished cells of the same kind; later datasets are not timed yet. */
    private String eta(StudyPlan current) {
        String text = "for " + current.dataset + ": " + current.timeLeft();
        int index = settings.datasets().indexOf(current.dataset);
        int later = settings.datasets().size() - 1 - index;
        return later > 0 ? text + ", then " + later + " more dataset(s)" : text;
    }
}
