package dev.sparsecf.models.ease;

/** One lambda tried by {@link LambdaSearch#fitAndSelect}: its validation NDCG@{@value LambdaSearch#SELECTION_K}. */
public record Candidate(double lambda, double validationNdcg) {
}
