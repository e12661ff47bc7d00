package dev.sparsecf.cli;

import dev.sparsecf.run.SyntheticFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code sparsecf data synth}: a synthetic click file of a given number of rows (the loading benchmark's input). */
@Command(name = "synth", description = "Write ML-20M-shaped synthetic clicks as a user_id,item_id CSV of --rows rows"
        + " (blocks of 136,677 users x 20,108 items; for the loading benchmark).")
public final class DataSynthCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--rows", required = true, paramLabel = "N", description = "Rows to write.")
    long rows;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The CSV to write (.gz compresses).")
    Path out;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Seed of the first block (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--force", description = "Replace an existing --out.")
    boolean force;

    @Override
    public Integer call() throws IOException {
        SyntheticFile.write(out, rows, seed, force, spec.commandLine().getErr());
        return 0;
    }
}
