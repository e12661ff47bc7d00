package dev.sparsecf.spark.cli;

import dev.sparsecf.spark.PrepareJob;
import dev.sparsecf.spark.SparkSessions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sparsecf spark prepare}: a click log to the held-out-user split ({@link PrepareJob}). */
@Command(name = "prepare", mixinStandardHelpOptions = true,
        description = {"Read a click log (delimited text, .gz, or Parquet), apply the positive rule and write the held-out-user split:",
                "the files of `sparsecf data split` (same fingerprint for the same data, options and seed) plus Parquet."})
public final class PrepareCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    SparkOptions spark;

    @Mixin
    LogOptions log;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "The click log: a delimited file or Parquet.")
    Path data;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory to write (replaced only with --force).")
    Path out;

    @Option(names = "--force", description = "Replace a non-empty --out.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        SparkSession session = SparkSessions.start("prepare", spark.master);
        try {
            PrepareJob.Result r = PrepareJob.run(session, data, log.fileOptions(), log.splitConfig(), out, force, Progress.to(spec));
            PrintWriter o = spec.commandLine().getOut();
            o.print(r.report());
            o.println(r.summary());
            o.println("written to " + out);
            o.println("fingerprint (SHA-256 of SHA256SUMS): " + r.fingerprint());
            return 0;
        } finally {
            session.stop();
        }
    }
}
