package io.github.bert4j.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The local Spark session of a test class (two worker threads, up to four attempts per task) and parameter comparisons. */
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

    /** Copies of the parameter values, by name. */
    static Map<String, float[]> values(Map<String, INDArray> params) {
        Map<String, float[]> out = new LinkedHashMap<>();
        params.forEach((k, v) -> out.put(k, v.dup('c').data().asFloat()));
        return out;
    }

    /** max over parameters of |a-b|_inf / max(|b|_inf, 1e-3) */
    static double maxRelativeDifference(Map<String, float[]> a, Map<String, float[]> b) {
        double worst = 0;
        for (String k : b.keySet()) {
            float[] x = a.get(k);
            float[] y = b.get(k);
            double diff = 0;
            double scale = 1e-3;
            for (int i = 0; i < y.length; i++) {
                diff = Math.max(diff, Math.abs(x[i] - y[i]));
                scale = Math.max(scale, Math.abs(y[i]));
            }
            worst = Math.max(worst, diff / scale);
        }
        return worst;
    }

    static void assertClose(Map<String, float[]> actual, Map<String, float[]> expected) {
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
        assertThat(maxRelativeDifference(actual, expected)).isLessThan(1e-5);
    }
}
