package dev.sparsecf.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The second protocol's grid and the matched per-user grid built around the chosen constant. */
class StudyVariantTest {

    @Test
    void matchedGridPairsEveryPerUserPointWithTheConstantAtItsMean() {
        List<StudyVariant> grid = StudyVariant.matchedGrid(0.02, 141.63);
        List<String> ids = grid.stream().map(StudyVariant::id).toList();
        assertEquals(List.of(
                "peruser-m0.01-g-1", "peruser-m0.01-g-0.5", "const-0.01", "peruser-m0.01-g0.5", "peruser-m0.01-g1",
                "peruser-m0.02-g-1", "peruser-m0.02-g-0.5", "const-0.02", "peruser-m0.02-g0.5", "peruser-m0.02-g1",
                "peruser-m0.04-g-1", "peruser-m0.04-g-0.5", "const-0.04", "peruser-m0.04-g0.5", "peruser-m0.04-g1",
                "kltarget-142"), ids);
        for (StudyVariant v : grid) {
            if (v.family() == StudyVariant.Family.PERUSER) {
                assertTrue(v.id().startsWith("peruser-m" + StudyVariant.number(v.param()) + "-g" + StudyVariant.number(v.exponent())),
                        v.toString());
            }
        }
        assertEquals(141.63, grid.getLast().param(), 0.5, "the KL target, to three digits");
        // the sweep's constants are phase 0; const-0.04 is not in the sweep, so it belongs to the matched grid
        assertTrue(StudyVariant.isSweepConstant(grid.get(2)));
        assertTrue(!StudyVariant.isSweepConstant(grid.get(12)));
    }

    @Test
    void halfOfASmallBetaIsAShortId() {
        assertEquals("const-0.005", StudyVariant.matchedGrid(0.01, 200).get(2).id());
        assertEquals("peruser-m0.15-g1", StudyVariant.matchedGrid(0.3, 20).get(4).id());
    }

    @Test
    void secondProtocolGridRunsTheSweepThenTheReferences() {
        List<String> ids = StudyVariant.grid().stream().map(StudyVariant::id).toList();
        assertEquals("const-0", ids.getFirst());
        assertEquals(List.of("multdae", "ease", "edlae", "dlae"), ids.subList(ids.size() - 4, ids.size()));
        assertTrue(ids.stream().noneMatch(id -> id.startsWith("peruser") || id.startsWith("kltarget")),
                "per-user and KL-target points come from the matched grid: " + ids);
    }
}
