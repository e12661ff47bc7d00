package dev.sparsecf.spark;

import dev.sparsecf.data.FileOptions;
import java.nio.file.Path;

/**
 * {@link SparkEquivalenceChecks} on ML-1M ({@code ratings_known.dat}, {@code ::}-separated): Liang et al.'s rule,
 * ratings >= 4 as clicks (575,148 positives), then 5-core.
 */
class SparkEquivalenceMl1mTest extends SparkEquivalenceChecks {

    @Override
    Path dataOrSkip() {
        return TestData.orSkip("ml-1m/ratings_known.dat");
    }

    @Override
    FileOptions rule() {
        return new FileOptions(null, FileOptions.Layout.AUTO, null, null, null, null, 4, 5, 5, true, 0);
    }
}
