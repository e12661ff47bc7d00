package dev.sparsecf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsecf.testing.Launcher;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a command prints reaches the terminal through the real launcher and {@code Main.main}: {@code recommend}
 * wrote its table with {@code print}, which the auto-flushing writer does not flush, and {@code System.exit} lost it.
 */
class LauncherOutputIT {

    @TempDir
    Path tmp;

    @Test
    void recommendPrintsItsWholeTable() throws Exception {
        Path dataDir = ModelCommandsTest.writeSmallMl100k(tmp.resolve("data"));
        Path out = tmp.resolve("dae");
        Launcher.Result train = launch("train", "--model", "multdae", "--data", "ml-100k", "--data-dir", dataDir.toString(),
                "--epochs", "2", "--validation-users", "10", "--test-users", "10", "--out", out.toString());
        assertEquals(0, train.code(), train.output());
        Launcher.Result rec = launch("recommend", "--model", out.resolve("model.sparsecf").toString(), "--data-dir",
                dataDir.toString(), "--user", "1", "-k", "3");
        assertEquals(0, rec.code(), rec.output());
        List<String> lines = rec.output().lines().toList();
        int header = lines.indexOf(lines.stream().filter(l -> l.startsWith("user 1:")).findFirst().orElseThrow());
        assertTrue(lines.size() >= header + 4, "a header and 3 ranked rows: " + rec.output());
        for (int r = 1; r <= 3; r++) {
            assertTrue(lines.get(header + r).strip().startsWith(Integer.toString(r)), rec.output());
        }
    }

    private static Launcher.Result launch(String... args) throws IOException, InterruptedException {
        return Launcher.run(120, args);
    }
}
