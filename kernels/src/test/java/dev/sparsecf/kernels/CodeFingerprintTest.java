package dev.sparsecf.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CodeFingerprintTest {

    @TempDir
    Path dir;

    private Path jar(String name, Map<String, String> entries) throws IOException {
        Path file = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out)) {
            for (var e : entries.entrySet()) {
                jar.putNextEntry(new JarEntry(e.getKey()));
                jar.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                jar.closeEntry();
            }
        }
        return file;
    }

    @Test
    void aJarsFingerprintFollowsTheClassesOfThePackageOnly() throws IOException {
        String p = "dev/sparsecf/kernels/";
        String base = CodeFingerprint.of(jar("a.jar", Map.of(p + "A.class", "one", p + "panama/B.class", "two",
                "other/C.class", "three")), p);
        assertTrue(base.matches("[0-9a-f]{8}"), base);
        assertEquals(base, CodeFingerprint.of(jar("same.jar", Map.of(p + "panama/B.class", "two", p + "A.class", "one",
                "other/C.class", "changed outside the package", p + "notes.txt", "not a class")), p),
                "order of entries, other packages and resources do not matter");
        assertNotEquals(base, CodeFingerprint.of(jar("b.jar", Map.of(p + "A.class", "one", p + "panama/B.class", "TWO",
                "other/C.class", "three")), p), "a changed kernel class");
        assertNotEquals(base, CodeFingerprint.of(jar("c.jar", Map.of(p + "A.class", "one", p + "panama/D.class", "two",
                "other/C.class", "three")), p), "a renamed kernel class");
    }

    @Test
    void aClassDirectorysFingerprintFollowsItsClassFiles() throws IOException {
        Path classes = dir.resolve("classes");
        Path b = classes.resolve("dev/sparsecf/kernels/panama/B.class");
        Files.createDirectories(b.getParent());
        Files.writeString(classes.resolve("dev/sparsecf/kernels/A.class"), "one");
        Files.writeString(b, "two");
        String p = "dev/sparsecf/kernels/";
        String before = CodeFingerprint.of(classes, p);
        assertEquals(before, CodeFingerprint.of(classes, p));
        Files.writeString(b, "TWO");
        assertNotEquals(before, CodeFingerprint.of(classes, p));
    }

    @Test
    void theKernelsOwnClassesHaveOne() {
        assertTrue(CodeFingerprint.of(AutoBlas.class).matches("[0-9a-f]{8}"));
    }
}
