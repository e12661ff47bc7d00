package dev.sparsecf.cli;

import static dev.sparsecf.cli.MainTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsecf.cli.MainTest.Outcome;
import dev.sparsecf.run.TrainingRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code recommend} with a model trained on split files ({@code --train/--test}, {@code --split}): each user's clicks
 * are all of that user's pairs in the files, so the lists equal the ones {@code --history} gives from the same pairs
 * written as a history file (fold-in, an independent path), and, for an exported split, the ones of the same model
 * trained on the dataset the split came from.
 */
class SplitRecommendTest {

    @TempDir
    Path tmp;

    private static String ok(Outcome o) {
        assertEquals(0, o.code(), o.err());
        return o.out();
    }

    @Test
    void perUserSplitModelRecommendsFromEveryPairOfTheFilesAsAHistoryWould() throws IOException {
        StringBuilder train = new StringBuilder();
        StringBuilder test = new StringBuilder();
        StringBuilder history = new StringBuilder("user,item\n");
        for (int u = 0; u < 40; u++) {
            train.append("u").append(u);
            for (int t = 0; t < 6; t++) {
                int item = (u * 7 + t * 3) % 30;
                train.append(" i").append(item);
                history.append("u").append(u).append(",i").append(item).append('\n');
            }
            train.append('\n');
            int a = (u * 11 + 1) % 30;
            test.append("u").append(u).append(" i").append(a).append(u == 39 ? " new-item" : "").append('\n');
            history.append("u").append(u).append(",i").append(a).append('\n');
        }
        test.append("stranger i1 i2\n"); // not a training user: left out of the split, so not recommended for
        Path trainFile = Files.writeString(tmp.resolve("train.txt"), train);
        Path testFile = Files.writeString(tmp.resolve("test.txt"), test);
        Path historyFile = Files.writeString(tmp.resolve("history.csv"), history);
        Path out = tmp.resolve("run");
        ok(run("train", "--model", "ease", "--train", trainFile.toString(), "--test", testFile.toString(), "--lambda", "5",
                "--lambda-edge-steps", "0", "--out", out.toString()));
        String model = out.resolve(TrainingRun.MODEL_FILE).toString();

        Path fromSplit = tmp.resolve("split.csv");
        ok(run("recommend", "--model", model, "--users", "all", "-k", "5", "--out", fromSplit.toString()));
        Path fromHistory = tmp.resolve("history-recs.csv");
        ok(run("recommend", "--model", model, "--history", historyFile.toString(), "--users", "all", "-k", "5", "--out",
                fromHistory.toString()));
        List<String> lines = Files.readAllLines(fromSplit);
        assertEquals(1 + 40 * 5, lines.size(), "a header and 5 items for each of the 40 training users");
        assertEquals(Files.readAllLines(fromHistory), lines);
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("stranger")), lines.toString());

        String one = ok(run("recommend", "--model", model, "--user", "u3", "-k", "3"));
        assertTrue(one.startsWith("user u3: 7 known items (7 in the model's catalogue); top 3 of 30 items:"), one);
    }

    @Test
    void exportedSplitModelRecommendsAsTheModelTrainedOnItsDataset() throws IOException {
        Path data = ModelCommandsTest.writeSmallMl100k(tmp.resolve("data"));
        Path split = tmp.resolve("split");
        ok(run("data", "split", "--data", "ml-100k", "--data-dir", data.toString(), "--out", split.toString(), "--seed", "3",
                "--validation-users", "10", "--test-users", "10"));
        List<String> ease = List.of("train", "--model", "ease", "--lambda", "50", "--lambda-edge-steps", "0", "--seed", "3",
                "--validation-users", "10", "--test-users", "10");
        Path a = tmp.resolve("a");
        ok(run(concat(ease, "--data", "ml-100k", "--data-dir", data.toString(), "--out", a.toString())));
        Path b = tmp.resolve("b");
        ok(run("train", "--model", "ease", "--lambda", "50", "--lambda-edge-steps", "0", "--seed", "3", "--split", split.toString(),
                "--out", b.toString()));
        Path recsA = tmp.resolve("a.csv");
        Path recsB = tmp.resolve("b.csv");
        ok(run("recommend", "--model", a.resolve(TrainingRun.MODEL_FILE).toString(), "--data-dir", data.toString(), "--users", "all",
                "-k", "10", "--out", recsA.toString()));
        ok(run("recommend", "--model", b.resolve(TrainingRun.MODEL_FILE).toString(), "--users", "all", "-k", "10", "--out",
                recsB.toString()));
        List<String> lines = Files.readAllLines(recsB);
        assertTrue(lines.size() > 1 + 10 * 20, "the split's users: " + lines.size() + " lines");
        assertEquals(Files.readAllLines(recsA), lines);
    }

    private static String[] concat(List<String> head, String... tail) {
        return java.util.stream.Stream.concat(head.stream(), java.util.Arrays.stream(tail)).toArray(String[]::new);
    }
}
