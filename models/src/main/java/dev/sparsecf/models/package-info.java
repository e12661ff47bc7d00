/**
 * The models: Mult-VAE and Mult-DAE (Liang et al. 2018) with their trainer, beta schedules and per-user beta
 * policies, Adam; the versioned model file. EASE is in {@code dev.sparsecf.models.ease}.
 *
 * <p>Depends on {@code dev.sparsecf.kernels} (all arithmetic through the {@code Kernels} facade, GEMM and the SPD
 * inverse included), {@code dev.sparsecf.data}, {@code dev.sparsecf.eval} and {@code dev.sparsecf.models.ease} (the
 * model file saves EASE too); never on the command line or the study.
 */
package dev.sparsecf.models;
