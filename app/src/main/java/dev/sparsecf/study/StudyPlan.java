package dev.sparsecf.study;

import dev.sparsecf.render.Progress;

import dev.sparsecf.eval.EvaluationResult;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** The cells of one dataset: the grid (variants x seeds), the rows already on disk, and what is left. */
final class StudyPlan {

    final String dataset;
    final CellStore store;
    private final List<StudyVariant> variants;
    private final List<Long> seeds;
    private final List<StudyCells.Cell> done;
    /** The cells on disk when the run started, discarded ones included: their times estimate the cells to run. */
    private final List<StudyCells.Cell> timed;

    StudyPlan(String dataset, CellStore store, List<StudyVariant> variants, List<Long> seeds, List<StudyCells.Cell> done,
              List<StudyCells.Cell> timed) {
        this.dataset = dataset;
        this.store = store;
        this.variants = variants;
        this.seeds = seeds;
        this.done = new ArrayList<>(done);
        this.timed = new ArrayList<>(timed);
    }

    int total() {
        return variants.size() * seeds.size();
    }

    /** The variants still to run for {@code seed}, in grid order. */
    List<StudyVariant> todo(long seed) {
        return variants.stream().filter(v -> !isDone(v, seed)).toList();
    }

    /** Records the finished {@code cell} and saves every finished cell of the dataset. */
    void finish(StudyCells.Cell cell) throws IOException {
        done.add(cell);
        timed.add(cell);
        store.save(done);
    }

    /** A cell of {@code v} and {@code seed} on this dataset, with its split and test metrics filled in. */
    StudyCells.Cell.Builder cell(StudyVariant v, long seed, String splitFingerprint, EvaluationResult test) {
        return StudyCells.Cell.builder().dataset(dataset).variant(v.id()).family(v.family().label).param(v.param()).seed(seed)
                .test(test).splitFingerprint(splitFingerprint);
    }

    private boolean isDone(StudyVariant v, long seed) {
        return done.stream().anyMatch(c -> c.sameCell(v.id(), seed));
    }

    int remaining() {
        int n = 0;
        for (long seed : seeds) {
            n += todo(seed).size();
        }
        return n;
    }

    /**
     * The time the cells still to run are expected to take, from the finished cells of the same cost, and how
     * many are of a cost not timed yet on this dataset.
     */
    String timeLeft() {
        if (remaining() == 0) {
            return "done";
        }
        double seconds = 0;
        int untimed = 0;
        for (long seed : seeds) {
            for (StudyVariant v : todo(seed)) {
                // seconds a cell of v is expected to take, from the finished ones (NaN before the first of its kind)
                double e = StudyCells.expectedSeconds(timed, v.family());
                untimed += Double.isNaN(e) ? 1 : 0;
                seconds += Double.isNaN(e) ? 0 : e;
            }
        }
        if (untimed == remaining()) {
            return "time unknown (no finished cell of the kinds left)";
        }
        return "about " + Progress.duration(seconds) + (untimed == 0 ? ""
                : " (+ " + untimed + " cell(s) of a kind not yet timed here)");
    }
}
