package dev.sparsecf.spark.cli;

import dev.sparsecf.spark.CooccurJob;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Consumer;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sparsecf spark cooccur}: the sparse item-item co-occurrence counts of a prepared split ({@link CooccurJob}). */
@Command(name = "cooccur", mixinStandardHelpOptions = true,
        description = {"Count item-item co-occurrences (the Gram X^T X) over a prepared split's training users, exactly (no cap on "
                + "very active users), as Parquet (i, j, count), i <= j; with --top-k, each item's K most co-occurring items.",
                "The Gram's rows are counted in dense blocks of --block-mb per task, one pass over each task's users per block."})
public final class CooccurCommand extends JobCommand {

    @Option(names = "--split", required = true, paramLabel = "DIR", description = "A directory written by spark prepare.")
    Path split;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory to write (replaced only with --force).")
    Path out;

    @Option(names = "--top-k", paramLabel = "K", defaultValue = "0", description = "Also write each item's K nearest neighbours (default: 0, none).")
    int topK;

    @Option(names = "--block-mb", paramLabel = "MB", defaultValue = "32",
            description = "Memory of one dense block of counts per task (default: ${DEFAULT-VALUE}); bigger: fewer passes.")
    int blockMb;

    @Override
    void run(SparkSession session, Consumer<String> progress, PrintWriter stdout) throws Exception {
        CooccurJob.Result r = CooccurJob.run(session, split, topK, (long) blockMb << 18, out, force, progress);
        stdout.printf(Locale.ROOT, "%,d items, %,d training users, %,d co-occurrences in %,d distinct pairs (largest user %,d items);"
                + " written to %s%n", r.items(), r.users(), r.cooccurrences(), r.pairs(), r.largestUser(), out);
    }
}
