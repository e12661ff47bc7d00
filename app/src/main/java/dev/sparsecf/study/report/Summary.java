package dev.sparsecf.study.report;

import dev.sparsecf.study.StudyCells.Cell;
import dev.sparsecf.study.report.BetaStudyData.Dataset;
import dev.sparsecf.study.report.BetaStudyData.Variant;
import dev.sparsecf.study.report.BetaStudyStats.Estimate;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** A variant's cells summarised over the seeds done; estimates have n = 0 when none is. */
record Summary(Variant variant, int seeds, Estimate recall20, Estimate recall50, Estimate ndcg,
               Estimate activeUnits, Estimate kl, double trainSeconds, Estimate validationNdcg) {

    /** The summary of {@code v}'s cells in {@code d}. */
    static Summary of(Variant v, Dataset d) {
        List<Cell> cells = d.cells(v.id());
        return new Summary(v, cells.size(),
                estimate(cells, Cell::recall20, Cell::recall20Se), estimate(cells, Cell::recall50, Cell::recall50Se),
                estimate(cells, Cell::ndcg100, Cell::ndcg100Se), estimate(cells, c -> BetaStudyData.nanIfNull(c.activeUnits()), c -> Double.NaN),
                estimate(cells, c -> BetaStudyData.nanIfNull(c.klMean()), c -> Double.NaN),
                cells.stream().mapToDouble(Cell::trainSeconds).average().orElse(Double.NaN),
                estimate(cells, c -> c.validationNdcg() != null ? c.validationNdcg() : d.validationNdcg(c.variant(), c.seed()),
                        c -> Double.NaN));
    }

    private static Estimate estimate(List<Cell> cells, ToDoubleFunction<Cell> value, ToDoubleFunction<Cell> se) {
        List<Cell> known = cells.stream().filter(c -> !Double.isNaN(value.applyAsDouble(c))).toList();
        return BetaStudyStats.overSeeds(known.stream().mapToDouble(value).toArray(),
                known.stream().mapToDouble(se).toArray());
    }

    /** Whether at least one cell of the variant finished. */
    boolean done() {
        return seeds > 0;
    }
}
