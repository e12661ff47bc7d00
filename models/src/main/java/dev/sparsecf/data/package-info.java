/**
 * Interaction data: loaders for the public formats ({@link dev.sparsecf.data.InteractionLoaders}), a user's
 * own files read by {@link dev.sparsecf.data.FileOptions} ({@link dev.sparsecf.data.InteractionFiles}; plain delimited
 * files on every core by {@code PlainDelimited}, the same rows as the line-by-line path; a history
 * against a model's items with {@link dev.sparsecf.data.KnownItems}), named
 * datasets under a data directory ({@link dev.sparsecf.data.Datasets}), the held-out-user split of Liang et
 * al. 2018 with a plain-text export ({@link dev.sparsecf.data.DataSplit}), a published per-user split read from
 * train/test files ({@link dev.sparsecf.data.PerUserSplit}) and summary statistics.
 *
 * <p>Depends on {@code dev.sparsecf.kernels} (the CSR matrix a split hands to the models) and
 * {@code dev.sparsecf.kernels.synthetic} (the {@code synthetic} dataset); outside the project, on Jackson's CSV
 * parser for quoted fields.
 */
package dev.sparsecf.data;
