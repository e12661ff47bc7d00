package dev.sparsecf.run;

/**
 * A mistake in what the user asked for (an unknown dataset, a held-out count the data cannot give, a study
 * directory with other settings), found after parsing; the command line reports it as a usage error, in one line.
 */
public final class UsageException extends RuntimeException {

    /** {@code message} names the option at fault, e.g. {@code --data: unknown dataset 'x'}. */
    public UsageException(String message) {
        super(message);
    }
}
