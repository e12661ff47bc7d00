package dev.sparsecf.perf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultFilesTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static ResultFiles.Saved save(Path dir, String content) throws IOException {
        return ResultFiles.save(dir, "2025-01-02-abc1234-quick", bytes(content), name -> bytes("meta of " + name));
    }

    @Test
    void laterRunsGetNumberedNamesAndNeverOverwrite(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("intel-xeon-processor-avx512-2c");
        ResultFiles.Saved first = save(dir, "run 1");
        ResultFiles.Saved second = save(dir, "run 2");
        ResultFiles.Saved third = save(dir, "run 3");
        assertEquals(dir.resolve("2025-01-02-abc1234-quick.json"), first.results());
        assertEquals(dir.resolve("2025-01-02-abc1234-quick.meta.json"), first.meta());
        assertEquals(dir.resolve("2025-01-02-abc1234-quick-2.json"), second.results());
        assertEquals(dir.resolve("2025-01-02-abc1234-quick-3.meta.json"), third.meta());
        assertArrayEquals(bytes("run 1"), Files.readAllBytes(first.results()));
        assertArrayEquals(bytes("meta of 2025-01-02-abc1234-quick-2.json"), Files.readAllBytes(second.meta()));
    }

    @Test
    void aNameIsTakenWhenOnlyItsMetaFileExists(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("2025-01-02-abc1234-quick.meta.json"), "orphan");
        ResultFiles.Saved saved = save(dir, "run");
        assertEquals(dir.resolve("2025-01-02-abc1234-quick-2.json"), saved.results());
        assertEquals("orphan", Files.readString(dir.resolve("2025-01-02-abc1234-quick.meta.json")));
    }
}
