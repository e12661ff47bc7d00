package dev.sparsecf.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsecf.data.FileOptions;
import dev.sparsecf.kernels.CsrMatrix;
import dev.sparsecf.kernels.Kernels;
import dev.sparsecf.models.ModelFile;
import dev.sparsecf.models.ease.EaseModel;
import dev.sparsecf.models.ease.Neighbourhoods;
import dev.sparsecf.models.ease.Precision;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** {@link SparkEquivalenceChecks} on ML-100K ({@code u.data}): every rating a click of rating >= 3, 5-core (several rounds). */
class SparkEquivalenceMl100kTest extends SparkEquivalenceChecks {

    /** Neighbours per item: well below the 1,600-odd items, so B is truly sparse. */
    private static final int K = 50;

    @Override
    Path dataOrSkip() {
        return TestData.orSkip("ml-100k/u.data");
    }

    @Override
    FileOptions rule() {
        return new FileOptions(null, FileOptions.Layout.AUTO, null, null, null, null, 3, 5, 5, true, 0);
    }

    @Test
    void neighbourhoodEaseSolvedOnTheExecutorsIsTheSingleNodeModel() throws IOException {
        Path model = tmp.resolve("ease-neighbours.sparsecf");
        Kernels kernels = Kernels.get();
        EaseJob.run(spark, split, LAMBDA, K, Precision.FLOAT64, kernels, model, false, line -> { });
        try (CsrMatrix x = single.train().toCsr(); Neighbourhoods nh = Neighbourhoods.prepare(x, K, kernels, line -> { });
             EaseModel expected = nh.fit(LAMBDA, line -> { }); ModelFile.Loaded loaded = ModelFile.load(model, kernels)) {
            EaseModel actual = ((ModelFile.LoadedEase) loaded).model();
            assertTrue(actual.isSparse());
            assertEquals(K, actual.neighbours());
            // the same Gram, the same neighbours, the same per-item solves (8 item ranges): B the same to the bit
            CsrMatrix a = actual.sparseWeights();
            CsrMatrix b = expected.sparseWeights();
            assertEquals(b.nnz(), a.nnz());
            assertEquals((long) b.rows() * K, b.nnz(), "every item has K neighbours");
            assertEquals(-1, b.rowPtr().mismatch(a.rowPtr()), "row pointers");
            assertEquals(-1, b.colIdx().mismatch(a.colIdx()), "columns");
            assertEquals(-1, b.values().mismatch(a.values()), "values");
            assertSameTestMetrics(expected, actual);

            // spark recommend --users FILE --csv: the listed users' lists (an unknown id and a blank line skipped)
            List<String> some = single.test().users().ids().subList(0, 5);
            Path users = tmp.resolve("users.txt");
            Files.write(users, Stream.concat(some.stream(), Stream.of("", "no-such-user")).toList());
            Map<String, List<String>> all = singleNodeRecommendations(expected, kernels);
            Map<String, List<String>> listed = new HashMap<>();
            some.forEach(u -> listed.put(u, all.get(u)));
            assertEquals(listed, sparkRecommendations(model, users, true));
        }
    }
}
