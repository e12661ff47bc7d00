package dev.sparsecf.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sparsecf.kernels.CsrMatrix;
import dev.sparsecf.kernels.DenseMatrix;
import dev.sparsecf.kernels.Kernels;
import dev.sparsecf.models.ease.EaseModel;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ModelFile}'s checks before it parses (version, CRC, kind) and the stored files of earlier builds
 * ({@link ModelFileFixtures}), which must keep loading into the same models.
 */
class ModelFileTest {

    /** Scalar kernels: deterministic, so two models of the same weights score bit for bit alike. */
    private final Kernels kernels = Kernels.create("scalar", "java", 1);

    @TempDir
    Path dir;

    /** The fixture Mult-VAE written to a file here. */
    private Path vaeFile() throws IOException {
        Path file = dir.resolve("vae.sparsecf");
        try (MultVae model = ModelFileFixtures.multVae(kernels)) {
            ModelFile.save(model, ModelFileFixtures.ITEMS, ModelFileFixtures.METADATA, file, false);
        }
        return file;
    }

    @Test
    void aFutureVersionIsRejectedNamingBothVersions() throws IOException {
        byte[] bytes = Files.readAllBytes(vaeFile());
        ByteBuffer.wrap(bytes).putInt(8, ModelFile.VERSION + 1); // after the 8 magic bytes
        Path future = write("future.sparsecf", withCrc(bytes));
        IOException e = assertThrows(IOException.class, () -> ModelFile.load(future, kernels));
        assertEquals("model file " + future + ": format version 2 is not supported (this build reads version 1)",
                e.getMessage());
    }

    /** A flipped bit in the header's kind, in the item count or in an item id: damage, whatever the field. */
    @Test
    void headerDamageIsReportedAsDamageBeforeAnyFieldIsParsed() throws IOException {
        byte[] good = Files.readAllBytes(vaeFile());
        int kind = indexOf(good, "kind=VAE") + "kind=".length();
        int itemId = indexOf(good, "item-");
        for (int at : new int[] {kind, kind + 2, itemId, 14}) {
            byte[] bytes = good.clone();
            bytes[at] ^= 0x04;
            Path damaged = write("damaged-" + at + ".sparsecf", bytes);
            IOException e = assertThrows(IOException.class, () -> ModelFile.load(damaged, kernels));
            assertEquals("model file " + damaged + ": checksum mismatch (the file is damaged or truncated)", e.getMessage(),
                    "byte " + at);
        }
    }

    /** A file whose CRC holds but whose kind this build does not know: a line naming the kind, no enum message. */
    @Test
    void anUnknownKindIsNamed() throws IOException {
        byte[] bytes = Files.readAllBytes(vaeFile());
        int kind = indexOf(bytes, "kind=VAE") + "kind=".length();
        System.arraycopy("GNN".getBytes(StandardCharsets.US_ASCII), 0, bytes, kind, 3);
        Path other = write("other.sparsecf", withCrc(bytes));
        IOException e = assertThrows(IOException.class, () -> ModelFile.load(other, kernels));
        assertEquals("model file " + other + ": unknown model kind 'GNN' (this build reads VAE, DAE and EASE)",
                e.getMessage());
    }

    @Test
    void storedMultVaeFileLoadsAndScoresAsTheModelItWasWrittenFrom() throws IOException, URISyntaxException {
        Path stored = fixture(ModelFileFixtures.VAE_V1);
        try (MultVae expected = ModelFileFixtures.multVae(kernels);
             ModelFile.LoadedVae loaded = (ModelFile.LoadedVae) ModelFile.load(stored, kernels);
             CsrMatrix users = users()) {
            assertEquals(expected.config(), loaded.model().config());
            assertEquals(ModelFileFixtures.ITEMS, loaded.items());
            assertEquals("fixture", loaded.metadata().get("dataset"));
            List<DenseMatrix> a = expected.parameters();
            List<DenseMatrix> b = loaded.model().parameters();
            assertEquals(a.size(), b.size());
            for (int t = 0; t < a.size(); t++) {
                assertArrayEquals(a.get(t).toArray(), b.get(t).toArray(), "parameter " + t);
            }
            float[] scale = {0.5f, 1f, 0.25f};
            float[] want = expected.score(users, scale).toArray();
            assertArrayEquals(want, loaded.model().score(users, scale).toArray());
        }
        assertSameBytesWhenWrittenAgain(stored, file -> {
            try (MultVae model = ModelFileFixtures.multVae(kernels)) {
                ModelFile.save(model, ModelFileFixtures.ITEMS, ModelFileFixtures.METADATA, file, false);
            }
        });
    }

    @Test
    void storedEaseFileLoadsAndScoresAsTheModelItWasWrittenFrom() throws IOException, URISyntaxException {
        Path stored = fixture(ModelFileFixtures.EASE_V1);
        try (EaseModel expected = ModelFileFixtures.ease(kernels);
             ModelFile.LoadedEase loaded = (ModelFile.LoadedEase) ModelFile.load(stored, kernels);
             CsrMatrix users = users()) {
            assertEquals(ModelFileFixtures.EASE_LAMBDA, loaded.model().lambda());
            assertEquals(ModelFileFixtures.ITEMS, loaded.items());
            assertEquals("fixture", loaded.metadata().get("dataset"));
            assertArrayEquals(expected.weights().toArray(), loaded.model().weights().toArray());
            float[] want = expected.score(users).toArray();
            assertArrayEquals(want, loaded.model().score(users).toArray());
            assertArrayEquals(expected.topK(users, 4), loaded.model().topK(users, 4));
        }
        assertSameBytesWhenWrittenAgain(stored, file -> {
            try (EaseModel model = ModelFileFixtures.ease(kernels)) {
                ModelFile.save(model, ModelFileFixtures.ITEMS, ModelFileFixtures.METADATA, file, false);
            }
        });
    }

    /** Writes a file with {@code save}: a build that writes the same version differently must say so by a new version. */
    private void assertSameBytesWhenWrittenAgain(Path stored, Save save) throws IOException {
        Path again = dir.resolve("again-" + stored.getFileName());
        save.to(again);
        assertArrayEquals(Files.readAllBytes(stored), Files.readAllBytes(again),
                "this build writes format version " + ModelFile.VERSION + " differently from " + stored.getFileName());
    }

    private interface Save {
        void to(Path file) throws IOException;
    }

    /** Three users of the ten items: two clicks, none, four. */
    private static CsrMatrix users() {
        return CsrMatrix.binary(3, ModelFileFixtures.ITEMS.size(), new int[] {0, 2, 2, 6}, new int[] {1, 7, 0, 3, 4, 9});
    }

    private static Path fixture(String name) throws URISyntaxException {
        var url = ModelFileTest.class.getResource("/model-files/" + name);
        assertFalse(url == null, name + " is not on the test class path");
        return Path.of(url.toURI());
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, bytes);
        return file;
    }

    /** {@code bytes} with its last 8 bytes set to the CRC-32 of the others, as the writer stores it. */
    private static byte[] withCrc(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - Long.BYTES);
        ByteBuffer.wrap(bytes).putLong(bytes.length - Long.BYTES, crc.getValue());
        return bytes;
    }

    private static int indexOf(byte[] bytes, String ascii) {
        byte[] needle = ascii.getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i + needle.length <= bytes.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (bytes[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("'" + ascii + "' is not in the file");
    }
}
