/**
 * EASE (Steck 2019) and its dropout relatives EDLAE and DLAE (Steck 2020, {@code ClosedForm}): the fit
 * ({@code EaseFitter}: Gram matrix, SPD inverse, then B by {@code InverseToWeights}), the fitted model that scores,
 * ranks and evaluates ({@code EaseModel}, dense or sparse B), neighbourhood-restricted EASE for catalogues past the
 * dense limit ({@code Neighbourhoods}: sparse Gram, K neighbours, one SPD solve per item), and the choice of the
 * penalty (lambda or dropout odds) on validation users ({@code LambdaSearch}).
 *
 * <p>Depends on {@code dev.sparsecf.kernels} (all arithmetic through the {@code Kernels} facade),
 * {@code dev.sparsecf.data} and {@code dev.sparsecf.eval}; never on {@code dev.sparsecf.models}, which saves and loads
 * these models in its model file.
 */
package dev.sparsecf.models.ease;
