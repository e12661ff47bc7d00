package dev.sparsecf.cli;

import dev.sparsecf.data.DataSplit;
import dev.sparsecf.data.IdMap;
import dev.sparsecf.data.Interactions;
import dev.sparsecf.kernels.CsrMatrix;
import dev.sparsecf.kernels.DenseMatrix;
import dev.sparsecf.kernels.Kernels;
import dev.sparsecf.models.ModelFile;
import dev.sparsecf.models.ease.EaseFitter;
import dev.sparsecf.models.ease.EaseModel;
import dev.sparsecf.run.DataSteps;
import dev.sparsecf.run.SavedModels;
import dev.sparsecf.run.TrainingRun;
import static dev.sparsecf.cli.MainTest.assertOneLineError;
import static dev.sparsecf.cli.MainTest.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sparsecf.cli.MainTest.Outcome;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
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

    /** {@code --precision bf16} trains and records it; skipped where the CPU or oneDNN has no bf16 (the one-line error). */
    @Test
    void trainInBf16RecordsThePrecision() throws IOException {
        Path out = tmp.resolve("bf16");
        Outcome t = train(out, "--precision", "bf16");
        assumeFalse(t.code() != 0 && t.err().contains("--precision bf16: "), "no bf16 here: " + t.err());
        assertEquals(0, t.code(), t.err());
        JsonNode metrics = new ObjectMapper().readTree(out.resolve(TrainingRun.METRICS_FILE).toFile());
        assertEquals("bf16-output-layer", metrics.path("precision").asText());
        double ndcg = metrics.path("test").path("NDCG@100").path("mean").asDouble(Double.NaN);
        assertTrue(ndcg > 0 && ndcg <= 1, "test NDCG@100 in the metrics: " + ndcg);
    }

    @Test
    void trainWritesMetricsThatEvalReproducesAndRecommendUsesTheModel() throws IOException {
        Path out = tmp.resolve("run");
        Outcome t = train(out);
        assertEquals(0, t.code(), t.err());
        assertTrue(t.err().contains("epoch   2/2"), "progress per epoch: " + t.err());
        JsonNode metrics = new ObjectMapper().readTree(out.resolve(TrainingRun.METRICS_FILE).toFile());
        double ndcg = metrics.path("test").path("NDCG@100").path("mean").asDouble(Double.NaN);
        assertTrue(ndcg > 0 && ndcg <= 1, "test NDCG@100 in the metrics: " + ndcg);
        assertEquals(20, metrics.path("test").path("users").asInt());
        assertEquals(2, metrics.path("history").size());
        assertEquals("float32", metrics.path("precision").asText(), "the default precision is recorded");
        assertTrue(Files.size(out.resolve(TrainingRun.SPLIT_CHECKSUMS_FILE)) > 0);

        Outcome e = run("eval", "--model", out.resolve(TrainingRun.MODEL_FILE).toString());
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().contains(String.format(java.util.Locale.ROOT, "NDCG@100   = %.4f", ndcg)),
                "eval reproduces the test NDCG@100 " + ndcg + ": " + e.out());

        Outcome r = run("recommend", "--model", out.resolve(TrainingRun.MODEL_FILE).toString(), "--user", "0", "-k", "3");
        assertEquals(0, r.code(), r.err());
        assertEquals(4, r.out().lines().count(), r.out());

        // beyond the catalogue: every unseen item, ranked 1 to over 20,000, with negative and positive scores
        Outcome all = run("recommend", "--model", out.resolve(TrainingRun.MODEL_FILE).toString(), "--user", "0", "-k", "30000");
        assertEquals(0, all.code(), all.err());
        String header = all.out().lines().findFirst().orElseThrow();
        Matcher m = Pattern.compile("\\((\\d+) in the model's catalogue\\); top (\\d+) of (\\d+) items:$")
                .matcher(header);
        assertTrue(m.find(), header);
        int unseen = Integer.parseInt(m.group(3)) - Integer.parseInt(m.group(1));
        assertEquals(unseen, Integer.parseInt(m.group(2)), header);
        assertEquals(unseen + 1, all.out().lines().count());
        assertEquals(List.of("-k 30000 exceeds the " + unseen + " catalogue items user 0 has not seen; showing " + unseen),
                all.err().lines().filter(l -> l.contains("-k")).toList(), all.err());
        assertTrue(all.out().contains(" -"), "some scores are negative");
        assertAligned(all);
    }

    /** EASE on {@link #writeSmallMl100k}'s data in {@code dataDir}, lambda from 1, 10 and 100, into {@code out}. */
    private static Outcome trainEase(Path dataDir, Path out) {
        return run("train", "--model", "ease", "--data", "ml-100k", "--data-dir", dataDir.toString(), "--lambda", "1,10,100",
                "--lambda-edge-steps", "0", "--validation-users", "10", "--test-users", "10", "--out", out.toString());
    }

    @Test
    void trainEaseChoosesLambdaOnValidation() throws IOException {
        Path dataDir = writeSmallMl100k(tmp.resolve("data"));
        Path out = tmp.resolve("ease");
        Outcome t = trainEase(dataDir, out);
        assertEquals(0, t.code(), t.err());
        JsonNode metrics = new ObjectMapper().readTree(out.resolve(TrainingRun.METRICS_FILE).toFile());
        assertEquals(3, metrics.path("candidates").size(), "the grid only");
        double best = 0;
        for (JsonNode c : metrics.path("candidates")) {
            best = Math.max(best, c.path("validationNdcg100").asDouble());
            // a fixed field order, so that metrics.json is the same file for the same run
            assertEquals(List.of("lambda", "validationNdcg100"), iterableToList(c.fieldNames()), c.toString());
        }
        assertEquals(best, metrics.path("validation").path("NDCG@100").path("mean").asDouble(), 1e-12,
                "the chosen lambda is the one with the best validation NDCG@100");
        double lambda = metrics.path("lambda").asDouble();
        assertEquals(lambda == 1 || lambda == 100, metrics.path("lambdaAtEdge").asBoolean(), metrics.toString());
        assertTrue(metrics.path("test").path("NDCG@100").path("mean").asDouble() > 0);
        assertOneLineError("--beta does not apply to ease", "train", "--model", "ease", "--data", "ml-100k", "--data-dir",
                dataDir.toString(), "--out", tmp.resolve("x").toString(), "--beta", "0.1");
        assertOneLineError("--lambda, --lambda-edge-steps: EASE: every lambda must be a positive finite number, got -5.0",
                "train", "--model", "ease", "--data", "ml-100k", "--data-dir", dataDir.toString(), "--out",
                tmp.resolve("y").toString(), "--lambda", "10,-5");
        assertOneLineError("--lambda, --lambda-edge-steps: EASE: the steps past the grid's edge must be >= 0, got -1",
                "study", "beta", "--data", "ml-100k", "--data-dir", dataDir.toString(), "--out", tmp.resolve("z").toString(),
                "--lambda-edge-steps", "-1");
    }

    /**
     * EASE's model file: eval from it reproduces every test metric of metrics.json, it holds the B that fitting the
     * recorded split with the chosen lambda gives, and recommend ranks a user's unseen items by that B's scores; a
     * {@code -k} beyond the unseen items shows them all, says so in one line, and keeps the columns aligned.
     */
    @Test
    void trainEaseWritesAModelThatEvalAndRecommendUse() throws IOException {
        Path dataDir = writeSmallMl100k(tmp.resolve("data"));
        Path out = tmp.resolve("ease");
        Outcome t = trainEase(dataDir, out);
        assertEquals(0, t.code(), t.err());
        Path file = out.resolve(TrainingRun.MODEL_FILE);
        JsonNode test = new ObjectMapper().readTree(out.resolve(TrainingRun.METRICS_FILE).toFile()).path("test");

        Outcome e = run("eval", "--model", file.toString(), "--data-dir", dataDir.toString());
        assertEquals(0, e.code(), e.err());
        Iterator<String> keys = test.fieldNames();
        int metrics = 0;
        while (keys.hasNext()) {
            String key = keys.next();
            if (!key.equals("users")) {
                JsonNode m = test.path(key);
                String line = String.format(Locale.ROOT, "%-10s = %.4f ± %.4f (n = %d)", key, m.path("mean").asDouble(),
                        m.path("stderr").asDouble(), test.path("users").asInt());
                assertTrue(e.out().contains(line), "eval reproduces " + line + ":\n" + e.out());
                metrics++;
            }
        }
        assertTrue(metrics >= 4, test.toString());

        Kernels kernels = Kernels.get();
        List<String> expected = new ArrayList<>();
        try (ModelFile.LoadedEase loaded = (ModelFile.LoadedEase) ModelFile.load(file, kernels)) {
            SavedModels.TrainingSplit ts = SavedModels.trainingSplit(loaded, file);
            PrintWriter quiet = new PrintWriter(Writer.nullWriter());
            Interactions positives = DataSteps.load(quiet, ts.data(), dataDir);
            DataSplit split = DataSteps.split(quiet, positives, ts.config());
            try (CsrMatrix x = split.train().toCsr();
                 EaseModel fitted = EaseFitter.fit(x, loaded.model().lambda(), kernels, msg -> { })) {
                assertArrayEquals(fitted.weights().toArray(), loaded.model().weights().toArray(), "B bit for bit");
                IdMap items = loaded.items();
                int u = positives.users().index("7");
                int[] seen = Arrays.stream(positives.itemsOf(u)).map(i -> items.index(positives.items().id(i)))
                        .filter(i -> i >= 0).sorted().toArray();
                try (CsrMatrix row = CsrMatrix.binary(1, items.size(), new int[] {0, seen.length}, seen)) {
                    DenseMatrix scores = fitted.score(row);
                    IntStream.range(0, items.size()).filter(i -> Arrays.binarySearch(seen, i) < 0).boxed()
                            .sorted(Comparator.comparingDouble((Integer i) -> -scores.get(0, i)).thenComparing(i -> i))
                            .forEach(i -> expected.add(String.format(Locale.ROOT, "%d %s %.4f", expected.size() + 1,
                                    items.id(i), scores.get(0, i))));
                }
            }
        }
        Outcome r = run("recommend", "--model", file.toString(), "--data-dir", dataDir.toString(), "--user", "7", "-k", "5");
        assertEquals(0, r.code(), r.err());
        assertEquals(expected.subList(0, 5), recommended(r), r.out());
        assertFalse(r.err().contains("-k"), r.err());

        int unseen = expected.size();
        Outcome all = run("recommend", "--model", file.toString(), "--data-dir", dataDir.toString(), "--user", "7", "-k", "100");
        assertEquals(0, all.code(), all.err());
        assertEquals(expected, recommended(all), all.out());
        assertEquals(List.of("-k 100 exceeds the " + unseen + " catalogue items user 7 has not seen; showing " + unseen),
                all.err().lines().filter(l -> l.contains("-k")).toList(), all.err());
        assertTrue(all.out().lines().findFirst().orElseThrow().endsWith("top " + unseen + " of 38 items:"), all.out());
        assertAligned(all);
    }

    /** recommend's rows all of one length, with the scores' decimal points in one column. */
    private static void assertAligned(Outcome r) {
        List<String> lines = r.out().lines().skip(1).toList();
        assertEquals(1, lines.stream().map(String::length).distinct().count(), "aligned columns:\n" + r.out());
        assertEquals(1, lines.stream().map(l -> l.lastIndexOf('.')).distinct().count(), "aligned scores:\n" + r.out());
    }

    /** recommend's rows as "rank id score", whatever the column widths. */
    private static List<String> recommended(Outcome r) {
        return r.out().lines().skip(1).map(l -> String.join(" ", l.strip().split(" +"))).toList();
    }

    /** A small ml-100k-format data dir: 80 users, each rating 8 to 19 of 40 items with 4 or 5 stars; returns the dir. */
    static Path writeSmallMl100k(Path dataDir) throws IOException {
        Files.createDirectories(dataDir.resolve("ml-100k"));
        StringBuilder lines = new StringBuilder();
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(5);
        for (int u = 1; u <= 80; u++) {
            int count = 8 + rnd.nextInt(12);
            java.util.BitSet seen = new java.util.BitSet();
            while (seen.cardinality() < count) {
                int item = 1 + (int) Math.min(39, Math.abs(rnd.nextGaussian()) * 12);
                if (!seen.get(item)) {
                    seen.set(item);
                    lines.append(u).append('\t').append(item).append('\t').append(4 + rnd.nextInt(2)).append("\t0\n");
                }
            }
        }
        Files.writeString(dataDir.resolve("ml-100k").resolve("u.data"), lines);
        return dataDir;
    }

    @Test
    void trainRefusesToOverwriteAnEarlierRun() throws IOException {
        Path out = tmp.resolve("run");
        Files.createDirectories(out);
        Files.writeString(out.resolve(TrainingRun.METRICS_FILE), "{\"mine\": true}");
        Outcome t = train(out);
        assertEquals(2, t.code(), t.err());
        assertTrue(t.err().contains("already holds metrics.json"), t.err());
        assertEquals("{\"mine\": true}", Files.readString(out.resolve(TrainingRun.METRICS_FILE)), "the user's file is untouched");
    }

    @Test
    void userMistakesAreOneLineErrors() throws IOException {
        assertOneLineError("--model: unknown model 'vae'", "train", "--model", "vae", "--data", "ml-1m", "--out", tmp.toString());
        assertOneLineError("choose one of --beta, --anneal-steps and --anneal-cycles", "train", "--model", "multvae",
                "--data", "ml-1m", "--out", tmp.toString(), "--beta", "0.2", "--anneal-steps", "100");
        assertOneLineError("--beta does not apply to multdae, which has no KL term", "train", "--model", "multdae", "--data", "ml-1m", "--out",
                tmp.toString(), "--beta", "0.2");
        assertOneLineError("--epochs must be >= 1", "train", "--model", "multvae", "--data", "ml-1m", "--out",
                tmp.toString(), "--epochs", "0");
        assertOneLineError("train: --precision: unknown value 'fp16' for multvae; expected float32 or bf16", "train",
                "--model", "multvae", "--data", "ml-1m", "--out", tmp.toString(), "--precision", "fp16");
        assertOneLineError("train: --precision does not apply to ease", "train", "--model", "ease", "--data", "ml-1m",
                "--out", tmp.toString(), "--precision", "bf16");
        assertOneLineError("no such file", "eval", "--model", tmp.resolve("missing.sparsecf").toString());
        Path junk = tmp.resolve("junk.sparsecf");
        Files.writeString(junk, "not a model at all");
        Outcome o = run("eval", "--model", junk.toString());
        assertEquals(1, o.code());
        assertTrue(o.err().strip().lines().count() == 1 && o.err().contains("not a sparsecf model file"), o.err());
        assertFalse(o.err().contains("\tat "), o.err());
    }

    @Test
    void optionsThatDoNotApplyAreRejectedByName() throws IOException {
        Path dataDir = writeSmallMl100k(tmp.resolve("data"));
        String[] ease = {"train", "--model", "ease", "--data", "ml-100k", "--data-dir", dataDir.toString(), "--out",
                tmp.resolve("ease").toString()};
        assertOneLineError("train: --epochs does not apply to ease", concat(ease, "--epochs", "5"));
        assertOneLineError("train: --lr, --anneal-cap do not apply to ease", concat(ease, "--lr", "0.1", "--anneal-cap", "0.3"));
        assertOneLineError("train: --resume does not apply to ease", concat(ease, "--resume"));
        assertOneLineError("train: --lambda does not apply to multvae", "train", "--model", "multvae", "--data", "ml-100k",
                "--data-dir", dataDir.toString(), "--out", tmp.resolve("vae").toString(), "--lambda", "5");
        assertOneLineError("train: --anneal-fraction does not apply to multdae", "train", "--model", "multdae", "--data",
                "ml-100k", "--data-dir", dataDir.toString(), "--out", tmp.resolve("dae").toString(), "--anneal-fraction", "0.5");
        assertOneLineError("eval: --seed does not apply to eval", "eval", "--model", tmp.resolve("m.sparsecf").toString(),
                "--seed", "3");
        assertFalse(Files.exists(tmp.resolve("ease")), "rejected before --out is created");
    }

    @Test
    void noValidationUsersIsRefusedBeforeTraining() throws IOException {
        Path dataDir = writeSmallMl100k(tmp.resolve("data"));
        Path out = tmp.resolve("run");
        Outcome o = run("train", "--model", "multvae", "--data", "ml-100k", "--data-dir", dataDir.toString(),
                "--validation-users", "0", "--out", out.toString());
        assertEquals(Main.USAGE_ERROR, o.code(), o.err());
        // after the load and split lines, which show what the split holds: one line naming the problem
        String last = o.err().strip().lines().reduce((a, b) -> b).orElseThrow();
        assertTrue(last.startsWith("sparsecf train: --validation-users: the validation set has no users with held-out items"),
                o.err());
        assertFalse(Files.exists(out.resolve(TrainingRun.MODEL_FILE)), "no untrained model is saved");
        assertFalse(Files.exists(out.resolve(TrainingRun.CHECKPOINT_FILE)));
    }

    @Test
    void anUnwritableOutSaysWhatFailed() throws IOException {
        Path file = tmp.resolve("a-file");
        Files.writeString(file, "x");
        // the data is read first (its progress lines), so that a bad input leaves --out untouched; the error is the last line
        Outcome o = train(file.resolve("run"));
        assertEquals(1, o.code(), o.err());
        assertTrue(o.err().lines().toList().getLast().contains("cannot create output directory " + file.resolve("run") + ": Not a directory"),
                o.err());
        o = train(Path.of("/proc/sparsecf-test-out"));
        assertEquals(1, o.code(), o.err());
        assertTrue(o.err().lines().toList().getLast().startsWith("sparsecf train: cannot create output directory /proc/sparsecf-test-out: "),
                o.err());
    }

    @Test
    void forceReplacesEveryFileOfAnotherModelsRun() throws IOException {
        Path dataDir = writeSmallMl100k(tmp.resolve("data"));
        Path out = tmp.resolve("run");
        Outcome t = run("train", "--model", "multdae", "--epochs", "2", "--data", "ml-100k", "--data-dir", dataDir.toString(),
                "--validation-users", "10", "--test-users", "10", "--out", out.toString());
        assertEquals(0, t.code(), t.err());
        byte[] vaeModel = Files.readAllBytes(out.resolve(TrainingRun.MODEL_FILE));
        assertTrue(Files.exists(out.resolve(TrainingRun.HISTORY_FILE)));
        assertFalse(Files.exists(out.resolve(TrainingRun.CHECKPOINT_FILE)), "a finished run deletes its checkpoint");
        Files.writeString(out.resolve(TrainingRun.CHECKPOINT_FILE), "left by a stopped run");
        t = run("train", "--model", "ease", "--lambda", "10", "--data", "ml-100k", "--data-dir", dataDir.toString(),
                "--validation-users", "10", "--test-users", "10", "--out", out.toString(), "--force");
        assertEquals(0, t.code(), t.err());
        assertEquals("ease", new ObjectMapper().readTree(out.resolve(TrainingRun.METRICS_FILE).toFile()).path("model").asText());
        assertFalse(Files.exists(out.resolve(TrainingRun.HISTORY_FILE)), "the Mult-DAE history is gone");
        assertFalse(Files.exists(out.resolve(TrainingRun.CHECKPOINT_FILE)), "the checkpoint is gone");
        Path model = out.resolve(TrainingRun.MODEL_FILE);
        assertTrue(!Files.exists(model) || !java.util.Arrays.equals(vaeModel, Files.readAllBytes(model)),
                "the Mult-DAE model file is gone or replaced");
    }

    @Test
    void aCheckpointIsContinuedOnlyWithResumeAndSplitChecksumsAloneBlockNothing() throws IOException {
        Path dataDir = writeSmallMl100k(tmp.resolve("data"));
        Path out = tmp.resolve("run");
        String[] args = {"train", "--model", "multvae", "--epochs", "2", "--data", "ml-100k", "--data-dir", dataDir.toString(),
                "--validation-users", "10", "--test-users", "10", "--out", out.toString()};
        assertOneLineError("holds no " + TrainingRun.CHECKPOINT_FILE + " to resume from", concat(args, "--resume"));
        assertOneLineError("--force starts over and --resume continues: choose one", concat(args, "--resume", "--force"));
        assertFalse(Files.exists(out), "a refused run creates nothing");
        // what a run stopped before its first checkpoint leaves
        Files.createDirectories(out);
        Files.writeString(out.resolve(TrainingRun.SPLIT_CHECKSUMS_FILE), "from a stopped run");
        Files.writeString(out.resolve(dev.sparsecf.run.RunLock.FILE), "99999999\n");
        Outcome t = run(args);
        assertEquals(0, t.code(), t.err());
        Files.delete(out.resolve(TrainingRun.METRICS_FILE));
        Files.delete(out.resolve(TrainingRun.MODEL_FILE));
        Files.delete(out.resolve(TrainingRun.HISTORY_FILE));
        Files.writeString(out.resolve(TrainingRun.CHECKPOINT_FILE), "a stopped run's");
        assertOneLineError("holds the " + TrainingRun.CHECKPOINT_FILE + " of an interrupted run; add --resume", args);
    }

    @Test
    void aSecondRunIntoTheSameOutFailsAtOnceNamingTheFirst() throws IOException {
        Path out = tmp.resolve("run");
        Files.createDirectories(out);
        try (dev.sparsecf.run.RunLock first = dev.sparsecf.run.RunLock.acquire(out)) {
            assertOneLineError("--out " + out + " is in use by another run (PID " + ProcessHandle.current().pid() + ")",
                    concat(new String[] {"train", "--model", "multdae", "--out", out.toString()}, DATA));
        }
        assertEquals(0, train(out).code(), "the lock is released with the run");
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static List<String> iterableToList(Iterator<String> names) {
        List<String> out = new ArrayList<>();
        names.forEachRemaining(out::add);
        return out;
    }
}
