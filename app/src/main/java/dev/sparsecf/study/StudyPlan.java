package dev.sparsecf.study;

import dev.sparsecf.render.Progress;

import dev.sparsecf.eval.EvaluationResult;
import dev.sparsecf.run.RunLock;
import dev.sparsecf.run.TrainingRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The cells of one dataset: the grid (variants x seeds), the rows already on disk, and what is left, in the order
 * they run: the constant sweep, then the matched grid once its beta is chosen ({@link #matchedGrid}), then the rest;
 * within each, seed by seed. A closed form (EASE, EDLAE, DLAE) is deterministic on the study's one split, so it runs
 * for the first seed only.
 */
final class StudyPlan {

    final String dataset;
    final CellStore store;
    private final List<StudyVariant> variants;
    private final List<Long> seeds;
    private final List<StudyCells.Cell> done;
    /** The cells on disk when the run started, discarded ones included: their times estimate the cells to run. */
    private final List<StudyCells.Cell> timed;
    /** Cells a run could not start (EASE too big for memory): not tried again in that run. */
    private final List<Todo> skipped = new ArrayList<>();

    /** One cell to run. */
    record Todo(StudyVariant variant, long seed) {
    }

    StudyPlan(String dataset, CellStore store, List<StudyVariant> variants, List<Long> seeds, List<StudyCells.Cell> done,
              List<StudyCells.Cell> timed) {
        this.dataset = dataset;
        this.store = store;
        this.variants = new ArrayList<>(variants);
        this.seeds = seeds;
        this.done = new ArrayList<>(done);
        this.timed = new ArrayList<>(timed);
    }

    int total() {
        return variants.stream().mapToInt(v -> seedsOf(v).size()).sum();
    }

    /** The seeds {@code v} runs on: all of them, or the first for a closed form. */
    private List<Long> seedsOf(StudyVariant v) {
        return v.family().isClosedForm() ? seeds.subList(0, 1) : seeds;
    }

    /** The cells still to run, in run order: by phase (sweep, matched grid, rest), then seed, then grid order. */
    List<Todo> todo() {
        List<Todo> todo = new ArrayList<>();
        for (StudyVariant v : variants) {
            for (long seed : seedsOf(v)) {
                if (!isDone(v, seed) && !skipped.contains(new Todo(v, seed))) {
                    todo.add(new Todo(v, seed));
                }
            }
        }
        todo.sort(Comparator.comparingInt((Todo t) -> phase(t.variant())).thenComparingInt(t -> seeds.indexOf(t.seed()))
                .thenComparingInt(t -> variants.indexOf(t.variant())));
        return todo;
    }

    /**
     * For the plan line: how many of the cells to run another run sharing the folder holds now, and how many of the
     * others continue from the checkpoint a stopped run left (under {@link CellStore#RUNNING}).
     */
    String underWay() throws IOException {
        int held = 0;
        int continuing = 0;
        for (Todo t : todo()) {
            Path dir = store.running(t.variant(), t.seed());
            if (RunLock.isHeld(dir)) {
                held++;
            } else if (Files.exists(dir.resolve(TrainingRun.CHECKPOINT_FILE))) {
                continuing++;
            }
        }
        List<String> parts = new ArrayList<>();
        if (continuing > 0) {
            parts.add(continuing + " continuing from a checkpoint");
        }
        if (held > 0) {
            parts.add(held + " under way in another run");
        }
        return parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")";
    }

    /** 0 for the constant sweep, 1 for the matched grid, 2 for everything else. */
    private static int phase(StudyVariant v) {
        if (StudyVariant.isSweepConstant(v)) {
            return 0;
        }
        return v.family() == StudyVariant.Family.CONSTANT || v.family() == StudyVariant.Family.PERUSER
                || v.family() == StudyVariant.Family.KLTARGET ? 1 : 2;
    }

    /** Adds the {@code extra} variants not planned yet (the matched grid once its beta is known). */
    void extend(List<StudyVariant> extra) {
        for (StudyVariant v : extra) {
            if (variants.stream().noneMatch(w -> w.id().equals(v.id()))) {
                variants.add(v);
            }
        }
    }

    /**
     * The matched grid ({@link StudyVariant#matchedGrid}) and its log line: around the centre a run fixed in
     * {@value MatchedCentre#FILE}, else around the one {@link #chooseCentre} chooses now, which is fixed there when
     * {@code fix} (unless a run sharing the folder fixed another first: that one is the grid then); null while no
     * centre is fixed and a sweep cell of some seed is not done.
     */
    Matched matchedGrid(boolean fix) throws IOException {
        MatchedCentre kept = MatchedCentre.read(store.dir());
        if (kept != null) {
            return new Matched(kept.grid(), kept.line(dataset) + " (as " + MatchedCentre.FILE + " fixed it)");
        }
        MatchedCentre chosen = chooseCentre();
        if (chosen == null) {
            return null;
        }
        MatchedCentre c = fix ? store.fixCentre(chosen) : chosen;
        return new Matched(c.grid(), c.line(dataset) + (c.equals(chosen) ? "" : " (as another run fixed it)"));
    }

    /**
     * The constant of the sweep with the best mean validation NDCG@100 over the seeds, the grid's centre and its KL
     * target; null while a sweep cell of some seed is not done. A chosen beta of 0 has no per-user variant at its
     * mean, so the grid then centres on the best positive beta. The KL target is that constant's mean KL per test
     * user ({@code kl_mean}, nats, at the tested epoch) over the seeds; the controller steers the training batches'
     * mean KL to it.
     */
    MatchedCentre chooseCentre() {
        List<StudyVariant> sweep = StudyVariant.grid().stream().filter(StudyVariant::isSweepConstant).toList();
        StudyVariant best = null;
        StudyVariant bestPositive = null;
        double bestNdcg = Double.NEGATIVE_INFINITY;
        double bestPositiveNdcg = Double.NEGATIVE_INFINITY;
        for (StudyVariant v : sweep) {
            double ndcg = meanOverSeeds(v, StudyCells.Cell::validationNdcg);
            if (Double.isNaN(ndcg)) {
                return null;
            }
            if (ndcg > bestNdcg) {
                best = v;
                bestNdcg = ndcg;
            }
            if (v.param() > 0 && ndcg > bestPositiveNdcg) {
                bestPositive = v;
                bestPositiveNdcg = ndcg;
            }
        }
        StudyVariant centre = best.param() > 0 ? best : bestPositive;
        return new MatchedCentre(best.id(), bestNdcg, seeds.size(), centre.param(),
                meanOverSeeds(centre, StudyCells.Cell::klMean));
    }

    /** The matched grid and the log line that says how it was chosen. */
    record Matched(List<StudyVariant> variants, String line) {
    }

    /** The mean of {@code value} over the seeds of {@code v}'s finished cells; NaN if a seed's cell or value is missing. */
    private double meanOverSeeds(StudyVariant v, java.util.function.Function<StudyCells.Cell, Double> value) {
        double sum = 0;
        for (long seed : seeds) {
            StudyCells.Cell c = done.stream().filter(d -> d.sameCell(v.id(), seed)).findFirst().orElse(null);
            Double x = c == null ? null : value.apply(c);
            if (x == null || x.isNaN()) {
                return Double.NaN;
            }
            sum += x;
        }
        return sum / seeds.size();
    }

    /** Leaves the cell of {@code v} and {@code seed} out of this run (it could not start). */
    void skip(StudyVariant v, long seed) {
        skipped.add(new Todo(v, seed));
    }

    /** Records the finished {@code cell} and adds its row to the dataset's, keeping those other runs added meanwhile. */
    void finish(StudyCells.Cell cell) throws IOException {
        List<StudyCells.Cell> saved = store.update(cells -> {
            List<StudyCells.Cell> all = new ArrayList<>(cells);
            all.add(cell);
            return all;
        });
        timed.add(cell);
        take(saved);
    }

    /** Takes in the cells that other runs sharing the folder have finished since this run read it. */
    void refresh() throws IOException {
        take(store.read());
    }

    private void take(List<StudyCells.Cell> onDisk) {
        done.clear();
        done.addAll(onDisk);
        onDisk.stream().filter(c -> !timed.contains(c)).forEach(timed::add);
    }

    /** A cell of {@code v} and {@code seed} on this dataset, with its split and test metrics filled in. */
    StudyCells.Cell.Builder cell(StudyVariant v, long seed, String splitFingerprint, EvaluationResult test) {
        return StudyCells.Cell.builder().dataset(dataset).variant(v.id()).family(v.family().label).param(v.param()).seed(seed)
                .exponent(v.exponent()).test(test).splitFingerprint(splitFingerprint);
    }

    boolean isDone(StudyVariant v, long seed) {
        return done.stream().anyMatch(c -> c.sameCell(v.id(), seed));
    }

    int remaining() {
        return todo().size();
    }

    /**
     * The time the cells still to run are expected to take, from the finished cells of the same cost, and how
     * many are of a cost not timed yet on this dataset.
     */
    String timeLeft() {
        List<Todo> todo = todo();
        if (todo.isEmpty()) {
            return "done";
        }
        double seconds = 0;
        int untimed = 0;
        for (Todo t : todo) {
            // seconds a cell of the variant is expected to take, from the finished ones (NaN before the first of its kind)
            double e = StudyCells.expectedSeconds(timed, t.variant().family());
            untimed += Double.isNaN(e) ? 1 : 0;
            seconds += Double.isNaN(e) ? 0 : e;
        }
        if (untimed == todo.size()) {
            return "time unknown (no finished cell of the kinds left)";
        }
        return "about " + Progress.duration(seconds) + (untimed == 0 ? ""
                : " (+ " + untimed + " cell(s) of a kind not yet timed here)");
    }
}
