package dev.sparsecf.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The options of every command that reads interaction data (a dataset, a {@code --data FILE}, or the data a model was
 * trained on): {@link CommonOptions} and {@link FileFormatOptions}, declared once here and inherited (picocli reads a
 * command's superclasses, and mixins declared there are mixed into the subclass command itself).
 */
abstract class DataInputCommand {

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Mixin
    FileFormatOptions fileFormat;
}
