/**
 * The beta study's analysis and report: reading a study directory's rows, the paired statistics (Holm-adjusted),
 * the validation choice of beta, the matched per-user grid, cheaper training budgets replayed on the
 * validation histories, the generated short answer, the comparison with a
 * baseline study, and the Markdown and SVG output.
 *
 * <p>Depends on {@code dev.sparsecf.study} and {@code dev.sparsecf.render}; reads files only, trains nothing.
 */
package dev.sparsecf.study.report;
