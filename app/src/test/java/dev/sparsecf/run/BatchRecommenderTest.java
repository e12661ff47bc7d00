package dev.sparsecf.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsecf.data.Interactions;
import dev.sparsecf.kernels.CsrMatrix;
import dev.sparsecf.kernels.Kernels;
import dev.sparsecf.models.ModelFile;
import dev.sparsecf.models.ease.EaseFitter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link BatchRecommender}'s file handling: a writer that fails half-way leaves neither a partial nor a temporary file. */
class BatchRecommenderTest {

    @TempDir
    Path tmp;

    /** EASE on 12 users x 6 items, user u clicking items u mod 6 and u+1 mod 6. */
    private static ModelFile.LoadedEase model(Interactions x, Kernels kernels) {
        try (CsrMatrix csr = x.toCsr()) {
            return new ModelFile.LoadedEase(EaseFitter.fit(csr, 1, kernels, msg -> { }), x.items(), Map.of());
        }
    }

    private static Interactions clicks() {
        Interactions.Builder b = Interactions.builder("twelve");
        for (int u = 0; u < 12; u++) {
            b.add("u" + u, "i" + u % 6).add("u" + u, "i" + (u + 1) % 6);
        }
        return b.build();
    }

    /** A CSV writer that throws after {@code users} users: the run stops in the middle of its file. */
    private static BatchRecommender.Format failingAfter(int users) {
        return (out, text) -> new RecommendationWriter() {
            private final RecommendationWriter csv = RecommendationWriter.forFile(out, text);
            private int written;

            @Override
            public void user(String user, String[] items, float[] scores, int count) throws IOException {
                if (written++ == users) {
                    throw new IOException("disk full (injected)");
                }
                csv.user(user, items, scores, count);
            }

            @Override
            public void finish() throws IOException {
                csv.finish();
            }
        };
    }

    @Test
    void aWriterFailingHalfWayLeavesNoFileBehind() throws IOException {
        Kernels kernels = Kernels.get();
        Interactions x = clicks();
        int[] all = IntStream.range(0, x.numUsers()).toArray();
        try (ModelFile.LoadedEase loaded = model(x, kernels)) {
            BatchRecommender r = new BatchRecommender(loaded, x, kernels);
            Path out = tmp.resolve("recs.csv.gz");
            StringWriter err = new StringWriter();
            IOException e = assertThrows(IOException.class,
                    () -> r.write(all, 2, out, false, new PrintWriter(err), false, failingAfter(6)));
            assertEquals("disk full (injected)", e.getMessage());
            assertEquals(List.of(), listing(), "neither recs.csv.gz nor its temporary file");

            // over an existing file with --force: the old file stays whole
            Files.writeString(out, "earlier");
            assertThrows(IOException.class, () -> r.write(all, 2, out, true, new PrintWriter(err), false, failingAfter(6)));
            assertEquals("earlier", Files.readString(out));
            assertEquals(List.of("recs.csv.gz"), listing());

            BatchRecommender.Summary s = r.write(all, 2, out, true, new PrintWriter(err), true);
            assertEquals(new BatchRecommender.Summary(12, 24, 0), s);
            assertEquals(List.of("recs.csv.gz"), listing());
            assertTrue(err.toString().contains("\rusers [##############################] 12/12"), "the bar: " + err);
        }
    }

    private List<String> listing() throws IOException {
        try (var files = Files.list(tmp)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }
}
