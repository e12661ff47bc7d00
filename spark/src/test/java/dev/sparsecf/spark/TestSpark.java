package dev.sparsecf.spark;

import org.apache.spark.sql.SparkSession;

/**
 * One local-mode session ({@code local[2]}) for every test class of the fork: starting and stopping a SparkContext per
 * class cost seconds each; Spark's shutdown hook stops it when the fork exits.
 */
final class TestSpark {

    private static SparkSession session;

    private TestSpark() {
    }

    /** The shared session (started on first use). */
    static synchronized SparkSession session() {
        if (session == null) {
            session = SparkSessions.start("test", "local[2]");
        }
        return session;
    }
}
