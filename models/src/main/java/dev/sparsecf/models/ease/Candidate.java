package dev.sparsecf.models.ease;

/**
 * One penalty tried by {@link LambdaSearch#fitAndSelect}: the strength (EASE's lambda, EDLAE's and DLAE's dropout
 * odds), its validation NDCG@{@value LambdaSearch#SELECTION_K}, and the L2 weight beside it (0 for EASE).
 */
public record Candidate(double lambda, double validationNdcg, double l2) {
}
