/**
 * The command line behind {@code ./sparsecf} (picocli): one thin command per subcommand that parses its
 * options, calls the package that does the work and prints the outcome, and the option mixins shared by them.
 *
 * <p>May depend on every other package; no other package may depend on it or import picocli. No computation
 * lives here.
 */
package dev.sparsecf.cli;
