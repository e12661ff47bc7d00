package dev.sparsecf.cli;

import dev.sparsecf.render.Progress;
import dev.sparsecf.run.DataSteps;

import dev.sparsecf.data.DataSplit;
import dev.sparsecf.data.FileOptions;
import dev.sparsecf.data.Interactions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code sparsecf data split}: writes the Liang et al. split of one dataset as plain text
 * ({@link DataSplit#export}) and prints its fingerprint. It never writes into a non-empty directory unless
 * told to with {@code --force}.
 */
@Command(name = "split",
        description = {"Split a dataset by the Liang et al. held-out-user protocol and export the split as text files.",
                "The files (pairs, id lists, README.md, SHA256SUMS) let other implementations use the same split."})
public final class DataSplitCommand extends DataInputCommand implements Callable<Integer> {

    @Mixin
    SplitOptions splitOptions;

    @Option(names = "--data", required = true, paramLabel = "NAME|FILE",
            completionCandidates = DataCommand.Names.class,
            description = "The dataset: ${COMPLETION-CANDIDATES}, or an interaction file.")
    String data;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Directory to write; created if absent, and it must be empty unless --force.")
    Path out;

    @Option(names = "--force", description = "Write into a non-empty --out, replacing the files of an earlier split.")
    boolean force;

    @Override
    public Integer call() throws IOException {
        if (data.contains(",")) {
            throw new ParameterException(spec.commandLine(), "--data: split takes one dataset, got '" + data + "'");
        }
        FileOptions fileOptions = fileFormat.options();
        DataSteps.checkSpecs(List.of(data), fileOptions);
        checkOut(); // before the load, which may take a while
        common.apply();
        PrintWriter err = spec.commandLine().getErr();
        Interactions positives = DataSteps.load(err, data, common.dataDir(), fileOptions).positives();
        createOut(); // only once the input has been read
        DataSplit s = DataSteps.split(err, positives, splitOptions.config(common.seed));
        Progress p = Progress.start(spec.commandLine().getErr(), "writing " + out);
        String fingerprint = s.export(out);
        p.done("wrote " + out);
        PrintWriter o = spec.commandLine().getOut();
        o.print(s.summary());
        o.println("written to " + out + " (see its " + DataSplit.README_FILE + ")");
        o.println("fingerprint (SHA-256 of " + DataSplit.CHECKSUM_FILE + "): " + fingerprint);
        o.println("check the files with: sha256sum -c " + DataSplit.CHECKSUM_FILE + " (in " + out + ")");
        return 0;
    }

    /**
     * {@code --out} must be a new or empty directory unless {@code --force}, so a user's files are never
     * overwritten silently.
     */
    private void checkOut() throws IOException {
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new ParameterException(spec.commandLine(), "--out " + out + " exists and is not a directory");
        }
        long entries = 0;
        if (Files.isDirectory(out)) {
            try (Stream<Path> s = Files.list(out)) {
                entries = s.count();
            }
        }
        if (entries > 0 && !force) {
            throw new ParameterException(spec.commandLine(), "--out " + out + " is not empty (" + entries
                    + " entr" + (entries == 1 ? "y" : "ies") + "); choose a new or empty directory, or pass --force to write"
                    + " the split's files into it, replacing files of the same names");
        }
        if (entries > 0) {
            spec.commandLine().getErr().println("--force: writing into " + out + ", which is not empty; files named as the"
                    + " split's files are replaced");
        }
    }

    /** Creates {@code --out}; an unwritable path is a usage error naming the reason. */
    private void createOut() throws IOException {
        try {
            Files.createDirectories(out);
        } catch (FileSystemException e) {
            // the JDK's message is often the bare path; name the option and the reason
            throw new ParameterException(spec.commandLine(), "--out " + out + " cannot be created: "
                    + (e.getReason() != null ? e.getReason() : e.getClass().getSimpleName() + " " + e.getFile()));
        }
    }
}
