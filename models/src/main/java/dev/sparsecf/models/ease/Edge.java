package dev.sparsecf.models.ease;

import java.util.DoubleSummaryStatistics;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** An end of the lambdas tried, where the validation optimum may lie beyond the chosen lambda. */
public enum Edge {
    SMALLEST, LARGEST;

    /** Which end of two or more distinct lambdas among {@code candidates} {@code lambda} is, if either. */
    static Optional<Edge> of(double lambda, List<Candidate> candidates) {
        DoubleSummaryStatistics tried = candidates.stream().mapToDouble(Candidate::lambda).summaryStatistics();
        if (tried.getMin() == tried.getMax()) {
            return Optional.empty();
        }
        return lambda == tried.getMin() ? Optional.of(SMALLEST)
                : lambda == tried.getMax() ? Optional.of(LARGEST) : Optional.empty();
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
