package dev.sparsecf.cli;

import static dev.sparsecf.cli.MainTest.assertOneLineError;
import static dev.sparsecf.cli.MainTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sparsecf.cli.MainTest.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sparsecf train}, {@code eval} and {@code recommend} end to end on small generated data. */
class ModelCommandsTest {

    /** 137 users x 20,108 items: small enough for a one-epoch run in a test. */
    private static final String[] DATA = {"--data", "synthetic:0.001", "--validation-users", "20", "--test-users", "20"};

    @TempDir
    Path tmp;

    private Outcome train(Path out, String... extra) {
        String[] base = {"train", "--model", "multdae", "--epochs", "2", "--batch-size", "50", "--out", out.toString()};
        String[] args = new String[base.length + DATA.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(DATA, 0, args, base.length, DATA.length);
        System.arraycopy(extra, 0, args, base.length + DATA.length, extra.length);
        return run(args);
    }

    @Test
    void trainWritesMetricsThatEvalReproducesAndRecommendUsesTheModel() throws IOException {
        Path out = tmp.resolve("run");
        Outcome t = train(out);
        assertEquals(0, t.code(), t.err());
        assertTrue(t.err().contains("epoch   2/2"), "progress per epoch: " + t.err());
        JsonNode metrics = new ObjectMapper().readTree(out.resolve(TrainCommand.METRICS_FILE).toFile());
        double ndcg = metrics.path("test").path("NDCG@100").path("mean").asDouble(Double.NaN);
        assertTrue(ndcg > 0 && ndcg <= 1, "test NDCG@100 in the metrics: " + ndcg);
        assertEquals(20, metrics.path("test").path("users").asInt());
        assertEquals(2, metrics.path("history").size());
        assertTrue(Files.size(out.resolve(TrainCommand.SPLIT_CHECKSUMS_FILE)) > 0);

        Outcome e = run("eval", "--model", out.resolve(TrainCommand.MODEL_FILE).toString());
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().contains(String.format(java.util.Locale.ROOT, "NDCG@100   = %.4f", ndcg)),
                "eval reproduces the test NDCG@100 " + ndcg + ": " + e.out());

        Outcome r = run("recommend", "--model", out.resolve(TrainCommand.MODEL_FILE).toString(), "--user", "0", "-k", "3");
        assertEquals(0, r.code(), r.err());
        assertEquals(4, r.out().lines().count(), r.out());
    }

    @Test
    void trainRefusesToOverwriteAnEarlierRun() throws IOException {
        Path out = tmp.resolve("run");
        Files.createDirectories(out);
        Files.writeString(out.resolve(TrainCommand.METRICS_FILE), "{\"mine\": true}");
        Outcome t = train(out);
        assertEquals(2, t.code(), t.err());
        assertTrue(t.err().contains("already holds metrics.json"), t.err());
        assertEquals("{\"mine\": true}", Files.readString(out.resolve(TrainCommand.METRICS_FILE)), "the user's file is untouched");
    }

    @Test
    void userMistakesAreOneLineErrors() throws IOException {
        assertOneLineError("--model: unknown model 'vae'", "train", "--model", "vae", "--data", "ml-1m", "--out", tmp.toString());
        assertOneLineError("choose one of --beta, --anneal-steps and --anneal-cycles", "train", "--model", "multvae",
                "--data", "ml-1m", "--out", tmp.toString(), "--beta", "0.2", "--anneal-steps", "100");
        assertOneLineError("multdae has no KL term", "train", "--model", "multdae", "--data", "ml-1m", "--out",
                tmp.toString(), "--beta", "0.2");
        assertOneLineError("--epochs must be >= 1", "train", "--model", "multvae", "--data", "ml-1m", "--out",
                tmp.toString(), "--epochs", "0");
        assertOneLineError("no such file", "eval", "--model", tmp.resolve("missing.sparsecf").toString());
        Path junk = tmp.resolve("junk.sparsecf");
        Files.writeString(junk, "not a model at all");
        Outcome o = run("eval", "--model", junk.toString());
        assertEquals(1, o.code());
        assertTrue(o.err().strip().lines().count() == 1 && o.err().contains("not a sparsecf model file"), o.err());
        assertFalse(o.err().contains("\tat "), o.err());
    }
}
