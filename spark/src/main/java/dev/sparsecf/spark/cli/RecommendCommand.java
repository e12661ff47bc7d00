package dev.sparsecf.spark.cli;

import dev.sparsecf.spark.RecommendJob;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sparsecf spark recommend}: top-K for every user of a prepared split, partitioned by user ({@link RecommendJob}). */
@Command(name = "recommend", mixinStandardHelpOptions = true,
        description = "Recommend the top K unseen items to every user of a prepared split (or those of --users FILE) with an EASE "
                + "model file, partitioned by user; the same lists as sparsecf recommend --users all. Writes OUT/recommendations "
                + "as Parquet or CSV.")
public final class RecommendCommand extends JobCommand {

    @Option(names = "--split", required = true, paramLabel = "DIR", description = "A directory written by spark prepare.")
    Path split;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "An EASE model file (sparsecf train or spark ease).")
    Path model;

    @Option(names = "--users", paramLabel = "FILE",
            description = "Only the users this file lists, one id per line (default: every user of the split).")
    Path users;

    @Option(names = "-k", paramLabel = "K", defaultValue = "10", description = "Items per user (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--csv", description = "Write CSV (user,rank,item,score) instead of Parquet.")
    boolean csv;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory to write (replaced only with --force).")
    Path out;

    @Override
    void run(SparkSession session, Consumer<String> progress, PrintWriter stdout) throws Exception {
        RecommendJob.run(session, split, model, users, k, csv, out, force, progress);
        stdout.println("written to " + out);
    }
}
