package dev.sparsecf.spark.cli;

import dev.sparsecf.kernels.Kernels;
import dev.sparsecf.models.ease.Precision;
import dev.sparsecf.spark.EaseJob;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sparsecf spark ease}: dense EASE from the distributed Gram of a prepared split ({@link EaseJob}). */
@Command(name = "ease", mixinStandardHelpOptions = true,
        description = "Fit dense EASE (B = I - P / diag(P), P = (X^T X + lambda I)^-1) from the Gram counted by Spark; the inverse runs "
                + "on the driver, so the catalogue must fit it (n x n doubles); or with --neighbors K neighbourhood EASE, its per-item "
                + "solves distributed over items. Writes a model file sparsecf eval/recommend read.")
public final class EaseCommand extends JobCommand {

    @Option(names = "--split", required = true, paramLabel = "DIR", description = "A directory written by spark prepare.")
    Path split;

    @Option(names = "--lambda", required = true, paramLabel = "L", description = "The L2 penalty (sparsecf train --model ease's lambda).")
    double lambda;

    @Option(names = "--precision", paramLabel = "float64|float32", defaultValue = "FLOAT64",
            converter = PrecisionConverter.class, description = "Precision of the factorisation (default: float64).")
    Precision precision;

    @Option(names = {"--neighbors", "--neighbours"}, paramLabel = "K", defaultValue = "0",
            description = "Neighbourhood EASE: each item's column of B on its K most co-occurring items, solved per item on the"
                    + " executors (sparsecf train --neighbors K's model); default 0: dense EASE on the driver.")
    int neighbours;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The model file to write (replaced only with --force).")
    Path out;

    /** {@code float64} or {@code float32}, case-insensitive. */
    static final class PrecisionConverter implements picocli.CommandLine.ITypeConverter<Precision> {
        @Override
        public Precision convert(String value) {
            return Precision.valueOf(value.strip().toUpperCase(java.util.Locale.ROOT));
        }
    }

    @Override
    void run(SparkSession session, Consumer<String> progress, PrintWriter stdout) throws Exception {
        if (neighbours < 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--neighbors must be >= 0, got " + neighbours);
        }
        EaseJob.run(session, split, lambda, neighbours, precision, Kernels.get(), out, force, progress);
        stdout.println("model written to " + out);
    }
}
