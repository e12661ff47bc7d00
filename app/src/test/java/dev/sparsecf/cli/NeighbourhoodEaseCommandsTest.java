package dev.sparsecf.cli;

import static dev.sparsecf.cli.MainTest.assertOneLineError;
import static dev.sparsecf.cli.MainTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sparsecf.cli.MainTest.Outcome;
import dev.sparsecf.kernels.Kernels;
import dev.sparsecf.models.ModelFile;
import dev.sparsecf.run.TrainingRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train --model ease --neighbors K}: a sparse model that eval and recommend read; bad K is one line. */
class NeighbourhoodEaseCommandsTest {

    @TempDir
    Path tmp;

    @Test
    void trainWithNeighboursWritesASparseModelThatEvalAndRecommendUse() throws IOException {
        Path dataDir = ModelCommandsTest.writeSmallMl100k(tmp.resolve("data"));
        Path out = tmp.resolve("ease");
        Outcome t = run("train", "--model", "ease", "--neighbors", "5", "--data", "ml-100k", "--data-dir",
                dataDir.toString(), "--lambda", "1,10", "--lambda-edge-steps", "0", "--validation-users", "10",
                "--test-users", "10", "--out", out.toString());
        assertEquals(0, t.code(), t.err());
        assertTrue(t.err().contains("EASE: sparse Gram"), t.err());
        JsonNode metrics = new ObjectMapper().readTree(out.resolve(TrainingRun.METRICS_FILE).toFile());
        assertEquals(5, metrics.path("neighbours").asInt(), metrics.toString());
        assertTrue(metrics.path("fit").asText().contains("K = 5 neighbours"), metrics.toString());
        Path file = out.resolve(TrainingRun.MODEL_FILE);
        try (ModelFile.LoadedEase loaded = (ModelFile.LoadedEase) ModelFile.load(file, Kernels.get())) {
            assertTrue(loaded.model().isSparse());
            assertTrue(loaded.model().sparseWeights().nnz() <= 5L * loaded.model().items());
        }
        Outcome e = run("eval", "--model", file.toString(), "--data-dir", dataDir.toString());
        assertEquals(0, e.code(), e.err());
        JsonNode ndcg = metrics.path("test").path("NDCG@100");
        String line = String.format(Locale.ROOT, "%-10s = %.4f ± %.4f", "NDCG@100", ndcg.path("mean").asDouble(),
                ndcg.path("stderr").asDouble());
        assertTrue(e.out().contains(line), "eval reproduces " + line + ":\n" + e.out());
        Path recs = tmp.resolve("recs.csv");
        Outcome r = run("recommend", "--model", file.toString(), "--data-dir", dataDir.toString(), "--users", "all", "-k", "3",
                "--out", recs.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.readAllLines(recs).size() > 1, "recommendations written");
    }

    @Test
    void badNeighbourhoodSizesAreOneLine() throws IOException {
        Path dataDir = ModelCommandsTest.writeSmallMl100k(tmp.resolve("data"));
        assertOneLineError("--neighbors must be >= 1, got 0", "train", "--model", "ease", "--neighbors", "0", "--data",
                "ml-100k", "--data-dir", dataDir.toString(), "--out", tmp.resolve("a").toString());
        assertOneLineError("train: --neighbors does not apply to multvae", "train", "--model", "multvae", "--neighbors",
                "5", "--data", "ml-100k", "--data-dir", dataDir.toString(), "--out", tmp.resolve("b").toString());
        assertTrue(Files.notExists(tmp.resolve("a")) && Files.notExists(tmp.resolve("b")), "rejected before --out");
    }

    @Test
    void tooLargeAKIsClampedAndALoneItemsEmptyColumnIsReported() throws IOException {
        // the per-user split's 40 items, and one more training user whose only item "solo" no one else has
        Path dir = SplitProtocolCommandsTest.writePerUser(tmp);
        Path trainFile = dir.resolve("train.txt");
        Path testFile = dir.resolve("test.txt");
        Files.writeString(trainFile, "loner solo\n", StandardOpenOption.APPEND);
        Path out = tmp.resolve("clamped");
        // --neighbors alone is the default K, 500: more than this catalogue's 41 items
        Outcome t = run("train", "--model", "ease", "--neighbors", "--train", trainFile.toString(), "--test",
                testFile.toString(), "--lambda", "10", "--lambda-edge-steps", "0", "--out", out.toString());
        assertEquals(0, t.code(), t.err());
        assertTrue(t.err().contains("EASE: K = 500 neighbours is more than the 40 other items; using K = 40 (every other"
                + " item: dense EASE)\n"), t.err());
        assertTrue(t.err().contains("; 1 item co-occurs with no other item: its column of B is zero\n"), t.err());
        JsonNode metrics = new ObjectMapper().readTree(out.resolve(TrainingRun.METRICS_FILE).toFile());
        assertEquals(40, metrics.path("neighbours").asInt(), metrics.toString());
        assertTrue(metrics.path("fit").asText().contains("K = 40 neighbours")
                && metrics.path("fit").asText().contains("; 1 item with no co-occurring item (zero columns);"), metrics.toString());
    }
}
