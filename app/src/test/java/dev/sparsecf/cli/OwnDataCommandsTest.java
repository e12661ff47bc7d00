package dev.sparsecf.cli;

import static dev.sparsecf.cli.DataCommandTest.assertLastLineError;
import static dev.sparsecf.cli.MainTest.assertOneLineError;
import static dev.sparsecf.cli.MainTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsecf.cli.MainTest.Outcome;
import dev.sparsecf.run.TrainingRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --data FILE} through the commands: train, eval, data stats and data split on small files written here. */
class OwnDataCommandsTest {

    private static final String[] SPLIT = {"--validation-users", "10", "--test-users", "10"};

    @TempDir
    Path tmp;

    /** The rows of {@link ModelCommandsTest#writeSmallMl100k} as a CSV with string ids and a header. */
    private Path clicksCsv() throws IOException {
        List<String> rows = Files.readAllLines(ModelCommandsTest.writeSmallMl100k(tmp.resolve("data")).resolve("ml-100k").resolve("u.data"));
        StringBuilder csv = new StringBuilder("user_id,item_id,rating\n");
        for (String row : rows) {
            String[] f = row.split("\t");
            csv.append("user-").append(f[0]).append(",\"item:").append(f[1]).append("\",").append(f[2]).append('\n');
        }
        return Files.writeString(tmp.resolve("clicks.csv"), csv);
    }

    private static String[] args(String[] head, String... tail) {
        String[] all = new String[head.length + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }

    @Test
    void trainEaseOnAFileWritesAModelThatEvalReadsWithStringIds() throws IOException {
        Path csv = clicksCsv();
        Path out = tmp.resolve("run");
        Outcome t = run(args(new String[] {"train", "--model", "ease", "--data", csv.toString(), "--lambda", "10", "--lambda-edge-steps", "0",
                "--out", out.toString()}, SPLIT));
        assertEquals(0, t.code(), t.err());
        assertTrue(Files.exists(out.resolve(TrainingRun.MODEL_FILE)));
        Outcome e = run("eval", "--model", out.resolve(TrainingRun.MODEL_FILE).toString());
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().contains("NDCG@100"), e.out());
    }

    /**
     * The model file keeps the file's string ids: recommendations name users and items as the CSV does, and a
     * history names them the same way; its unknown users and items are counted in one line, or with --strict
     * the first is a one-line error naming the file, line and id.
     */
    @Test
    void recommendationsAndHistoriesUseTheFilesOwnIds() throws IOException {
        Path csv = clicksCsv();
        Path run = tmp.resolve("run");
        assertEquals(0, run(args(new String[] {"train", "--model", "ease", "--data", csv.toString(), "--lambda", "10",
                "--lambda-edge-steps", "0", "--out", run.toString()}, SPLIT)).code());
        String model = run.resolve(TrainingRun.MODEL_FILE).toString();
        Path recs = tmp.resolve("recs.csv");
        Outcome all = run("recommend", "--model", model, "--users", "all", "-k", "3", "--out",
                recs.toString());
        assertEquals(0, all.code(), all.err());
        List<String> rows = Files.readAllLines(recs);
        assertEquals("user,rank,item,score", rows.getFirst());
        assertTrue(rows.stream().skip(1).allMatch(r -> r.matches("user-\\d+,[123],item:\\d+,[-0-9.E]+")), rows.toString());

        Path history = Files.writeString(tmp.resolve("history.tsv"), "user\titem\trating\n"
                + "fresh\titem:1\t5\nfresh\tghost\t5\nfresh\t\"item:2\"\t5\nother\tspook\t4\nother\titem:3\t5\n"
                + "other\tghost\t1\n");
        Path users = Files.writeString(tmp.resolve("users.txt"), "fresh\nnobody\nother\n");
        Path out = tmp.resolve("fresh.csv");
        Outcome h = run("recommend", "--model", model, "--history", history.toString(), "--users", users.toString(), "-k", "2",
                "--out", out.toString());
        assertEquals(0, h.code(), h.err());
        assertTrue(h.err().contains("skipped 1 users of " + users + " who are not in " + history + " (first: 'nobody' on line 2)"
                + " and 3 clicks of " + history + " on 2 items the model does not have (first: 'ghost' on line 3);"
                + " --strict makes this an error"), h.err());
        List<String> fresh = Files.readAllLines(out);
        assertEquals(List.of("fresh", "fresh", "other", "other"), fresh.stream().skip(1).map(r -> r.split(",")[0]).toList());
        assertFalse(fresh.stream().anyMatch(r -> r.matches("fresh,.,item:[12],.*") || r.matches("other,.,item:3,.*")),
                "the history's items are excluded: " + fresh);

        Path strictOut = tmp.resolve("strict.csv");
        assertLastLineError(1, "sparsecf recommend: " + history + ":3: column 'item': 'ghost' is not an item of the model (--strict)",
                run("recommend", "--model", model, "--history", history.toString(), "--users", "all", "--out",
                        strictOut.toString(), "--strict"));
        assertFalse(Files.exists(strictOut));
        Path known = Files.writeString(tmp.resolve("known.csv"), "user,item,rating\nfresh,item:1,5\n");
        assertLastLineError(2, "--users " + users + ":2: no user 'nobody' in " + known + " (--strict)",
                run("recommend", "--model", model, "--history", known.toString(), "--users", users.toString(), "--out",
                        strictOut.toString(), "--strict", "--rating-col", "rating"));
        assertOneLineError("--history " + tmp.resolve("none.csv") + ": no such file", "recommend", "--model", model, "--history",
                tmp.resolve("none.csv").toString(), "--users", "all", "--out", strictOut.toString());
    }

    @Test
    void dataStatsReportsHowTheFileWasReadAndWhatEachRuleDropped() throws IOException {
        Path f = Files.writeString(tmp.resolve("r.tsv"), "user\titem\trating\nu1\ti1\t5\nu1\ti1\t1\nu2\ti1\t5\nu2\ti2\t5\nu3\ti3\t2\nu3\ti1\t4\n");
        Outcome o = run("data", "stats", "--data", f.toString(), "--min-rating", "4", "--min-item-clicks", "2");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("read: tab-separated, header; user 'user', item 'item', rating 'rating'; 6 rows"), o.out());
        assertTrue(o.out().contains("repeated pairs merged (a repeated pair keeps its highest value): 1"), o.out());
        assertTrue(o.out().contains("pairs below --min-rating: 1"), o.out());
        assertTrue(o.out().contains("pairs of items below --min-item-clicks: 1"), o.out());
        assertTrue(o.out().contains("positives kept: 3"), o.out());
    }

    @Test
    void aFileSplitsAsTheDatasetItWasWrittenFrom() throws IOException {
        Path csv = clicksCsv();
        // ids of the CSV differ ("user-1"), so compare with a CSV of the same ids as u.data
        Path plain = Files.writeString(tmp.resolve("u.csv"), "userId,movieId,rating,timestamp\n"
                + String.join("\n", Files.readAllLines(tmp.resolve("data/ml-100k/u.data")).stream().map(l -> l.replace('\t', ',')).toList()) + "\n");
        Outcome named = run(args(new String[] {"data", "split", "--data", "ml-100k", "--data-dir", tmp.resolve("data").toString(),
                "--out", tmp.resolve("a").toString()}, SPLIT));
        Outcome file = run(args(new String[] {"data", "split", "--data", plain.toString(), "--min-rating", "4",
                "--out", tmp.resolve("b").toString()}, SPLIT));
        assertEquals(0, named.code(), named.err());
        assertEquals(0, file.code(), file.err());
        assertEquals(fingerprint(named), fingerprint(file));
        assertTrue(Files.exists(csv));
    }

    private static String fingerprint(Outcome o) {
        return o.out().lines().filter(l -> l.startsWith("fingerprint")).findFirst().orElseThrow();
    }

    @Test
    void badInputIsOneLineAndLeavesOutUntouched() throws IOException {
        Path bad = Files.writeString(tmp.resolve("clicks.csv"), "user,item,rating\nu1,i1,5\nu2,i2,abc\n");
        Path out = tmp.resolve("run");
        assertLastLineError(1, "clicks.csv:3: column 'rating': 'abc' is not a number",
                run("train", "--model", "ease", "--data", bad.toString(), "--out", out.toString()));
        assertFalse(Files.exists(out), "nothing is written to --out before the input is read");
        assertLastLineError(1, "clicks.csv:3: column 'rating': 'abc' is not a number",
                run("data", "split", "--data", bad.toString(), "--out", out.toString()));
        assertFalse(Files.exists(out));
        assertEquals(0, run("data", "stats", "--data", bad.toString(), "--max-bad-lines", "1").code());

        Path empty = Files.writeString(tmp.resolve("empty.csv"), "");
        assertLastLineError(1, empty + ": the file is empty", run("data", "stats", "--data", empty.toString()));
        assertLastLineError(1, "no positive left after the rule rating >= 9",
                run("data", "stats", "--data", bad.toString(), "--min-rating", "9", "--max-bad-lines", "1"));
        Path noUser = Files.writeString(tmp.resolve("nouser.csv"), "who,item\nu1,i1\n");
        assertLastLineError(2, "names no user column; name it with --user-col", run("data", "stats", "--data", noUser.toString()));
        assertEquals(0, run("data", "stats", "--data", noUser.toString(), "--user-col", "who").code());
    }

    @Test
    void fileOptionsAreUsageErrors() throws IOException {
        Path csv = Files.writeString(tmp.resolve("c.csv"), "user,item\nu1,i1\n");
        assertOneLineError("--sep must be one of , tab ; | :: whitespace, got '#'", "data", "stats", "--data", csv.toString(), "--sep", "#");
        assertOneLineError("--k-core repeats --min-user-clicks and --min-item-clicks", "data", "stats", "--data", csv.toString(), "--k-core");
        assertOneLineError("the dataset synthetic:0.001 has its own format and positives",
                "data", "stats", "--data", "synthetic:0.001", "--min-rating", "4");
        assertOneLineError("--data: 'nothere.csv' is neither a dataset", "train", "--model", "ease", "--data", "nothere.csv",
                "--out", tmp.resolve("x").toString());
    }
}
