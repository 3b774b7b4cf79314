package io.github.bert4j.examples.spark;

import io.github.bert4j.spark.BertSpark;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/** Options every {@code bert4j spark} job takes. */
public final class SparkOptions {

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master (default: spark-submit's, else local[*]; local[N,F] retries failed tasks F-1 times).")
    String master;

    @Option(names = "--partitions", paramLabel = "N",
            description = "Spark partitions (tasks) to spread the work over (default: Spark's default parallelism).")
    Integer partitions;

    /** Starts (or joins) the session. */
    public SparkSession session(String app) {
        return BertSpark.session(app, master);
    }

    /** {@code --partitions}, else the session's default parallelism. */
    public int partitions(SparkSession s) {
        if (partitions != null) {
            if (partitions < 1) {
                throw new IllegalArgumentException("--partitions must be >= 1, got " + partitions);
            }
            return partitions;
        }
        return Math.max(1, s.sparkContext().defaultParallelism());
    }
}
