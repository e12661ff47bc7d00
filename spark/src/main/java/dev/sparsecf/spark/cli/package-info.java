/**
 * The picocli commands behind {@code ./sparsecf spark}: parse, start a session, call a job of
 * {@code dev.sparsecf.spark}, print. May depend on that package, {@code dev.sparsecf.data}, picocli and Spark.
 */
package dev.sparsecf.spark.cli;
