package dev.sparsecf.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --model FILE} option of the commands that read a saved model ({@code eval}, {@code recommend}). */
public final class ModelFileOption {

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model written by 'sparsecf train'.")
    Path file;
}
