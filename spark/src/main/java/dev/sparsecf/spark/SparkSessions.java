package dev.sparsecf.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** The one way a job gets its {@link SparkSession}: the master spark-submit set, else {@code local[*]}. */
public final class SparkSessions {

    /** The master when none is configured: every core of this machine, nothing to install. */
    public static final String DEFAULT_MASTER = "local[*]";

    /**
     * Spark's Java serialization streams keep every object written since their last reset (default: every 100
     * objects); cooccur's shuffle records are count chunks of up to 8 MB, one stream per reduce partition, so a map
     * task's streams kept most of its output alive: at 100M ML-20M-shaped clicks (168 chunks a task) a task ran out
     * of a 6 GB heap. Resetting after each record costs nothing at these record sizes.
     */
    static final String OBJECT_STREAM_RESET = "1";

    private SparkSessions() {
    }

    /**
     * A session for {@code app}: {@code master} if given, else the one spark-submit set ({@code spark.master}),
     * else {@value #DEFAULT_MASTER}; in local mode without the web UI and with shuffle partitions sized to the
     * cores (Spark's 200 are far too many for one machine), unless configured; Java serialization streams reset
     * after every object (see {@link #OBJECT_STREAM_RESET}).
     */
    public static SparkSession start(String app, String master) {
        SparkConf conf = new SparkConf();
        String m = master != null ? master : conf.get("spark.master", DEFAULT_MASTER);
        SparkSession.Builder b = SparkSession.builder().appName("sparsecf " + app).master(m)
                .config("spark.serializer.objectStreamReset", conf.get("spark.serializer.objectStreamReset", OBJECT_STREAM_RESET));
        if (m.startsWith("local")) {
            int cores = Runtime.getRuntime().availableProcessors();
            b.config("spark.ui.enabled", conf.get("spark.ui.enabled", "false"))
                    .config("spark.sql.shuffle.partitions", conf.get("spark.sql.shuffle.partitions", Integer.toString(4 * cores)));
        }
        SparkSession spark = b.getOrCreate();
        spark.sparkContext().setLogLevel(conf.get("spark.sparsecf.logLevel", "WARN"));
        return spark;
    }
}
