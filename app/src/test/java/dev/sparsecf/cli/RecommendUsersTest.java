package dev.sparsecf.cli;

import static dev.sparsecf.cli.MainTest.assertOneLineError;
import static dev.sparsecf.cli.MainTest.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sparsecf.cli.MainTest.Outcome;
import dev.sparsecf.data.DataSplit;
import dev.sparsecf.data.Interactions;
import dev.sparsecf.kernels.Kernels;
import dev.sparsecf.models.ModelFile;
import dev.sparsecf.run.DataSteps;
import dev.sparsecf.run.SavedModels;
import dev.sparsecf.run.TrainingRun;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code sparsecf recommend --users}: many users' lists into CSV or JSONL files, each the single-user mode's list. */
class RecommendUsersTest {

    /** 80 users x 40 items ({@link ModelCommandsTest#writeSmallMl100k}), 10 validation and 10 test users. */
    @TempDir
    static Path shared;

    private static Path dataDir;

    @TempDir
    Path tmp;

    @BeforeAll
    static void trainBothModels() throws IOException {
        dataDir = ModelCommandsTest.writeSmallMl100k(shared.resolve("data"));
        for (String model : List.of("ease", "multdae")) {
            Outcome t = run("train", "--model", model, "--data", "ml-100k", "--data-dir", dataDir.toString(),
                    "--validation-users", "10", "--test-users", "10", "--out", shared.resolve(model).toString());
            assertEquals(0, t.code(), t.err());
        }
    }

    private static Path model(String name) {
        return shared.resolve(name).resolve(TrainingRun.MODEL_FILE);
    }

    /** One user's list as read from a file: item ids and scores, best first. */
    record Ranked(List<String> items, List<Float> scores) {
        Ranked() {
            this(new ArrayList<>(), new ArrayList<>());
        }
    }

    private static Outcome recommend(String model, String users, Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("recommend", "--model", model(model).toString(), "--data-dir",
                dataDir.toString(), "--users", users, "--out", out.toString()));
        args.addAll(List.of(extra));
        return run(args.toArray(String[]::new));
    }

    private static BufferedReader open(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        return new BufferedReader(new InputStreamReader(file.toString().endsWith(".gz") ? new GZIPInputStream(in) : in,
                StandardCharsets.UTF_8));
    }

    /** A CSV or JSONL file's lists by user, in file order; CSV ranks must run 1, 2, ... per user. */
    static Map<String, Ranked> read(Path file) throws IOException {
        Map<String, Ranked> lists = new LinkedHashMap<>();
        try (BufferedReader in = open(file)) {
            if (file.toString().contains(".csv")) {
                assertEquals("user,rank,item,score", in.readLine());
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    String[] f = line.split(",");
                    Ranked r = lists.computeIfAbsent(f[0], u -> new Ranked());
                    assertEquals(r.items().size() + 1, Integer.parseInt(f[1]), line);
                    r.items().add(f[2]);
                    r.scores().add(Float.parseFloat(f[3]));
                }
            } else {
                ObjectMapper json = new ObjectMapper();
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    JsonNode o = json.readTree(line);
                    assertEquals(List.of("user", "items", "scores"), iterableToList(o.fieldNames()), line);
                    Ranked r = new Ranked();
                    o.path("items").forEach(i -> r.items().add(i.asText()));
                    o.path("scores").forEach(s -> r.scores().add(s.floatValue()));
                    assertEquals(r.items().size(), r.scores().size(), line);
                    assertEquals(null, lists.put(o.path("user").asText(), r), "one line per user: " + line);
                }
            }
        }
        return lists;
    }

    private static List<String> iterableToList(java.util.Iterator<String> it) {
        List<String> l = new ArrayList<>();
        it.forEachRemaining(l::add);
        return l;
    }

    /**
     * {@code --users all} into CSV, JSONL and gzip: every user of the split, in the dataset's order, each with the
     * list {@link SavedModels#recommend} (the single-user mode) gives, scores bit for bit, and no seen item.
     */
    @ParameterizedTest
    @ValueSource(strings = {"ease", "multdae"})
    void allUsersGetTheSingleUserListInEveryFormat(String model) throws IOException {
        List<Map<String, Ranked>> files = new ArrayList<>();
        for (String name : List.of("recs.csv", "recs.jsonl", "recs.csv.gz", "recs.jsonl.gz")) {
            Path out = tmp.resolve(name);
            Outcome o = recommend(model, "all", out, "-k", "5");
            assertEquals(0, o.code(), o.err());
            assertTrue(o.out().contains("wrote the top 5 items of 80 users to " + out), o.out());
            assertFalse(o.err().contains("shorter"), o.err());
            files.add(read(out));
        }
        for (Map<String, Ranked> f : files.subList(1, files.size())) {
            assertEquals(files.getFirst(), f, "every format holds the same lists");
        }
        Map<String, Ranked> lists = files.getFirst();
        Kernels kernels = Kernels.get().rowInvariant(); // as the command scores
        try (ModelFile.Loaded loaded = ModelFile.load(model(model), kernels)) {
            PrintWriter quiet = new PrintWriter(Writer.nullWriter());
            SavedModels.TrainingSplit ts = SavedModels.trainingSplit(loaded, model(model));
            Interactions positives = DataSteps.load(quiet, ts.data(), dataDir);
            DataSplit split = DataSteps.split(quiet, positives, ts.config());
            TreeSet<Integer> splitUsers = new TreeSet<>();
            for (DataSplit.HeldOut h : List.of(split.validation(), split.test())) {
                h.users().ids().forEach(id -> splitUsers.add(positives.users().index(id)));
            }
            split.train().users().ids().forEach(id -> splitUsers.add(positives.users().index(id)));
            assertEquals(splitUsers.stream().map(positives.users()::id).toList(), List.copyOf(lists.keySet()),
                    "the split's users, in the dataset's order");
            for (int u : splitUsers) {
                String user = positives.users().id(u);
                SavedModels.Recommendation rec = SavedModels.recommend(loaded, positives, u, 5, kernels);
                Ranked got = lists.get(user);
                assertEquals(List.of(rec.items()), got.items(), "user " + user);
                float[] scores = new float[got.scores().size()];
                for (int i = 0; i < scores.length; i++) {
                    scores[i] = got.scores().get(i);
                }
                assertArrayEquals(rec.scores(), scores, "user " + user + ": the same floats");
                for (int i : positives.itemsOf(u)) {
                    assertFalse(got.items().contains(positives.items().id(i)), "user " + user + " has seen item "
                            + positives.items().id(i));
                }
            }
        }
        // and as the single-user command prints it
        Outcome one = run("recommend", "--model", model(model).toString(), "--data-dir", dataDir.toString(), "--user", "7",
                "-k", "5");
        assertEquals(0, one.code(), one.err());
        Ranked seven = lists.get("7");
        List<String> expected = new ArrayList<>();
        for (int r = 0; r < 5; r++) {
            expected.add(String.format(Locale.ROOT, "%d %s %.4f", r + 1, seven.items().get(r), seven.scores().get(r)));
        }
        assertEquals(expected, one.out().lines().skip(1).map(l -> String.join(" ", l.strip().split(" +"))).toList());
    }

    /**
     * {@code --history}: every user's own training row, written under a new id ("new-7") in a history file, folds in
     * to the list the user gets from the model's data: the same items and scores, under the history's ids; the
     * model's data is not read (no --data-dir).
     */
    @ParameterizedTest
    @ValueSource(strings = {"ease", "multdae"})
    void foldingInAUsersOwnRowGivesTheirList(String model) throws IOException {
        Interactions positives = DataSteps.load(new PrintWriter(Writer.nullWriter()), "ml-100k", dataDir);
        StringBuilder history = new StringBuilder("item_id;user_id\n");
        for (int u = positives.numUsers() - 1; u >= 0; u--) {
            for (int i : positives.itemsOf(u)) {
                history.append(positives.items().id(i)).append(';').append("new-").append(positives.users().id(u)).append('\n');
            }
        }
        Path file = Files.writeString(tmp.resolve("history.csv"), history);
        Path own = tmp.resolve("own.csv");
        assertEquals(0, recommend(model, "all", own, "-k", "5").code());
        Path folded = tmp.resolve("folded.jsonl");
        Outcome o = run("recommend", "--model", model(model).toString(), "--history", file.toString(), "--users", "all",
                "-k", "5", "--out", folded.toString());
        assertEquals(0, o.code(), o.err());
        assertTrue(o.err().contains("loaded the history of 80 users: " + String.format(Locale.ROOT, "%,d", positives.size())
                + " clicks on the model's items"), o.err());
        assertFalse(o.err().contains("skipped"), o.err());
        Map<String, Ranked> mine = read(own);
        Map<String, Ranked> theirs = read(folded);
        assertEquals(80, theirs.size());
        for (Map.Entry<String, Ranked> e : mine.entrySet()) {
            assertEquals(e.getValue(), theirs.get("new-" + e.getKey()), "user " + e.getKey());
        }
        // one user as a table, from the history
        Outcome one = run("recommend", "--model", model(model).toString(), "--history", file.toString(), "--user", "new-7",
                "-k", "5");
        assertEquals(0, one.code(), one.err());
        assertEquals(mine.get("7").items(), one.out().lines().skip(1).map(l -> l.strip().split(" +")[1]).toList());
    }

    @Test
    void kBeyondTheCatalogueIsClampedPerUserAsForOneUser() throws IOException {
        Path out = tmp.resolve("recs.jsonl");
        Outcome o = recommend("ease", "all", out, "-k", "100");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.err().contains("-k 100 exceeds the catalogue items 80 users have not seen; their lists are shorter"),
                o.err());
        Map<String, Ranked> lists = read(out);
        Kernels kernels = Kernels.get().rowInvariant(); // as the command scores
        try (ModelFile.Loaded loaded = ModelFile.load(model("ease"), kernels)) {
            Interactions positives = DataSteps.load(new PrintWriter(Writer.nullWriter()), "ml-100k", dataDir);
            for (String user : List.of("1", "7", "80")) {
                SavedModels.Recommendation rec = SavedModels.recommend(loaded, positives, positives.users().index(user),
                        100, kernels);
                assertEquals(rec.catalogue() - rec.seen(), lists.get(user).items().size(), "user " + user);
                assertEquals(List.of(rec.items()), lists.get(user).items(), "user " + user);
            }
        }
    }

    @Test
    void unknownUsersOfAFileAreCountedOrWithStrictFatal() throws IOException {
        Path users = tmp.resolve("users.txt");
        Files.writeString(users, "\uFEFF7\nnobody\n\n 12 \nghost\n7\n");
        Path out = tmp.resolve("recs.csv");
        Outcome o = recommend("ease", users.toString(), out, "-k", "3");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.err().contains("skipped 2 users of " + users + " who are not in ml-100k (rating >= 4) (first: 'nobody' on line 2);"
                + " --strict makes this an error"), o.err());
        assertTrue(o.out().contains("wrote the top 3 items of 3 users"), o.out());
        List<String> rows = Files.readAllLines(out);
        assertEquals(1 + 3 * 3, rows.size(), "a header and 3 rows for each of 7, 12 and 7 again");
        assertEquals(List.of("7", "12", "7"), rows.stream().skip(1).filter(r -> r.contains(",1,"))
                .map(r -> r.substring(0, r.indexOf(','))).toList());

        Path strictOut = tmp.resolve("strict.csv");
        Outcome s = recommend("ease", users.toString(), strictOut, "--strict");
        assertEquals(Main.USAGE_ERROR, s.code(), s.err());
        String last = s.err().strip().lines().reduce((a, b) -> b).orElseThrow();
        assertTrue(last.startsWith("sparsecf recommend: --users " + users + ":2: no user 'nobody' in ml-100k (rating >= 4)"
                + " (--strict)"), s.err());
        assertFalse(Files.exists(strictOut), "nothing written");
        assertEquals(List.of("recs.csv", "users.txt"), listing(tmp));
    }

    @Test
    void anExistingOutIsReplacedOnlyWithForce() throws IOException {
        Path out = tmp.resolve("recs.csv");
        Files.writeString(out, "mine");
        assertOneLineError("--out " + out + " exists; pass --force to replace it", "recommend", "--model",
                model("ease").toString(), "--data-dir", dataDir.toString(), "--users", "all", "--out", out.toString());
        assertEquals("mine", Files.readString(out));
        Outcome o = recommend("ease", "all", out, "--force");
        assertEquals(0, o.code(), o.err());
        assertEquals(80, read(out).size());
        assertEquals(List.of("recs.csv"), listing(tmp), "no temporary file left");
    }

    @Test
    void optionMistakesAreOneLineErrors() {
        String m = model("ease").toString();
        assertOneLineError("--users needs --out FILE", "recommend", "--model", m, "--users", "all");
        assertOneLineError("--out " + tmp.resolve("recs.txt") + ": the name must end in .csv, .jsonl, .csv.gz or .jsonl.gz",
                "recommend", "--model", m, "--users", "all", "--out", tmp.resolve("recs.txt").toString());
        assertOneLineError("--users " + tmp.resolve("none.txt") + ": no such file (or 'all')", "recommend", "--model", m,
                "--users", tmp.resolve("none.txt").toString(), "--out", tmp.resolve("r.csv").toString());
        assertOneLineError("--strict does not apply to --users all", "recommend", "--model", m, "--users", "all",
                "--out", tmp.resolve("r.csv").toString(), "--strict");
        assertOneLineError("--out, --force do not apply to --user", "recommend", "--model", m, "--user", "7",
                "--out", tmp.resolve("r.csv").toString(), "--force");
        assertOneLineError("--user=ID, --users=all|FILE", "recommend", "--model", m, "--user", "7", "--users", "all");
    }

    private static List<String> listing(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }
}
