/**
 * Ranking evaluation on held-out users: Recall@K and NDCG@K as defined by Liang et al. 2018, per user, with
 * means and standard errors ({@link dev.sparsecf.eval.RankingEvaluator}).
 */
package dev.sparsecf.eval;
