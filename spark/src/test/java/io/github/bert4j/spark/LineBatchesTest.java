package io.github.bert4j.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Batches on Spark are the single-machine loop's batches, whatever the input and output partitions. */
class LineBatchesTest {

    static SparkSession spark;
    static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        spark = SparkTests.start("LineBatchesTest");
        sc = SparkTests.context(spark);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void everyLineSeesTheBatchASingleMachineLoopWouldGiveIt() {
        for (int[] c : new int[][] {{105, 10, 4, 7}, {105, 10, 1, 3}, {9, 10, 3, 2}, {40, 8, 5, 1}, {33, 1, 4, 3}}) {
            int n = c[0];
            int batch = c[1];
            List<String> lines = IntStream.range(0, n).mapToObj(i -> "line" + i).toList();
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < n; i += batch) {
                List<String> b = lines.subList(i, Math.min(n, i + batch));
                b.forEach(l -> expected.add(l + "@" + b.get(0) + "/" + b.size()));
            }
            List<String> got = LineBatches.map(sc.parallelize(lines, c[3]), batch, c[2],
                    b -> b.stream().map(l -> l + "@" + b.get(0) + "/" + b.size()).toList()).collect();
            assertThat(got).as("%d lines, batches of %d, %d partitions", n, batch, c[2]).isEqualTo(expected);
        }
    }
}
