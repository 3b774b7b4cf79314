package io.github.bert4j.spark;

import io.github.bert4j.ner.NerPredictor;
import io.github.bert4j.ner.align.Entity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

/**
 * Named-entity tagging on Spark with a bert4j NER model directory: every executor thread loads the
 * model once ({@link NerPredictor}, pooled per JVM) and tags its partition in batches. Lines are
 * batched exactly as {@code bert4j tag} batches them (consecutive groups of {@value #BATCH} from
 * the start of the input, never cut by a partition boundary), so the output equals {@code bert4j
 * tag}'s line for line. The model directory must be readable at the same path on every executor
 * (local mode, a shared file system, or shipped with {@code spark-submit --archives model.zip#model}
 * and named {@code model}).
 */
public final class SparkTagger {

    /** Sentences tagged together (as {@code bert4j tag}). */
    public static final int BATCH = 32;

    /** The DataFrame schema of {@link #tag(SparkSession, JavaRDD, Path, int)}. */
    public static final StructType SCHEMA = new StructType()
            .add("text", DataTypes.StringType, false)
            .add("entities", DataTypes.createArrayType(new StructType()
                    .add("type", DataTypes.StringType, false)
                    .add("start", DataTypes.IntegerType, false)
                    .add("end", DataTypes.IntegerType, false)
                    .add("text", DataTypes.StringType, false)
                    .add("score", DataTypes.DoubleType, false), false), false);

    private SparkTagger() {
    }

    /** One JSON line per sentence, {@code {"text":..,"entities":[..]}} ({@link NerPredictor#toJson}), in input order. */
    public static JavaRDD<String> tagJson(JavaRDD<String> sentences, Path modelDir, int partitions) {
        return tagged(sentences, modelDir, partitions).map(t -> NerPredictor.toJson(t.text(), t.entities()));
    }

    /**
     * A DataFrame of {@code text} and {@code entities} (type, start, end, text, score; UTF-16
     * offsets, the score as in {@link Entity#score()}, unrounded), in input order.
     */
    public static Dataset<Row> tag(SparkSession spark, JavaRDD<String> sentences, Path modelDir, int partitions) {
        JavaRDD<Row> rows = tagged(sentences, modelDir, partitions).map(t -> {
            List<Row> ents = new ArrayList<>(t.entities().size());
            for (Entity e : t.entities()) {
                ents.add(RowFactory.create(e.type(), e.start(), e.end(), e.text(), e.score()));
            }
            return RowFactory.create(t.text(), scala.collection.JavaConverters.asScalaBuffer(ents).toList());
        });
        return spark.createDataFrame(rows, SCHEMA);
    }

    /**
     * Tags the lines of {@code input} (any path Spark reads) into {@code output}: part files of
     * JSON lines which, concatenated in name order, are {@code bert4j tag}'s output.
     *
     * @return the number of sentences tagged
     */
    public static long tagFile(JavaSparkContext sc, String input, Path modelDir, String output, int partitions) {
        JavaRDD<String> json = tagJson(sc.textFile(input), modelDir, partitions).cache();
        try {
            json.saveAsTextFile(output);
            return json.count();
        } finally {
            json.unpersist();
        }
    }

    /** A sentence and its entities. */
    record Tagged(String text, List<Entity> entities) implements java.io.Serializable {}

    private static JavaRDD<Tagged> tagged(JavaRDD<String> sentences, Path modelDir, int partitions) {
        Path dir = modelDir.toAbsolutePath();
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("NER model directory " + dir + " does not exist");
        }
        String model = dir.toString();
        long batches = (sentences.count() + BATCH - 1) / BATCH;
        // partitions of whole batches, sorted by position within each
        JavaRDD<String> ordered = sentences.zipWithIndex().mapToPair(t -> new Tuple2<>(t._2(), t._1()))
                .repartitionAndSortWithinPartitions(new WholeBatches(Math.max(1, partitions), Math.max(1, batches)))
                .values();
        return ordered.mapPartitions(it -> new Batches(it, model));
    }

    /** A partition's sentences tagged batch by batch (the predictor is borrowed from the JVM's pool per batch). */
    private static final class Batches implements java.util.Iterator<Tagged> {
        private final java.util.Iterator<String> in;
        private final String model;
        private java.util.Iterator<Tagged> current = java.util.Collections.emptyIterator();

        Batches(java.util.Iterator<String> in, String model) {
            this.in = in;
            this.model = model;
        }

        @Override
        public boolean hasNext() {
            if (!current.hasNext() && in.hasNext()) {
                List<String> batch = new ArrayList<>(BATCH);
                while (batch.size() < BATCH && in.hasNext()) {
                    batch.add(in.next());
                }
                List<List<Entity>> ents = ExecutorPool.with("tag:" + model, () -> NerPredictor.load(Path.of(model)),
                        p -> p.predictBatch(batch));
                List<Tagged> out = new ArrayList<>(batch.size());
                for (int i = 0; i < batch.size(); i++) {
                    out.add(new Tagged(batch.get(i), ents.get(i)));
                }
                current = out.iterator();
            }
            return current.hasNext();
        }

        @Override
        public Tagged next() {
            if (!hasNext()) {
                throw new java.util.NoSuchElementException();
            }
            return current.next();
        }
    }

    /** Line {@code i} goes to partition {@code (i / BATCH) * n / batches}: consecutive whole batches. */
    static final class WholeBatches extends Partitioner {
        private static final long serialVersionUID = 1L;
        private final int n;
        private final long batches;

        WholeBatches(int n, long batches) {
            this.n = n;
            this.batches = batches;
        }

        @Override
        public int numPartitions() {
            return n;
        }

        @Override
        public int getPartition(Object key) {
            long b = (Long) key / BATCH;
            return (int) Math.min(n - 1, b * n / batches);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof WholeBatches w && w.n == n && w.batches == batches;
        }

        @Override
        public int hashCode() {
            return n * 31 + Long.hashCode(batches);
        }
    }
}
