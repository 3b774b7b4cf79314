package io.github.bert4j.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/** Starts the Spark session of a bert4j job. */
public final class BertSpark {

    /** The master when none is given and none comes from {@code spark-submit}: all local cores. */
    public static final String DEFAULT_MASTER = "local[*]";

    private BertSpark() {
    }

    /**
     * A session for {@code appName}. {@code master} wins when given; otherwise {@code spark-submit}'s
     * ({@code spark.master}) is kept, and without either the job runs on {@link #DEFAULT_MASTER}.
     * The UI is off in local mode.
     *
     * @throws HadoopSupport.UnsupportedJavaException on Java 23+ without {@code SPARK_USER} (see {@link HadoopSupport})
     */
    public static SparkSession session(String appName, String master) {
        HadoopSupport.requireUserName();
        SparkConf conf = new SparkConf(true).setAppName(appName);
        if (master != null) {
            conf.setMaster(master);
        } else if (!conf.contains("spark.master")) {
            conf.setMaster(DEFAULT_MASTER);
        }
        if (conf.get("spark.master").startsWith("local") && !conf.contains("spark.ui.enabled")) {
            conf.set("spark.ui.enabled", "false");
        }
        return SparkSession.builder().config(conf).getOrCreate();
    }

    /** The Java context of {@code session}. */
    public static JavaSparkContext context(SparkSession session) {
        return JavaSparkContext.fromSparkContext(session.sparkContext());
    }
}
