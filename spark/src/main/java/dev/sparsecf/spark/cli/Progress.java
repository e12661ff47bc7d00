package dev.sparsecf.spark.cli;

import java.io.PrintWriter;
import java.util.function.Consumer;
import picocli.CommandLine.Model.CommandSpec;

/** Progress lines of a job on the command's stderr, each flushed at once. */
final class Progress {

    private Progress() {
    }

    static Consumer<String> to(CommandSpec spec) {
        PrintWriter err = spec.commandLine().getErr();
        return line -> {
            err.println(line);
            err.flush();
        };
    }
}
