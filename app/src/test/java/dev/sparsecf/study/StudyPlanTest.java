package dev.sparsecf.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run order of a dataset's cells and the matched grid's choice of its centre. */
class StudyPlanTest {

    private static final List<Long> SEEDS = List.of(0L, 1L);

    private static StudyCells.Cell cell(String variant, long seed, double validation, double kl) {
        return StudyCells.Cell.builder().dataset("d").variant(variant).family("constant").seed(seed).validationNdcg(validation)
                .klMean(kl).splitFingerprint("fp").build();
    }

    /** The sweep on two seeds, validation NDCG peaking at {@code best} (seed 1 a bit lower), KL falling with beta. */
    private static List<StudyCells.Cell> sweep(double best) {
        List<StudyCells.Cell> cells = new ArrayList<>();
        for (StudyVariant v : StudyVariant.grid()) {
            if (StudyVariant.isSweepConstant(v)) {
                for (long seed : SEEDS) {
                    cells.add(cell(v.id(), seed, 0.4 - Math.abs(v.param() - best) - 0.01 * seed, 100 / (1 + 10 * v.param()) + seed));
                }
            }
        }
        return cells;
    }

    private static StudyPlan plan(List<StudyCells.Cell> done) {
        return new StudyPlan("d", new CellStore(Path.of("unused")), StudyVariant.grid(), SEEDS, done, done);
    }

    @Test
    void matchedGridCentresOnTheConstantValidationChoosesWithItsMeanKl() throws IOException {
        StudyPlan.Matched m = plan(sweep(0.05)).matchedGrid(false);
        List<String> ids = m.variants().stream().map(StudyVariant::id).toList();
        assertTrue(ids.containsAll(List.of("const-0.025", "peruser-m0.05-g1", "const-0.1", "peruser-m0.1-g-0.5")), ids.toString());
        // KL of const-0.05: 100 / 1.5 on seed 0, one more on seed 1; mean 67.17, to three digits
        assertEquals("kltarget-67.2", ids.getLast());
        assertTrue(m.line().contains("validation chooses const-0.05"), m.line());
    }

    @Test
    void aChosenBetaOfZeroCentresOnTheBestPositiveOne() throws IOException {
        StudyPlan.Matched m = plan(sweep(0)).matchedGrid(false);
        assertTrue(m.line().contains("validation chooses const-0 ") && m.line().contains("centres on the best positive one, const-0.01"),
                m.line());
        assertEquals("peruser-m0.005-g-1", m.variants().getFirst().id());
    }

    @Test
    void noMatchedGridUntilEverySeedOfTheSweepIsDone() throws IOException {
        List<StudyCells.Cell> done = sweep(0.2);
        done.removeLast();
        assertNull(plan(done).matchedGrid(false));
    }

    /**
     * The first run to plan the grid fixes its centre; a later run on three seeds, whose own seeds would choose 0.1
     * and whose sweep is not done on the third, keeps that grid (0.05) at once instead of waiting for a second one;
     * a run that proposes another centre after it was fixed gets the fixed one.
     */
    @Test
    void theFirstRunFixesTheCentreAndLaterRunsKeepIt(@TempDir Path dir) throws IOException {
        CellStore store = new CellStore(dir);
        StudyPlan first = new StudyPlan("d", store, StudyVariant.grid(), SEEDS, sweep(0.05), List.of());
        assertNull(MatchedCentre.read(dir), "a dry run's preview fixes nothing");
        first.matchedGrid(false);
        assertNull(MatchedCentre.read(dir));
        List<String> grid = first.matchedGrid(true).variants().stream().map(StudyVariant::id).toList();
        assertEquals(new MatchedCentre("const-0.05", 0.395, 2, 0.05, (100 / 1.5 + 100 / 1.5 + 1) / 2),
                MatchedCentre.read(dir));

        List<StudyCells.Cell> later = new ArrayList<>(sweep(0.1));
        later.add(cell("const-0.1", 2, 0.5, 30)); // seed 2 has only this cell of the sweep
        StudyPlan second = new StudyPlan("d", store, StudyVariant.grid(), List.of(0L, 1L, 2L), later, List.of());
        assertNull(new StudyPlan("d", new CellStore(dir.resolve("none")), StudyVariant.grid(), List.of(0L, 1L, 2L), later,
                List.of()).matchedGrid(false), "without the fixed centre the sweep's third seed is awaited");
        StudyPlan.Matched kept = second.matchedGrid(true);
        assertEquals(grid, kept.variants().stream().map(StudyVariant::id).toList());
        assertTrue(kept.line().contains("validation chooses const-0.05 (mean validation NDCG@100 0.3950 over 2 seeds)")
                && kept.line().endsWith("(as matched.json fixed it)"), kept.line());

        MatchedCentre other = new MatchedCentre("const-0.1", 0.4, 2, 0.1, 50);
        assertEquals(MatchedCentre.read(dir), store.fixCentre(other), "the centre fixed first stays");
    }

    @Test
    void aDamagedCentreFileIsAOneLineError(@TempDir Path dir) throws IOException {
        java.nio.file.Files.writeString(dir.resolve(MatchedCentre.FILE), "{\"chosen\": \"const-0.5\", \"centre\": \"x\"}");
        dev.sparsecf.run.UsageException e = org.junit.jupiter.api.Assertions.assertThrows(
                dev.sparsecf.run.UsageException.class, () -> MatchedCentre.read(dir));
        assertEquals(dir.resolve(MatchedCentre.FILE) + ": 'validationNdcg' is missing; restore the file, or delete it to"
                + " choose the matched grid's centre again", e.getMessage());
    }

    @Test
    void theSweepRunsFirstSeedBySeedThenTheMatchedGridThenTheRestAndClosedFormsOnce() {
        StudyPlan p = plan(List.of());
        List<StudyPlan.Todo> todo = p.todo();
        assertEquals(10 * 2 + 7 * 2 + 3, todo.size());
        assertEquals(new StudyPlan.Todo(StudyVariant.grid().getFirst(), 0), todo.getFirst());
        assertEquals(0L, todo.get(9).seed());
        assertEquals("const-0", todo.get(10).variant().id());
        assertEquals(1L, todo.get(10).seed());
        p.extend(StudyVariant.matchedGrid(0.05, 60));
        List<StudyPlan.Todo> extended = p.todo();
        // the sweep first, then the matched grid's new cells (const-0.1 is in the sweep; const-0.025 is new)
        assertEquals("const-0.025", extended.get(20 + 2).variant().id());
        assertTrue(extended.subList(20, 20 + 2 * 14).stream().allMatch(t -> t.variant().family() != StudyVariant.Family.ANNEAL),
                extended.toString());
        assertEquals(1, extended.stream().filter(t -> t.variant().id().equals("edlae")).count());
    }

    /**
     * Two runs sharing a dataset folder: a row the other run saved after this one read the folder is kept when this
     * run saves its own, and a refresh takes it in, so that the cell is not run again here.
     */
    @Test
    void aRowAnotherRunSavedIsKeptAndTakenIn(@TempDir Path dir) throws IOException {
        CellStore store = new CellStore(dir);
        StudyVariant low = StudyVariant.grid().get(0);
        StudyVariant high = StudyVariant.grid().get(1);
        StudyPlan here = new StudyPlan("d", store, List.of(low, high), SEEDS, List.of(), List.of());
        assertEquals(4, here.remaining());
        StudyCells.Cell theirs = cell(low.id(), 0, 0.3, 10);
        new StudyPlan("d", store, List.of(low, high), SEEDS, List.of(), List.of()).finish(theirs); // the other run
        here.finish(cell(high.id(), 1, 0.3, 10));
        assertEquals(List.of(low.id() + " 0", high.id() + " 1"),
                store.read().stream().map(c -> c.variant() + " " + c.seed()).toList(), "neither run's row is lost");
        assertTrue(here.isDone(low, 0), "finishing reads the rows saved meanwhile");
        assertEquals(2, here.remaining());
        StudyCells.write(dir.resolve(StudyCells.FILE), List.of(theirs, cell(high.id(), 1, 0.3, 10), cell(low.id(), 1, 0.3, 10)));
        here.refresh();
        assertEquals(1, here.remaining());
    }
}
