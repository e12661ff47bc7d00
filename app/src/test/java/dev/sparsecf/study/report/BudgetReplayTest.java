package dev.sparsecf.study.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsecf.cli.MainTest;
import dev.sparsecf.study.StudyCells;
import dev.sparsecf.study.report.BetaStudyData.Variant;
import dev.sparsecf.study.report.BudgetReplay.Rule;
import dev.sparsecf.study.report.BudgetReplay.Stop;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The offline replay of cheaper training budgets on validation histories, against hand-computed examples. */
class BudgetReplayTest {

    /** Validation NDCG@100 per epoch: best 0.26 at epoch 5 before a dip, the overall best 0.30 at epoch 9. */
    private static final double[] HISTORY = {0.10, 0.20, 0.25, 0.24, 0.26, 0.23, 0.22, 0.21, 0.30};

    @TempDir
    Path dir;

    @Test
    void patienceStopsOncePatienceEpochsPassedWithoutABetterValue() {
        // patience 3: kept 3, 3, 5 (0.26); epochs 6, 7, 8 are 1, 2, 3 after it -> stop after epoch 8, keep 5
        assertEquals(new Stop(8, 5), BudgetReplay.replay(HISTORY, new Rule(0, 3)));
        assertEquals(0.30 - 0.26, BudgetReplay.replay(HISTORY, BudgetReplay.FULL).value(HISTORY)
                - BudgetReplay.replay(HISTORY, new Rule(0, 3)).value(HISTORY), 1e-15);
        // patience 2: epoch 4 is 1 after 3, epoch 5 is better, epoch 7 is 2 after it
        assertEquals(new Stop(7, 5), BudgetReplay.replay(HISTORY, new Rule(0, 2)));
        assertEquals(new Stop(4, 3), BudgetReplay.replay(HISTORY, new Rule(0, 1)));
        // patience longer than the dip: the whole history, the overall best
        assertEquals(new Stop(9, 9), BudgetReplay.replay(HISTORY, new Rule(0, 4)));
        assertEquals(new Stop(9, 9), BudgetReplay.replay(HISTORY, BudgetReplay.FULL));
    }

    @Test
    void aCapKeepsTheBestOfItsFirstEpochs() {
        Stop s = BudgetReplay.replay(HISTORY, new Rule(4, 0));
        assertEquals(new Stop(4, 3), s);
        assertEquals(0.25, s.value(HISTORY), 0);
        assertEquals(new Stop(7, 5), BudgetReplay.replay(HISTORY, new Rule(7, 5))); // the cap comes first
        assertEquals(new Stop(4, 3), BudgetReplay.replay(HISTORY, new Rule(6, 1))); // the patience comes first
        assertEquals(new Stop(9, 9), BudgetReplay.replay(HISTORY, new Rule(50, 0))); // a cap past the history
    }

    @Test
    void onlyAStrictlyBetterValueIsKeptAndNoNumberKeepsNothing() {
        // as VaeTrainer: an equal value does not reset the patience, so epoch 2 is 1 after epoch 1
        assertEquals(new Stop(2, 1), BudgetReplay.replay(new double[] {0.2, 0.2, 0.3}, new Rule(0, 1)));
        Stop none = BudgetReplay.replay(new double[] {Double.NaN, Double.NaN, Double.NaN}, new Rule(0, 2));
        assertEquals(new Stop(2, 0), none);
        assertTrue(Double.isNaN(none.value(new double[3])));
    }

    @Test
    void kendallsTauOnHandExamples() {
        // one discordant pair (2, 3) of 6: (5 - 1) / 6
        assertEquals(4.0 / 6, BudgetReplay.kendallTau(new double[] {1, 2, 3, 4}, new double[] {1, 3, 2, 4}), 1e-15);
        assertEquals(-1, BudgetReplay.kendallTau(new double[] {1, 2, 3}, new double[] {0.3, 0.2, 0.1}), 1e-15);
        // tau-b with a tie in y: 2 concordant, 0 discordant, 3 pairs, 1 tied in y: 2 / sqrt(3 * 2)
        assertEquals(2 / Math.sqrt(6), BudgetReplay.kendallTau(new double[] {1, 2, 3}, new double[] {1, 1, 2}), 1e-15);
        assertTrue(Double.isNaN(BudgetReplay.kendallTau(new double[] {1}, new double[] {1})));
    }

    @Test
    void chosenBetaIsTheConstantWithTheHighestMeanFirstOfEquals() {
        List<Variant> order = List.of(new Variant("const-0.1", "constant", 0.1),
                new Variant("const-0.5", "constant", 0.5), new Variant("peruser-m0.5-g1", "peruser", 0.5),
                new Variant("const-0.375", "constant", 0.375));
        BetaStudyData.Dataset v1 = dataset(1);
        BetaStudyData.Dataset v2 = dataset(2);
        double[] twinBest = {0.30, 0.31, 0.40, 0.35};
        assertEquals(0.375, BudgetReplay.chosenBeta(v1, order, twinBest), 0); // per-user ignored
        // under protocol 2 validation chooses within the sweep: a matched grid's twin (0.375) is not among them
        assertEquals(0.5, BudgetReplay.chosenBeta(v2, order, twinBest), 0);
        assertEquals(0.1, BudgetReplay.chosenBeta(v2, order, new double[] {0.31, 0.31, 0.20, 0.2}), 0);
        assertTrue(Double.isNaN(BudgetReplay.chosenBeta(v2, order.subList(2, 3), new double[] {0.4})));
    }

    /** A dataset without rows under protocol {@code version}. */
    private static BetaStudyData.Dataset dataset(int version) {
        return new BetaStudyData.Dataset("d", List.of(), java.util.Map.of(), java.util.Map.of(),
                new BetaStudyData.Protocol(200, 0, List.of(), 0, version), null);
    }

    /**
     * A 200-epoch study "m" on seeds 0 and 1 (identical histories): const-0.1 rises 0.001 per epoch to 0.345 at 40,
     * then stays; peruser-m0.5-g1 is 0.001 above it; const-0.5 rises 0.0002 per epoch to 0.322 at 60, stays flat
     * for 15 epochs, then rises again to 0.347 at 200. By hand: the full budget chooses beta 0.5 (0.347 > 0.345).
     * Patience 10 stops const-0.1 and the per-user cells at 50 and const-0.5 at 70 (keeping 0.322): 170 of 600 epochs
     * per seed (72% saved), const-0.5 loses 0.025 (mean over 6 cells 0.0083), beta 0.1 is chosen instead, and the
     * order (0.5, peruser, 0.1) becomes (peruser, 0.1, 0.5): tau (1 - 2) / 3. Patience 20 passes the flat stretch:
     * 60 + 200 + 60 of 600 (47% saved), nothing lost, the same choice: the verdict. A cap of 50 keeps const-0.5 at
     * 0.32 (loss 0.027, mean over 6 cells 0.009). Study "old" ran with patience 10, the least of the rules, so none
     * replays on it. Study "late" ran with patience 50, so const-0.1 stopped at 90 and const-0.5 ran 200 epochs (290
     * per seed), and only the rules that stop no later replay there, against patience 50: patience 10 stops them at 50
     * and 70 (59% saved, const-0.5 loses 0.025: mean over 4 cells 0.0125, beta 0.1 instead of 0.5, the two variants'
     * order reversed: tau -1); patience 20 at 60 and 200 (10% saved, nothing lost); a cap of 150 with patience 50 at
     * 90 and 150 (17% saved, const-0.5 keeps 0.337: loss 0.010, mean 0.005, beta 0.1).
     */
    @Test
    void reportSectionReplaysTheRulesAndGeneratesTheVerdict() throws IOException {
        Path study = dir.resolve("s");
        IntToDoubleFunction low = e -> 0.305 + 0.001 * Math.min(e, 40);
        IntToDoubleFunction high = e -> 0.31 + 0.0002 * (e <= 60 ? e : e <= 75 ? 60 : e - 15);
        writeDataset(study.resolve("m"), 0, new String[] {"const-0.1,constant,0.1", "const-0.5,constant,0.5",
                "peruser-m0.5-g1,peruser,0.5"}, List.of(low, high, e -> low.applyAsDouble(e) + 0.001), 200, 200, 200);
        writeDataset(study.resolve("old"), 10, new String[] {"const-0.1,constant,0.1"}, List.of(low), 50);
        writeDataset(study.resolve("late"), 50, new String[] {"const-0.1,constant,0.1", "const-0.5,constant,0.5"},
                List.of(low, high), 90, 200);
        MainTest.Outcome o = MainTest.run("study", "report", "--dir", study.toString());
        assertEquals(0, o.code(), o.err());
        String readme = Files.readString(study.resolve("README.md"));
        int from = readme.indexOf("## Cheaper training budgets, checked against the 200-epoch rows\n");
        assertTrue(from >= 0, readme);
        String section = readme.substring(from, readme.indexOf("\n## ", from + 1));
        assertTrue(section.contains("- old: its cells stopped early (patience 10), and no rule here stops earlier: not "
                + "replayed.\n\n**Verdict**"), section); // a blank line ends the list
        assertTrue(section.contains("- late: its cells stopped early (patience 50), so only the rules that stop no later "
                + "are replayed, each against that rule in place of the full budget (4 cells of 2 variants): patience 10: "
                + "59%, lost 0.0125 (max 0.0250), beta **0.1** (0.5), tau -1.00; patience 20: 10%, lost 0.0000 (max "
                + "0.0000), beta 0.5, tau 1.00; at most 150 epochs, patience 50: 17%, lost 0.0050 (max 0.0100), beta "
                + "**0.1** (0.5), tau -1.00.\n"), section);
        // the budget lines say which protocol each dataset ran: no early stop on m, patience 10 on old
        assertTrue(readme.contains("Budget: at most 200 epochs per Mult-VAE/DAE cell, the best kept, no early stop "
                + "(`protocol.json`)"), readme);
        assertTrue(readme.contains("| old | 2/"), readme);
        assertTrue(readme.contains(" | 200, patience 10: 0 of 2 late |"), readme);
        assertTrue(section.contains("**Verdict**: the cheapest rule that chooses the full budget's constant beta on "
                + "all 1 datasets replayed is *patience 20*: it saves 47% of the replayed epochs (beta m 0.5); "
                + "validation NDCG@100 lost per cell: mean 0.0000, max 0.0000; Kendall's tau of the variants' order "
                + "1.00. The cheapest that also keeps the order of every variant on every dataset (tau 1): *patience "
                + "20*, saving 47%. [replay of the validation histories of 6 cells on m, up to 2 seeds per variant; "
                + "validation only; descriptive, no test]"), section);
        assertTrue(section.contains("| patience 10 | 72% | 0 of 1 | 72%, lost 0.0083 (max 0.0250), beta **0.1** (0.5), "
                + "tau -0.33 |"), section);
        assertTrue(section.contains("| patience 20 | 47% | 1 of 1 | 47%, lost 0.0000 (max 0.0000), beta 0.5, tau 1.00 |"),
                section);
        assertTrue(section.contains("| at most 50 epochs | 75% | 0 of 1 | 75%, lost 0.0090 (max 0.0270), beta **0.1** "
                + "(0.5), tau -0.33 |"), section);
        // both: const-0.1 and the per-user cells stop at 90, const-0.5 at the cap, keeping 0.337 < 0.345
        assertTrue(section.contains("| at most 150 epochs, patience 50 | 45% | 0 of 1 | 45%, lost 0.0033 (max 0.0100), "
                + "beta **0.1** (0.5), tau -0.33 |"), section);
    }

    /**
     * One dataset's protocol (200 epochs), cells and histories (the curves by epoch, 1-based) on seeds 0 and 1, each
     * variant run for the epochs given.
     */
    private static void writeDataset(Path d, int patience, String[] variants, List<IntToDoubleFunction> curves,
                                     int... ran) throws IOException {
        Files.createDirectories(d.resolve("history"));
        Files.writeString(d.resolve("protocol.json"), String.format(Locale.ROOT,
                "{\"protocolVersion\": 2, \"epochs\": 200, \"patience\": %d}%n", patience));
        StringBuilder cells = new StringBuilder(StudyCells.HEADER).append('\n');
        for (int v = 0; v < variants.length; v++) {
            for (int seed = 0; seed <= 1; seed++) {
                int epochs = ran[v];
                cells.append(d.getFileName()).append(',').append(variants[v]).append(',').append(seed)
                        .append(',').append(epochs).append(",40,60,2,0.2,0.01,0.3,0.01,0.4,0.05,50,12.5,0.2,,fp,,,\n");
                StringBuilder h = new StringBuilder("epoch,nll,kl,beta,seconds,validation_ndcg100\n");
                for (int e = 1; e <= epochs; e++) {
                    h.append(String.format(Locale.ROOT, "%d,500,10,0.2,0.5,%.6f%n", e, curves.get(v).applyAsDouble(e)));
                }
                Files.writeString(d.resolve("history").resolve(variants[v].split(",")[0] + "__s" + seed + ".csv"),
                        h.toString());
            }
        }
        Files.writeString(d.resolve("cells.csv"), cells.toString());
    }
}
