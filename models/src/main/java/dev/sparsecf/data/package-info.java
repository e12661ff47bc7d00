/**
 * Interaction data: loaders for the public formats ({@link dev.sparsecf.data.InteractionLoaders}), named
 * datasets under a data directory ({@link dev.sparsecf.data.Datasets}), the held-out-user split of Liang et
 * al. 2018 with a plain-text export ({@link dev.sparsecf.data.DataSplit}) and summary statistics.
 */
package dev.sparsecf.data;
