package dev.sparsecf.cli;

import dev.sparsecf.data.SplitConfig;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** The held-out user counts of the Liang et al. split (a picocli {@code @Mixin}); {@code auto} sizes them from the data. */
public final class SplitOptions {

    /** {@code auto} or a count {@code >= 0}, as {@link SplitConfig} takes it. */
    static final class HeldOutUsers implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            if (value.strip().equalsIgnoreCase("auto")) {
                return SplitConfig.AUTO;
            }
            try {
                int n = Integer.parseInt(value.strip());
                if (n >= 0) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new TypeConversionException("expected a user count >= 0 or auto, got '" + value + "'");
        }
    }

    @Option(names = "--validation-users", paramLabel = "N|auto", converter = HeldOutUsers.class,
            description = "Held-out validation users (default: auto, 10%% of the users with >= 5 items, at most 10,000).")
    Integer validationUsers;

    @Option(names = "--test-users", paramLabel = "N|auto", converter = HeldOutUsers.class,
            description = "Held-out test users (default: auto, as for validation).")
    Integer testUsers;

    /** Whether either count was given on the command line. */
    boolean given() {
        return validationUsers != null || testUsers != null;
    }

    /** Liang et al.'s protocol with {@code seed} and these counts. */
    SplitConfig config(long seed) {
        return SplitConfig.defaults(seed).withHeldOutUsers(validationUsers == null ? SplitConfig.AUTO : validationUsers,
                testUsers == null ? SplitConfig.AUTO : testUsers);
    }
}
