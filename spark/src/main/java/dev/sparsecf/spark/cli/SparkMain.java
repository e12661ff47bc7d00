package dev.sparsecf.spark.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code sparsecf spark ...}: the distributed path's commands (the launcher puts Spark on the class path). */
@Command(name = "sparsecf spark", mixinStandardHelpOptions = true,
        description = {"The click-log path on Apache Spark: local[*] by default, a cluster through spark-submit --master.",
                "prepare -> cooccur, ease -> recommend."},
        subcommands = {PrepareCommand.class, CooccurCommand.class, EaseCommand.class, RecommendCommand.class})
public final class SparkMain {

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** The command line's exit status: 0 done, 1 failed (one line on stderr), 2 usage error. */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new SparkMain());
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            boolean debug = line.getParseResult().hasMatchedOption("--debug");
            if (debug) {
                e.printStackTrace(line.getErr());
            } else {
                line.getErr().println("sparsecf spark: " + message(e));
            }
            return 1;
        });
        return cl.execute(args);
    }

    private static String message(Throwable e) {
        Throwable t = e;
        while (t.getMessage() == null && t.getCause() != null) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return m.lines().findFirst().orElse(m);
    }
}
