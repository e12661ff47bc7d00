package dev.sparsecf.spark.cli;

import dev.sparsecf.spark.CooccurJob;
import dev.sparsecf.spark.SparkSessions;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sparsecf spark cooccur}: the sparse item-item co-occurrence counts of a prepared split ({@link CooccurJob}). */
@Command(name = "cooccur", mixinStandardHelpOptions = true,
        description = {"Count item-item co-occurrences (the Gram X^T X) over a prepared split's training users, exactly (no cap on",
                "very active users), as Parquet (i, j, count), i <= j; with --top-k, each item's K most co-occurring items."})
public final class CooccurCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    SparkOptions spark;

    @Option(names = "--split", required = true, paramLabel = "DIR", description = "A directory written by spark prepare.")
    Path split;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory to write (replaced only with --force).")
    Path out;

    @Option(names = "--top-k", paramLabel = "K", defaultValue = "0", description = "Also write each item's K nearest neighbours (default: 0, none).")
    int topK;

    @Option(names = "--force", description = "Replace a non-empty --out.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        SparkSession session = SparkSessions.start("cooccur", spark.master);
        try {
            CooccurJob.Result r = CooccurJob.run(session, split, topK, out, force, Progress.to(spec));
            spec.commandLine().getOut().printf(Locale.ROOT, "%,d items, %,d training users, %,d co-occurrences in %,d distinct pairs"
                    + " (largest user %,d items); written to %s%n", r.items(), r.users(), r.cooccurrences(), r.pairs(), r.largestUser(), out);
            return 0;
        } finally {
            session.stop();
        }
    }
}
