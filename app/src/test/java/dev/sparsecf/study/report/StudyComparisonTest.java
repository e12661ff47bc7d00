package dev.sparsecf.study.report;

import dev.sparsecf.cli.MainTest;
import dev.sparsecf.study.StudyCells;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sparsecf study report --baseline}: two study directories with dataset {@code tiny}, where "long" improves
 * const-0.2 by hand-chosen per-user amounts on seed 1 and seed 2 has a different split in the baseline.
 */
class StudyComparisonTest {

    @TempDir
    Path root;
    private Path current;
    private Path baseline;

    @BeforeEach
    void writeStudies() throws IOException {
        current = root.resolve("long");
        baseline = root.resolve("short");
        // seed 1: long - short = 0.1, 0.2, 0.0, 0.1 (mean 0.1, SE sqrt(0.02 / 3 / 4) = 0.0408); seed 2 splits differ
        cell(current, "const-0.2", "constant", "0.2", 1, 120, 0.4, "abc", 150, new double[] {0.3, 0.5, 0.4, 0.6});
        cell(baseline, "const-0.2", "constant", "0.2", 1, 55, 0.3, "abc", 190, new double[] {0.2, 0.3, 0.4, 0.5});
        cell(current, "const-0.2", "constant", "0.2", 2, 100, 0.5, "def", 160, new double[] {0.5, 0.5});
        cell(baseline, "const-0.2", "constant", "0.2", 2, 58, 0.4, "xyz", 180, new double[] {0.4, 0.4});
        // multdae: the same per-user values, so no change; ease only in the baseline
        cell(current, "multdae", "multdae", "", 1, 90, 0.35, "abc", -1, new double[] {0.3, 0.4, 0.3, 0.4});
        cell(baseline, "multdae", "multdae", "", 1, 59, 0.35, "abc", -1, new double[] {0.3, 0.4, 0.3, 0.4});
        cell(baseline, "ease", "ease", "", 1, 0, 0.45, "abc", -1, new double[] {0.4, 0.5, 0.4, 0.5});
        Files.createDirectories(current.resolve("only-here"));
    }

    /** Appends one cell (best epoch {@code bestEpoch}, active units {@code units}, -1: none) and its users file. */
    private static void cell(Path study, String variant, String family, String param, int seed, int bestEpoch,
                             double ndcg, String split, int units, double[] userNdcg) throws IOException {
        Path d = study.resolve("tiny");
        Files.createDirectories(d.resolve("users"));
        Path cells = d.resolve("cells.csv");
        if (!Files.exists(cells)) {
            Files.writeString(cells, StudyCells.HEADER + "\n");
        }
        boolean vae = units >= 0;
        Files.writeString(cells, Files.readString(cells) + String.format(Locale.ROOT,
                "tiny,%s,%s,%s,%d,%d,%d,1.5,%d,0.2,0.01,0.3,0.01,%s,0.05,%s,%s,%s,%s,%s,,,\n", variant, family, param, seed,
                family.equals("ease") ? 0 : bestEpoch + 10, bestEpoch, userNdcg.length, ndcg, vae ? units : "",
                vae ? "10" : "", vae ? param : "", family.equals("ease") ? "500" : "", split));
        StringBuilder users = new StringBuilder("user,clicks,recall20,recall50,ndcg100,kl\n");
        for (int i = 0; i < userNdcg.length; i++) {
            users.append(String.format(Locale.ROOT, "%d,%d,0.1,0.2,%s,%s\n", 100 + i, 10 + i, userNdcg[i], vae ? "5" : ""));
        }
        Files.writeString(d.resolve("users").resolve(variant + "__s" + seed + ".csv"), users.toString());
    }

    private String render() throws IOException {
        MainTest.Outcome o = MainTest.run("study", "report", "--dir", current.toString(), "--baseline", baseline.toString());
        assertEquals(0, o.code(), o.err());
        return Files.readString(current.resolve("README.md"));
    }

    @Test
    void variantsArePairedOverTheSeedsWithTheSameSplit() throws IOException {
        String readme = render();
        assertTrue(readme.contains("Baseline: [../short](../short/README.md)."), readme);
        assertTrue(readme.contains("### tiny against the baseline"), readme);
        assertFalse(readme.contains("### only-here against the baseline"), "no cells there: nothing to compare");
        assertTrue(readme.contains("- Left out: seed 2 (the two studies split the data differently)."), readme);
        // seed 1 only, so no seed-level test: per user (secondary) const-0.2 +0.1 ± 0.0408 (p 0.014), multdae +0
        // (p 1); no Holm without seed-level p, and nothing is called significant
        assertTrue(readme.contains("| const-0.2 | 1 | 55.0 → 120.0 | 0.3000 | 0.4000 | +0.1000 | 1 seed: no seed-level "
                + "test | | 0.014 | 190.0 → 150.0 |"), readme);
        assertTrue(readme.contains("| multdae | 1 | 59.0 → 90.0 | 0.3500 | 0.3500 | +0.0000 | 1 seed: no seed-level "
                + "test | | 1.000 | n/a |"), readme);
        assertFalse(readme.contains("| ease |"), "ease is only in the baseline");
        assertTrue(readme.contains("- Significantly better here (seed-level Holm p < 0.05): 0 of 0 variants tested at "
                + "the seed level; significantly worse: 0; 2 with one shared seed (1 seed: no seed-level test)."), readme);
        assertTrue(Files.isRegularFile(current.resolve("tiny").resolve(StudyComparison.PLOT)));
    }

    @Test
    void withoutABaselineTheSectionAndItsPlotGo() throws IOException {
        render();
        MainTest.Outcome o = MainTest.run("study", "report", "--dir", current.toString());
        assertEquals(0, o.code(), o.err());
        assertFalse(Files.readString(current.resolve("README.md")).contains("Against the baseline"));
        assertFalse(Files.exists(current.resolve("tiny").resolve(StudyComparison.PLOT)), "a stale plot would mislead");
    }

    @Test
    void aMissingOrSelfBaselineIsAClearError() {
        MainTest.assertOneLineError("--baseline: " + root.resolve("nope") + " is not a directory",
                "study", "report", "--dir", current.toString(), "--baseline", root.resolve("nope").toString());
        MainTest.assertOneLineError("--baseline: " + current + " is the study directory itself",
                "study", "report", "--dir", current.toString(), "--baseline", current.toString());
    }
}
