package dev.sparsecf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sparsecf.study.StudyCells;
import dev.sparsecf.study.StudyJournal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code study beta} processes started together on the same dataset and {@code --out}, through the real
 * launcher: between them every cell runs once, neither loses the other's rows, and both runs are in the journal.
 */
class SharedStudyIT {

    private static final Path LAUNCHER = Path.of("..", "sparsecf").toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    @Test
    void twoRunsSharingAFolderRunEveryCellOnceAndKeepEachOthersRows() throws Exception {
        Path dataDir = ModelCommandsTest.writeSmallMl100k(tmp.resolve("data"));
        Path out = tmp.resolve("study");
        List<String> command = List.of(LAUNCHER.toString(), "study", "beta", "--data", "ml-100k", "--data-dir",
                dataDir.toString(), "--seeds", "3", "--validation-users", "10", "--test-users", "10", "--variants",
                "const-0,const-0.2,const-0.5", "--epochs", "3", "--patience", "0", "--out", out.toString());
        List<Process> runs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            runs.add(new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(tmp.resolve("run" + i + ".log").toFile()).start());
        }
        StringBuilder logs = new StringBuilder();
        for (int i = 0; i < 2; i++) {
            assertTrue(runs.get(i).waitFor(300, TimeUnit.SECONDS), "run " + i + " did not end");
            String log = Files.readString(tmp.resolve("run" + i + ".log"));
            assertEquals(0, runs.get(i).exitValue(), log);
            logs.append(log);
        }
        List<String> rows = StudyCells.read(out.resolve("ml-100k").resolve(StudyCells.FILE)).stream()
                .map(c -> c.variant() + " " + c.seed()).sorted().toList();
        assertEquals(List.of("const-0 0", "const-0 1", "const-0 2", "const-0.2 0", "const-0.2 1", "const-0.2 2",
                "const-0.5 0", "const-0.5 1", "const-0.5 2"), rows, logs.toString());
        assertEquals(9, logs.toString().lines().filter(l -> l.contains(": test NDCG@100 ")).count(),
                "each cell trained once between the two runs: " + logs);
        assertEquals(2, new ObjectMapper().readTree(out.resolve(StudyJournal.FILE).toFile()).get("runs").size(),
                "both runs in the journal");
    }
}
