package dev.sparsecf.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsecf.data.DataSplit;
import dev.sparsecf.data.FileOptions;
import dev.sparsecf.data.InteractionFiles;
import dev.sparsecf.data.SplitConfig;
import dev.sparsecf.testing.Launcher;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./sparsecf spark ...} through the real launcher: Spark on the class path, its JVM flags, one-line errors,
 * and a run killed mid-way (SIGKILL, no shutdown hook) that leaves no output a later step could take for complete.
 */
class SparkLauncherIT {

    @TempDir
    Path tmp;

    @Test
    void prepareWritesTheSingleNodeSplitAndABadLineIsOneLine() throws Exception {
        List<String> lines = clicks();
        Path clicks = tmp.resolve("clicks.csv");
        Files.write(clicks, lines);
        String expected = DataSplit.create(InteractionFiles.load(clicks, FileOptions.DEFAULT).positives(),
                SplitConfig.defaults(0)).export(tmp.resolve("single"));

        Launcher.Result ok = Launcher.run(300, "spark", "prepare", "--data", clicks.toString(), "--out", tmp.resolve("split").toString());
        assertEquals(0, ok.code(), ok.output());
        assertTrue(ok.output().contains("fingerprint (SHA-256 of SHA256SUMS): " + expected), ok.output());

        lines.add("7,x,extra");
        Files.write(clicks, lines);
        Launcher.Result bad = Launcher.run(300, "spark", "prepare", "--data", clicks.toString(), "--out", tmp.resolve("bad").toString());
        assertEquals(1, bad.code(), bad.output());
        String error = bad.output().lines().filter(l -> l.startsWith("sparsecf spark: ")).findFirst().orElse(bad.output());
        assertTrue(error.contains(clicks + ":" + lines.size() + ": expected 2 fields"), error);
        assertTrue(bad.output().lines().noneMatch(l -> l.startsWith("\tat ")), "no stack trace: " + bad.output());
    }

    @Test
    void aKilledPrepareLeavesNoSplitAndItsRerunWritesTheWholeOne() throws Exception {
        Path clicks = tmp.resolve("clicks.csv");
        Files.write(clicks, clicks());
        String expected = DataSplit.create(InteractionFiles.load(clicks, FileOptions.DEFAULT).positives(),
                SplitConfig.defaults(0)).export(tmp.resolve("single"));
        Path out = tmp.resolve("split");
        Process p = Launcher.start("spark", "prepare", "--data", clicks.toString(), "--out", out.toString());
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null && !line.startsWith("reading "); line = r.readLine()) {
                // the job has begun its temporary output once it says what it reads
            }
            p.descendants().forEach(ProcessHandle::destroyForcibly); // the JVM first: no shutdown hook, no clean-up
            p.destroyForcibly();
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertFalse(Files.exists(out), "a killed run leaves no " + out);
        List<Path> leftovers = siblings(out);
        assertEquals(1, leftovers.size(), "the killed run's temporary directory: " + leftovers);
        // what the next steps read is refused, not taken for a split (the check cooccur, ease and recommend make first)
        for (Path split : List.of(out, leftovers.getFirst())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PrepareJob.requireComplete(split));
            assertTrue(e.getMessage().startsWith("--split " + split + ": not a complete split"), e.getMessage());
        }

        Launcher.Result rerun = Launcher.run(300, "spark", "prepare", "--data", clicks.toString(), "--out", out.toString());
        assertEquals(0, rerun.code(), rerun.output());
        assertEquals(List.of(), siblings(out), "the rerun removed the leftovers");
        assertTrue(rerun.output().contains("fingerprint (SHA-256 of SHA256SUMS): " + expected), rerun.output());
        DataSplit.readVerified(out); // every file as its SHA256SUMS says
    }

    /** 40 users with 6 to 10 items each over 50 items, with a header. */
    private static List<String> clicks() {
        List<String> lines = new ArrayList<>(List.of("user,item"));
        for (int u = 0; u < 40; u++) {
            for (int i = 0; i < 6 + u % 5; i++) {
                lines.add(u + "," + (u * 7 + i * 3) % 50);
            }
        }
        return lines;
    }

    private static List<Path> siblings(Path out) throws IOException {
        try (Stream<Path> s = Files.list(out.getParent())) {
            return s.filter(f -> f.getFileName().toString().startsWith("." + out.getFileName() + ".tmp-")).toList();
        }
    }
}
