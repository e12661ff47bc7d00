package dev.sparsecf.spark;

import dev.sparsecf.data.FileOptions;
import java.nio.file.Path;

/** {@link SparkEquivalenceChecks} on ML-100K ({@code u.data}): every rating a click of rating >= 3, 5-core (several rounds). */
class SparkEquivalenceMl100kTest extends SparkEquivalenceChecks {

    @Override
    Path dataOrSkip() {
        return TestData.orSkip("ml-100k/u.data");
    }

    @Override
    FileOptions rule() {
        return new FileOptions(null, FileOptions.Layout.AUTO, null, null, null, null, 3, 5, 5, true, 0);
    }
}
