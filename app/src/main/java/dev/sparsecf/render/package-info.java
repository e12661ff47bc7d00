/**
 * Output for people: SVG line and bar charts, text tables, progress lines and bars with an ETA.
 *
 * <p>Depends on the JDK only; knows nothing about studies, benchmarks or models.
 */
package dev.sparsecf.render;
