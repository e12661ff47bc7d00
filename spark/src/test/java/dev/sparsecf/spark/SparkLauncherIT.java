package dev.sparsecf.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsecf.data.DataSplit;
import dev.sparsecf.data.FileOptions;
import dev.sparsecf.data.InteractionFiles;
import dev.sparsecf.data.SplitConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./sparsecf spark ...} through the real launcher: Spark on the class path, its JVM flags, one-line errors. */
class SparkLauncherIT {

    private static final Path LAUNCHER = Path.of("..", "sparsecf").toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    @Test
    void prepareWritesTheSingleNodeSplitAndABadLineIsOneLine() throws Exception {
        List<String> lines = new ArrayList<>(List.of("user,item"));
        for (int u = 0; u < 40; u++) {
            for (int i = 0; i < 6 + u % 5; i++) {
                lines.add(u + "," + (u * 7 + i * 3) % 50);
            }
        }
        Path clicks = tmp.resolve("clicks.csv");
        Files.write(clicks, lines);
        String expected = DataSplit.create(InteractionFiles.load(clicks, FileOptions.DEFAULT).positives(),
                SplitConfig.defaults(0)).export(tmp.resolve("single"));

        Result ok = launch("spark", "prepare", "--data", clicks.toString(), "--out", tmp.resolve("split").toString());
        assertEquals(0, ok.code(), ok.output());
        assertTrue(ok.output().contains("fingerprint (SHA-256 of SHA256SUMS): " + expected), ok.output());

        lines.add("7,x,extra");
        Files.write(clicks, lines);
        Result bad = launch("spark", "prepare", "--data", clicks.toString(), "--out", tmp.resolve("bad").toString());
        assertEquals(1, bad.code(), bad.output());
        String error = bad.output().lines().filter(l -> l.startsWith("sparsecf spark: ")).findFirst().orElse(bad.output());
        assertTrue(error.contains(clicks + ":" + lines.size() + ": expected 2 fields"), error);
        assertTrue(bad.output().lines().noneMatch(l -> l.startsWith("\tat ")), "no stack trace: " + bad.output());
    }

    private record Result(int code, String output) {
    }

    private static Result launch(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "still running: " + command);
        return new Result(p.exitValue(), output);
    }
}
