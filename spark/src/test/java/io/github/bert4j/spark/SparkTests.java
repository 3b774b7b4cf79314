package io.github.bert4j.spark;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/** The local Spark session of a test class: two worker threads, up to four attempts per task. */
final class SparkTests {
    private SparkTests() {
    }

    static SparkSession start(String name) {
        return SparkSession.builder().master("local[2,4]").appName(name)
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "4")
                .getOrCreate();
    }

    static JavaSparkContext context(SparkSession s) {
        return JavaSparkContext.fromSparkContext(s.sparkContext());
    }
}
