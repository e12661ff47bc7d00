package dev.sparsecf.cli;

import dev.sparsecf.run.UsageException;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code sparsecf} command line: one subcommand per task ({@code bench}, {@code data}; training and
 * evaluation register here the same way). Mistakes in the command line print one line and exit 2;
 * failures print one line and exit 1; {@code --debug} adds the stack trace.
 */
@Command(name = "sparsecf",
        description = "Vectorized sparse kernels, Mult-VAE and EASE on the JVM.",
        subcommands = {BenchCommand.class, DataCommand.class, TrainCommand.class, EvalCommand.class, RecommendCommand.class, StudyCommand.class},
        synopsisSubcommandLabel = "COMMAND",
        versionProvider = Main.Version.class)
public final class Main implements Callable<Integer> {

    /** Exit code of a command-line mistake (picocli's convention). */
    public static final int USAGE_ERROR = 2;
    /** Exit code of a failed run. */
    public static final int FAILURE = 1;

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT, description = "Show this help and exit.")
    boolean help;

    @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Print stack traces of errors.")
    boolean debug;

    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "Also print which kernels and BLAS were chosen (INFO lines); warnings are always printed.")
    boolean verbose;

    @Option(names = {"-V", "--version"}, versionHelp = true, description = "Print the version and exit.")
    boolean version;

    /** {@code sparsecf --version}: this build's version (from the jar's manifest) and the Java runtime. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"sparsecf " + (v == null ? "(version unknown: not run from the sparsecf jar)" : v),
                    "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + "), "
                            + System.getProperty("os.name") + " " + System.getProperty("os.arch")};
        }
    }

    @Override
    public Integer call() {
        throw missingCommand(spec);
    }

    /** The usage error of a command group called without one of its subcommands. */
    static ParameterException missingCommand(CommandSpec spec) {
        return new ParameterException(spec.commandLine(), "missing command (one of "
                + String.join(", ", spec.subcommands().keySet()) + ")");
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int code = run(out, err, args);
        // autoflush covers println and printf only: a table written with print would be lost at exit
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Runs the command line and returns its exit code; output and error messages go to {@code out} and {@code err}. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        // decided before parsing, so that a parse error can honour --debug too
        boolean debug = Arrays.asList(args).contains("--debug");
        ConsoleLog.install(err, Arrays.asList(args).contains("--verbose"));
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        // JMH's own options (-f 1, -wi 3, -prof gc, ...) reach bench as positional arguments
        cl.getSubcommands().get("bench").setUnmatchedOptionsArePositionalParams(true);
        cl.setParameterExceptionHandler((e, argv) -> usageError(err, e.getCommandLine(), e, debug));
        cl.setExecutionExceptionHandler((e, at, parseResult) -> {
            if (e instanceof UsageException) {
                // a mistake found after parsing (dataset, split sizes, study settings): reported as a parse error is
                return usageError(err, at, e, debug);
            }
            err.println(at.getCommandSpec().qualifiedName() + ": " + describe(e)
                    + (debug ? "" : " (--debug prints the stack trace)"));
            if (debug) {
                e.printStackTrace(err);
            }
            err.flush();
            return FAILURE;
        });
        try {
            return cl.execute(args);
        } catch (ExceptionInInitializerError e) {
            // picocli passes Errors through; this one comes from the process-wide kernels resolved on first use (a
            // forced --blas tier that cannot load, e.g. mkl in a build without -Pmkl): one line, like any failure
            err.println("sparsecf: " + describe(e.getCause() != null ? e.getCause() : e)
                    + (debug ? "" : " (--debug prints the stack trace)"));
            if (debug) {
                e.printStackTrace(err);
            }
            err.flush();
            return FAILURE;
        }
    }

    /** Prints the usage error {@code e} of command {@code at} in one line and returns {@link #USAGE_ERROR}. */
    private static int usageError(PrintWriter err, CommandLine at, Exception e, boolean debug) {
        err.println(at.getCommandSpec().qualifiedName() + ": " + e.getMessage() + suggestion(e)
                + " (see '" + at.getCommandSpec().qualifiedName() + " --help')");
        if (debug) {
            e.printStackTrace(err);
        }
        err.flush();
        return USAGE_ERROR;
    }

    /** {@code "; did you mean train?"} for a mistyped command or option picocli can match, else nothing. */
    private static String suggestion(Exception e) {
        if (e instanceof UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
            return "; did you mean " + String.join(" or ", u.getSuggestions()) + "?";
        }
        return "";
    }

    /** The message of {@code e} and of its causes, as one line. */
    static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().strip();
            if (!sb.toString().contains(m)) {
                sb.append(sb.isEmpty() ? "" : ": ").append(m.replace('\n', ' '));
            }
        }
        return sb.toString();
    }
}
