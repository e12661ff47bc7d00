package dev.sparsecf.cli;

import static dev.sparsecf.cli.DataCommandTest.assertLastLineError;
import static dev.sparsecf.cli.MainTest.assertOneLineError;
import static dev.sparsecf.cli.MainTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sparsecf.cli.MainTest.Outcome;
import dev.sparsecf.data.DataSplit;
import dev.sparsecf.data.Datasets;
import dev.sparsecf.run.TrainingRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --split DIR} and {@code --train/--test} through train and eval: round trips, protocols named, one-line errors. */
class SplitProtocolCommandsTest {

    @TempDir
    Path tmp;

    /** The real datasets' directory with ML-100K in it, else the test is skipped. */
    private static Path ml100kOrSkip() {
        String env = System.getenv(Datasets.DATA_DIR_ENV);
        Path root = Path.of("").toAbsolutePath();
        List<Path> candidates = new ArrayList<>();
        if (env != null && !env.isBlank()) {
            candidates.add(Path.of(env));
        }
        candidates.add(root.resolve("../shared/data").normalize()); // run from the repository root
        candidates.add(root.resolve("../../shared/data").normalize()); // surefire runs in app/
        for (Path dir : candidates) {
            if (Files.isRegularFile(dir.resolve("ml-100k").resolve("u.data"))) {
                return dir;
            }
        }
        assumeTrue(false, "ml-100k not found in " + candidates + "; skipping");
        return null;
    }

    private static JsonNode metrics(Path out) throws IOException {
        return new ObjectMapper().readTree(out.resolve(TrainingRun.METRICS_FILE).toFile());
    }

    /** Trains into {@code name} with {@code source} and the options shared by both runs of a round trip. */
    private Outcome train(String name, List<String> source, String... model) {
        List<String> args = new ArrayList<>(List.of("train", "--out", tmp.resolve(name).toString(), "--seed", "3"));
        args.addAll(source);
        args.addAll(List.of(model));
        return run(args.toArray(String[]::new));
    }

    private void assertRoundTrip(String... model) throws IOException {
        Path data = ml100kOrSkip();
        Path split = tmp.resolve("split");
        Outcome s = run("data", "split", "--data", "ml-100k", "--data-dir", data.toString(), "--out", split.toString(), "--seed", "3");
        assertEquals(0, s.code(), s.err());
        Outcome a = train("a", List.of("--data", "ml-100k", "--data-dir", data.toString()), model);
        assertEquals(0, a.code(), a.err());
        Outcome b = train("b", List.of("--split", split.toString()), model);
        assertEquals(0, b.code(), b.err());

        JsonNode ma = metrics(tmp.resolve("a"));
        JsonNode mb = metrics(tmp.resolve("b"));
        String fingerprint = s.out().lines().filter(l -> l.startsWith("fingerprint")).findFirst().orElseThrow();
        assertTrue(fingerprint.endsWith(ma.at("/split/fingerprint").asText()), fingerprint);
        assertEquals(ma.at("/split/fingerprint"), mb.at("/split/fingerprint"));
        assertEquals("strong-generalization-heldout-users", mb.get("protocol").asText());
        assertEquals(ma.get("test"), mb.get("test"), "the same split and seed give the same test metrics, bit for bit");
        assertEquals(ma.get("validation"), mb.get("validation"));
        assertEquals(a.out().lines().filter(l -> !l.startsWith("wrote")).toList(),
                b.out().lines().filter(l -> !l.startsWith("wrote")).toList(), "the same lines but for the output directory");

        // eval reads the split directory the model file records, and --split points any model at its split
        Outcome e = run("eval", "--model", tmp.resolve("b").resolve(TrainingRun.MODEL_FILE).toString());
        assertEquals(0, e.code(), e.err());
        Outcome ea = run("eval", "--model", tmp.resolve("a").resolve(TrainingRun.MODEL_FILE).toString(), "--split", split.toString());
        assertEquals(0, ea.code(), ea.err());
        String metricLines = e.out().substring(e.out().indexOf("Recall@20"));
        assertEquals(metricLines, ea.out().substring(ea.out().indexOf("Recall@20")));
        assertTrue(a.out().contains(metricLines.strip().lines().findFirst().orElseThrow()), a.out() + " vs " + metricLines);
    }

    @Test
    void exportedSplitGivesTheSameFingerprintAndMetricsAsTheDatasetEase() throws IOException {
        assertRoundTrip("--model", "ease", "--lambda", "100,300", "--lambda-edge-steps", "0");
    }

    @Test
    void exportedSplitGivesTheSameFingerprintAndMetricsAsTheDatasetMultVae() throws IOException {
        assertRoundTrip("--model", "multvae", "--epochs", "2", "--kernels", "scalar", "--blas", "java", "--threads", "1");
    }

    /** A split exported from ML-100K's look-alike ({@link ModelCommandsTest#writeSmallMl100k}) for the error cases. */
    private Path smallSplit() throws IOException {
        Path data = ModelCommandsTest.writeSmallMl100k(tmp.resolve("data"));
        Path split = tmp.resolve("small-split");
        Outcome s = run("data", "split", "--data", "ml-100k", "--data-dir", data.toString(), "--out", split.toString(),
                "--validation-users", "10", "--test-users", "10");
        assertEquals(0, s.code(), s.err());
        return split;
    }

    @Test
    void aChangedOrMissingSplitFileIsAOneLineErrorNamingIt() throws IOException {
        Path split = smallSplit();
        Path eval = split.resolve(DataSplit.TEST_EVAL_FILE);
        List<String> lines = Files.readAllLines(eval);
        Files.write(eval, lines.subList(1, lines.size()));
        Path out = tmp.resolve("run");
        Outcome changed = run("train", "--model", "ease", "--split", split.toString(), "--out", out.toString());
        assertLastLineError(Main.FAILURE, eval + ": SHA-256 is ", changed);
        assertFalse(Files.exists(out), "nothing is written before the split has been read");

        Files.delete(eval);
        Outcome missing = run("train", "--model", "ease", "--split", split.toString(), "--out", out.toString());
        assertLastLineError(Main.FAILURE, eval + ": missing; a split written by 'sparsecf data split --out' has", missing);

        Files.delete(split.resolve(DataSplit.CHECKSUM_FILE));
        Outcome unverified = run("train", "--model", "ease", "--split", split.toString(), "--out", out.toString());
        assertLastLineError(Main.FAILURE, eval + ": missing", unverified); // every file is needed, the checksums too
        assertLastLineError(Main.FAILURE, tmp.resolve("nowhere") + ": no such directory",
                run("train", "--model", "ease", "--split", tmp.resolve("nowhere").toString(), "--out", out.toString()));
    }

    @Test
    void sourcesAreExclusiveAndComplete() throws IOException {
        String out = tmp.resolve("run").toString();
        assertOneLineError("give --data, --split or --train with --test", "train", "--model", "ease", "--out", out);
        assertOneLineError("give one of --data, --split and --train, not 2", "train", "--model", "ease", "--data", "ml-100k",
                "--split", tmp.toString(), "--out", out);
        assertOneLineError("--train needs --test", "train", "--model", "ease", "--train", "a.txt", "--out", out);
        assertOneLineError("--test and --validation go with --train", "train", "--model", "ease", "--split", tmp.toString(),
                "--test", "b.txt", "--out", out);
        assertOneLineError("--validation-users and --test-users size the split of a --data", "train", "--model", "ease",
                "--split", tmp.toString(), "--test-users", "5", "--out", out);
        assertOneLineError("--split reads the files 'data split' writes", "train", "--model", "ease", "--split", tmp.toString(),
                "--sep", ",", "--out", out);
        assertOneLineError("--test " + tmp.resolve("absent.txt") + ": no such file", "train", "--model", "ease",
                "--train", writePerUser(tmp).resolve("train.txt").toString(), "--test", tmp.resolve("absent.txt").toString(), "--out", out);
        assertFalse(Files.exists(tmp.resolve("run")));
    }

    /** A per-user split of 60 users over 40 items, adjacency lists; user 59's test line holds an item no one trained on. */
    static Path writePerUser(Path tmp) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("per-user"));
        StringBuilder train = new StringBuilder();
        StringBuilder test = new StringBuilder();
        for (int u = 0; u < 60; u++) {
            train.append("u").append(u);
            for (int t = 0; t < 8; t++) {
                train.append(" i").append((u * 7 + t * 3) % 40);
            }
            train.append('\n');
            test.append("u").append(u).append(" i").append((u * 7 + 25) % 40).append(" i").append((u * 11 + 1) % 40)
                    .append(u == 59 ? " new-item" : "").append('\n');
        }
        test.append("stranger i1 i2\n");
        Files.writeString(dir.resolve("train.txt"), train);
        Files.writeString(dir.resolve("test.txt"), test);
        return dir;
    }

    @Test
    void perUserSplitIsTrainedEvaluatedAndNamedAsTheWeakProtocol() throws IOException {
        Path dir = writePerUser(tmp);
        Path out = tmp.resolve("weak");
        Outcome t = run("train", "--model", "ease", "--train", dir.resolve("train.txt").toString(), "--test",
                dir.resolve("test.txt").toString(), "--lambda", "1,10", "--lambda-edge-steps", "0", "--out", out.toString());
        assertEquals(0, t.code(), t.err());
        assertTrue(t.out().contains("protocol: weak-generalization-per-user (comparable to LightGCN, NGCF and KGAT tables"), t.out());
        assertTrue(t.out().contains("FullRecall@20"), t.out());
        assertTrue(t.err().contains("test users not in training: 1 (their 2 pairs are left out)"), t.err());
        assertTrue(t.err().contains("test items not in training: 1 (their 1 pairs cannot be ranked: counted as misses)"), t.err());
        JsonNode m = metrics(out);
        assertEquals("weak-generalization-per-user", m.get("protocol").asText());
        assertEquals(1, m.at("/perUserSplit/testUsersNotInTrain").asInt());
        assertEquals(60, m.at("/test/users").asInt());
        assertTrue(m.at("/test").has("FullRecall@20") && m.at("/test").has("NDCG@20") && m.at("/test").has("Recall@50"), m.toString());

        assertEvalPrints(out, "NDCG@20        = %.4f", m.at("/test/NDCG@20/mean").asDouble());
    }

    @Test
    void perUserSplitTrainsMultDaeWithAValidationFile() throws IOException {
        Path dir = writePerUser(tmp);
        Path validation = Files.writeString(dir.resolve("valid.txt"), "u0 i30\nu1 i31\nu2 i32\n");
        Path out = tmp.resolve("dae");
        Outcome t = run("train", "--model", "multdae", "--epochs", "2", "--batch-size", "16", "--train", dir.resolve("train.txt").toString(),
                "--test", dir.resolve("test.txt").toString(), "--validation", validation.toString(), "--out", out.toString());
        assertEquals(0, t.code(), t.err());
        JsonNode m = metrics(out);
        assertEquals("weak-generalization-per-user", m.get("protocol").asText());
        assertEquals(3, m.at("/validation/users").asInt());
        assertEvalPrints(out, "FullRecall@20  = %.4f", m.at("/test/FullRecall@20/mean").asDouble());
    }

    /** {@code eval} of the model trained into {@code out} prints the metric line {@code format} of {@code value}. */
    private void assertEvalPrints(Path out, String format, double value) throws IOException {
        Outcome e = run("eval", "--model", out.resolve(TrainingRun.MODEL_FILE).toString());
        assertEquals(0, e.code(), e.err());
        String line = String.format(java.util.Locale.ROOT, format, value);
        assertTrue(e.out().contains(line), line + " in " + e.out());
    }

    @Test
    void testUsersWhoAreNotTrainingUsersAreAnError() throws IOException {
        Path dir = writePerUser(tmp);
        Path test = Files.writeString(tmp.resolve("others.txt"), "x1 i1 i2\nx2 i3\n");
        Outcome o = run("train", "--model", "ease", "--train", dir.resolve("train.txt").toString(), "--test", test.toString(),
                "--out", tmp.resolve("run").toString());
        assertLastLineError(Main.FAILURE, test + ": none of its 2 users is a user of " + dir.resolve("train.txt"), o);
        assertFalse(Files.exists(tmp.resolve("run")));
    }
}
