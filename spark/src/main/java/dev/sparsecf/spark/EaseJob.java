package dev.sparsecf.spark;

import dev.sparsecf.data.DataSplit;
import dev.sparsecf.data.IdMap;
import dev.sparsecf.kernels.Kernels;
import dev.sparsecf.models.ModelFile;
import dev.sparsecf.models.ease.EaseFitter;
import dev.sparsecf.models.ease.EaseModel;
import dev.sparsecf.models.ease.Precision;
import java.io.IOException;
import java.io.Reader;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code spark ease}: dense EASE from the Gram that {@link CooccurJob} counts over the training users, when the
 * catalogue fits one machine ({@code n x n} doubles on the driver): the counts are streamed into the fit's buffer
 * and {@link EaseFitter} does the rest exactly as {@code sparsecf train --model ease} does (same inverse, same B),
 * writing a model file that the single-node {@code eval} and {@code recommend} read.
 *
 * <p>With {@code neighbours} K > 0, neighbourhood EASE ({@code --neighbors K}): the per-item solves distributed over
 * items by {@link NeighbourhoodSolves}, for catalogues whose dense {@code n x n} does not fit the driver.
 */
public final class EaseJob {

    private EaseJob() {
    }

    /**
     * Fits EASE with {@code lambda} on prepared split {@code split} (dense, or with {@code neighbours} K > 0 the
     * neighbourhood form, always float64) and saves it to {@code model}.
     */
    public static void run(SparkSession spark, Path split, double lambda, int neighbours, Precision precision, Kernels kernels,
                           Path model, boolean force, Consumer<String> progress) throws IOException {
        if (Files.exists(model) && !force) {
            throw new IllegalArgumentException("--out " + model + " exists; pass --force to replace it");
        }
        PrepareJob.requireComplete(split);
        IdMap items = IdMap.of(Files.readAllLines(split.resolve(DataSplit.ITEMS_FILE), StandardCharsets.UTF_8));
        Properties about = new Properties();
        try (Reader r = Files.newBufferedReader(split.resolve(PrepareJob.ABOUT_FILE), StandardCharsets.UTF_8)) {
            about.load(r);
        }
        JavaRDD<int[]> baskets = CooccurJob.baskets(spark, split).cache();
        int users = Math.toIntExact(baskets.count());
        long clicks = baskets.map(a -> (long) a.length).reduce(Long::sum);
        JavaRDD<Row> gram = CooccurJob.blocks(baskets, items.size(), CooccurJob.BLOCK_ENTRIES).gram();
        EaseFitter.Gram g = new EaseFitter.Gram(users, items.size(), clicks, (segment, lda) -> fill(gram.toLocalIterator(), segment, lda));
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        try (EaseModel fitted = neighbours > 0
                ? NeighbourhoodSolves.fit(sc, NeighbourhoodSolves.gram(gram.toLocalIterator(), items.size()), neighbours, lambda, users,
                clicks, 4 * sc.defaultParallelism(), kernels, progress)
                : EaseFitter.fit(g, lambda, precision, kernels, progress)) {
            baskets.unpersist();
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("dataset", about.getProperty(ModelFile.DATA) + " (sparsecf spark ease on " + split + ")");
            for (String key : new String[] {ModelFile.DATA, ModelFile.SPLIT_SEED, ModelFile.VALIDATION_USERS, ModelFile.TEST_USERS,
                ModelFile.SPLIT_FINGERPRINT}) {
                meta.put(key, about.getProperty(key));
            }
            ModelFile.save(fitted, items, meta, model, force);
        }
    }

    /** Writes the counts of the upper triangle into both triangles of {@code g} (zeroed by the fit). */
    static void fill(Iterator<Row> counts, MemorySegment g, int lda) {
        while (counts.hasNext()) {
            Row t = counts.next();
            int i = t.getInt(0);
            int j = t.getInt(1);
            double c = t.getLong(2);
            g.setAtIndex(ValueLayout.JAVA_DOUBLE, (long) i * lda + j, c);
            g.setAtIndex(ValueLayout.JAVA_DOUBLE, (long) j * lda + i, c);
        }
    }
}
