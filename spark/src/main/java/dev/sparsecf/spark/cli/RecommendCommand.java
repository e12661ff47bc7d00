package dev.sparsecf.spark.cli;

import dev.sparsecf.spark.RecommendJob;
import dev.sparsecf.spark.SparkSessions;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sparsecf spark recommend}: top-K for every user of a prepared split, partitioned by user ({@link RecommendJob}). */
@Command(name = "recommend", mixinStandardHelpOptions = true,
        description = {"Recommend the top K unseen items to every user of a prepared split with an EASE model file, partitioned by",
                "user; the same lists as sparsecf recommend --users all. Writes OUT/recommendations as Parquet or CSV."})
public final class RecommendCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    SparkOptions spark;

    @Option(names = "--split", required = true, paramLabel = "DIR", description = "A directory written by spark prepare.")
    Path split;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "An EASE model file (sparsecf train or spark ease).")
    Path model;

    @Option(names = "-k", paramLabel = "K", defaultValue = "10", description = "Items per user (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--csv", description = "Write CSV (user,rank,item,score) instead of Parquet.")
    boolean csv;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory to write (replaced only with --force).")
    Path out;

    @Option(names = "--force", description = "Replace a non-empty --out.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        SparkSession session = SparkSessions.start("recommend", spark.master);
        try {
            RecommendJob.run(session, split, model, k, csv, out, force, Progress.to(spec));
            spec.commandLine().getOut().println("written to " + out);
            return 0;
        } finally {
            session.stop();
        }
    }
}
