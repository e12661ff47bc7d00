/**
 * One training run, used by every command and by the study: loading and splitting a dataset
 * ({@code DataSteps}), train -> evaluate -> write ({@code TrainingRun}), evaluating or recommending with a
 * saved model ({@code SavedModels}), and recommending for many users into a CSV or JSONL file
 * ({@code BatchRecommender}, {@code RecommendationWriter}). A user's mistake found here is a
 * {@code UsageException}: one line, exit 2.
 *
 * <p>Depends on the models, the kernels and {@code dev.sparsecf.render} (progress lines); not on the command line.
 */
package dev.sparsecf.run;
