package dev.sparsecf.spark.cli;

import dev.sparsecf.spark.SparkSessions;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** What every {@code spark} command shares: {@code --master}, {@code --force}, a session for the length of the job, progress on stderr. */
abstract class JobCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    SparkOptions spark;

    @Option(names = "--force", description = "Replace an existing --out.")
    boolean force;

    /** Runs the job in {@code session}, progress lines to {@code progress}, results to {@code stdout}. */
    abstract void run(SparkSession session, Consumer<String> progress, PrintWriter stdout) throws Exception;

    @Override
    public final Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        SparkSession session = SparkSessions.start(spec.name(), spark.master);
        try {
            run(session, line -> {
                err.println(line);
                err.flush();
            }, spec.commandLine().getOut());
            return 0;
        } finally {
            session.stop();
        }
    }
}
