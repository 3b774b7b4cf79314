package io.github.bert4j.spark;

import io.github.bert4j.bert.embed.TextEmbedder;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Text embeddings on Spark with a bert4j model directory ({@code config.json}, {@code
 * model.safetensors}, {@code tokenizer.json}: a pretrained encoder, an imported HuggingFace one, or
 * a fine-tuned NER model, whose head is ignored), as {@code bert4j encode} computes them ({@link
 * TextEmbedder}). Every executor thread loads the model once (pooled per JVM, as {@link
 * SparkTagger} does) and embeds its partition in batches; lines are batched exactly as {@code
 * bert4j encode --batch-size N} batches them (consecutive groups of N from the start of the input,
 * never cut by a partition boundary), so every vector and JSON line equals {@code bert4j encode}'s.
 * Texts longer than the model's maximum length are truncated, as there (which warns once; here
 * nothing is printed). The model directory must be readable at the same path on every executor.
 */
public final class SparkEncoder {

    /** The DataFrame schema of {@link #encode(SparkSession, JavaRDD, Path, Settings, int)}. */
    public static final StructType SCHEMA = new StructType()
            .add("text", DataTypes.StringType, false)
            .add("embedding", DataTypes.createArrayType(DataTypes.FloatType, false), false);

    /**
     * {@code bert4j encode}'s options.
     *
     * @param batchSize texts per batch ({@code --batch-size}, default {@value TextEmbedder#DEFAULT_BATCH_SIZE})
     */
    public record Settings(TextEmbedder.Pooling pooling, boolean normalize, int batchSize) implements Serializable {
        /** {@code bert4j encode}'s defaults: CLS pooling, no normalisation, batches of 32. */
        public static final Settings DEFAULT = new Settings(TextEmbedder.Pooling.CLS, false, TextEmbedder.DEFAULT_BATCH_SIZE);

        public Settings {
            java.util.Objects.requireNonNull(pooling, "pooling");
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
            }
        }
    }

    private SparkEncoder() {
    }

    /** One vector per text, in input order. */
    public static JavaRDD<Embedded> embeddings(JavaRDD<String> texts, Path modelDir, Settings settings, int partitions) {
        Path dir = modelDir.toAbsolutePath();
        if (!Files.isRegularFile(dir.resolve("config.json"))) {
            throw new IllegalArgumentException("model directory " + dir + (Files.isDirectory(dir)
                    ? " has no config.json" : " does not exist"));
        }
        String model = dir.toString();
        String key = "encode:" + model + ":" + settings.pooling() + ":" + settings.normalize();
        return LineBatches.map(texts, settings.batchSize(), partitions, batch -> {
            List<float[]> vectors = ExecutorPool.with(key, () -> load(model, settings), e -> e.embed(batch));
            List<Embedded> out = new ArrayList<>(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                out.add(new Embedded(batch.get(i), vectors.get(i)));
            }
            return out;
        });
    }

    /** One JSON line per text, {@code {"text":..,"embedding":[..]}} ({@link TextEmbedder#toJson}), in input order. */
    public static JavaRDD<String> encodeJson(JavaRDD<String> texts, Path modelDir, Settings settings, int partitions) {
        return embeddings(texts, modelDir, settings, partitions).map(e -> TextEmbedder.toJson(e.text(), e.embedding()));
    }

    /** A DataFrame of {@code text} and {@code embedding} ({@code array<float>}), in input order. */
    public static Dataset<Row> encode(SparkSession spark, JavaRDD<String> texts, Path modelDir, Settings settings, int partitions) {
        JavaRDD<Row> rows = embeddings(texts, modelDir, settings, partitions).map(e -> {
            List<Float> v = new ArrayList<>(e.embedding().length);
            for (float x : e.embedding()) {
                v.add(x);
            }
            return RowFactory.create(e.text(), scala.collection.JavaConverters.asScalaBuffer(v).toList());
        });
        return spark.createDataFrame(rows, SCHEMA);
    }

    /**
     * Embeds the lines of {@code input} (any path Spark reads) into {@code output}: part files of
     * JSON lines which, concatenated in name order, are {@code bert4j encode}'s output.
     *
     * @return the number of lines embedded
     * @throws HadoopSupport.UnsupportedJavaException on Java 24+ (Spark 3.5's Hadoop files; see {@link HadoopSupport})
     */
    public static long encodeFile(JavaSparkContext sc, String input, Path modelDir, Settings settings, String output,
                                  int partitions) {
        HadoopSupport.requireFileSystem("encodeFile");
        JavaRDD<String> json = encodeJson(sc.textFile(input), modelDir, settings, partitions).cache();
        try {
            json.saveAsTextFile(output);
            return json.count();
        } finally {
            json.unpersist();
        }
    }

    /** A text and its vector. */
    public record Embedded(String text, float[] embedding) implements Serializable {}

    private static TextEmbedder load(String model, Settings settings) {
        try {
            return TextEmbedder.load(Path.of(model), settings.pooling(), settings.normalize());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the encoder in " + model, e);
        }
    }
}
