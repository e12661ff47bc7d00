package dev.sparsecf.spark.cli;

import picocli.CommandLine.Option;

/** The options every {@code spark} command takes (a picocli {@code @Mixin}). */
public final class SparkOptions {

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master (default: the one spark-submit sets, else local[*]: every core of this machine).")
    String master;

    @Option(names = "--debug", description = "Print stack traces of errors.")
    boolean debug;
}
