package io.github.bert4j.spark;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/** Small helpers around {@link JavaSparkContext}. */
final class JavaSparkContexts {
    private JavaSparkContexts() {
    }

    /** The context an RDD belongs to. */
    static JavaSparkContext of(JavaRDD<?> rdd) {
        return JavaSparkContext.fromSparkContext(rdd.context());
    }
}
