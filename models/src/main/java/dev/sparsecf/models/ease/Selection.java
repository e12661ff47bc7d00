package dev.sparsecf.models.ease;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of {@link LambdaSearch#fitAndSelect}: the model fitted with the chosen lambda (the caller closes it),
 * that lambda, its validation NDCG@{@value LambdaSearch#SELECTION_K}, every candidate in the order tried (the grid,
 * then any steps past its edge, per L2 weight), and the chosen L2 weight (EDLAE, DLAE; 0 for EASE).
 */
public record Selection(EaseModel model, double lambda, double validationNdcg, List<Candidate> candidates, double l2) {

    public Selection {
        candidates = List.copyOf(candidates);
    }

    /** Whether the chosen lambda is the smallest or the largest of two or more tried: the optimum may lie beyond. */
    public boolean atEdge() {
        return edge().isPresent();
    }

    /** Which end of two or more lambdas tried (at the chosen L2 weight) the chosen one is; empty if between them. */
    public Optional<Edge> edge() {
        return Edge.of(lambda, candidates.stream().filter(c -> c.l2() == l2).toList());
    }
}
