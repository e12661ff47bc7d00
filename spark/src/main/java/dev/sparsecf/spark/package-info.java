/**
 * The distributed path on Apache Spark: reading click logs ({@code ClickLogs}), the positive rule
 * ({@code PositiveRules}), the held-out-user split ({@code PrepareJob}), item co-occurrence ({@code CooccurJob}),
 * EASE from the distributed Gram ({@code EaseJob}; neighbourhood EASE's per-item solves in
 * {@code NeighbourhoodSolves}) and scoring every user ({@code RecommendJob}).
 *
 * <p>May depend on: {@code dev.sparsecf.data}, {@code .models}, {@code .models.ease}, {@code .kernels}, Spark and
 * Scala, the JDK. Not on picocli (the commands are in {@code .spark.cli}) and not on app; nothing depends on it.
 */
package dev.sparsecf.spark;
