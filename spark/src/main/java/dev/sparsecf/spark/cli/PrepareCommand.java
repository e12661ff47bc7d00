package dev.sparsecf.spark.cli;

import dev.sparsecf.spark.PrepareJob;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sparsecf spark prepare}: a click log to the held-out-user split ({@link PrepareJob}). */
@Command(name = "prepare", mixinStandardHelpOptions = true,
        description = "Read a click log (delimited text, .gz, or Parquet), apply the positive rule and write the held-out-user split: "
                + "the files of `sparsecf data split` (same fingerprint for the same data, options and seed) plus Parquet.")
public final class PrepareCommand extends JobCommand {

    @Mixin
    LogOptions log;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "The click log: a delimited file or Parquet.")
    Path data;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory to write (replaced only with --force).")
    Path out;

    @Override
    void run(SparkSession session, Consumer<String> progress, PrintWriter stdout) throws Exception {
        PrepareJob.Result r = PrepareJob.run(session, data, log.fileOptions(), log.splitConfig(), out, force, progress);
        stdout.print(r.report());
        stdout.println(r.summary());
        stdout.println("written to " + out);
        stdout.println("fingerprint (SHA-256 of SHA256SUMS): " + r.fingerprint());
    }
}
