/**
 * Ranking evaluation on held-out users: Recall@K and NDCG@K as defined by Liang et al. 2018 and LightGCN's recall
 * ({@link dev.sparsecf.eval.Metric}), per user, with means and standard errors
 * ({@link dev.sparsecf.eval.RankingEvaluator}).
 *
 * <p>Depends on {@code dev.sparsecf.kernels} (top-K) and {@code dev.sparsecf.data}.
 */
package dev.sparsecf.eval;
