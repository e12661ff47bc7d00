package dev.sparsecf.cli;

import dev.sparsecf.models.ease.Neighbourhoods;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code --neighbors [K]} of {@code train} and {@code study beta}: neighbourhood EASE, K neighbours per item. */
public final class NeighboursOption {

    @Option(names = {"--neighbors", "--neighbours"}, paramLabel = "K", arity = "0..1",
            fallbackValue = "" + Neighbourhoods.DEFAULT_K,
            description = "ease: neighbourhood EASE: each item's column of B is fitted on the K items it co-occurs with "
                    + "most (sparse B, memory growing with n K: for catalogues past the dense n x n limit); K >= n - 1 is "
                    + "dense EASE; --neighbors alone: K = ${FALLBACK-VALUE} (within 0.003 NDCG@100 of dense EASE on ML-1M, "
                    + "Last.fm and CiteULike-a).")
    Integer k;

    /** Whether the option was given. */
    boolean given() {
        return k != null;
    }

    /** K, or 0 (dense EASE) when the option was not given; a K below 1 is a usage error of {@code spec}. */
    int k(CommandSpec spec) {
        if (k != null && k < 1) {
            throw new ParameterException(spec.commandLine(), "--neighbors must be >= 1, got " + k);
        }
        return k == null ? 0 : k;
    }
}
