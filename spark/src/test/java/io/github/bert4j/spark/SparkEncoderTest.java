package io.github.bert4j.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bert4j.bert.BertConfig;
import io.github.bert4j.bert.BertEncoder;
import io.github.bert4j.bert.embed.TextEmbedder;
import io.github.bert4j.core.testing.TestData;
import io.github.bert4j.ner.data.KlueNerReader;
import io.github.bert4j.ner.data.NerSentence;
import io.github.bert4j.tokenizer.Tokenizer;
import io.github.bert4j.tokenizer.training.MorphemeMode;
import io.github.bert4j.tokenizer.training.WordPieceTrainer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.io.TempDir;

/**
 * Embedding on Spark equals {@link TextEmbedder} batched as {@code bert4j encode} batches (the
 * first 150 sentences of the bundled KLUE file, some longer than the model's 48 positions, in
 * batches of 20 that three partitions must not cut).
 */
class SparkEncoderTest {

    static final SparkEncoder.Settings SETTINGS = new SparkEncoder.Settings(TextEmbedder.Pooling.MEAN, true, 20);

    static SparkSession spark;
    static JavaSparkContext sc;
    static List<String> texts;
    static Path model;
    static List<String> expected;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void setUp() throws Exception {
        spark = SparkTests.start("SparkEncoderTest");
        sc = SparkTests.context(spark);
        texts = KlueNerReader.readAll(TestData.klueNerDev()).stream().map(NerSentence::text).limit(150).toList();
        Tokenizer tok = WordPieceTrainer.builder().vocabSize(400).morphemes(MorphemeMode.NONE).threads(1).build().train(texts);
        model = tmp.resolve("encoder");
        try (BertEncoder enc = BertEncoder.create(BertConfig.of(tok.vocab().size(), 32, 1, 2, 48, 48), 3)) {
            enc.save(model);
        }
        tok.save(model);
        expected = new ArrayList<>(texts.size());
        try (TextEmbedder e = TextEmbedder.load(model, SETTINGS.pooling(), SETTINGS.normalize())) {
            assertThat(texts.stream().filter(e::truncates).count()).as("texts that are truncated").isPositive();
            for (int i = 0; i < texts.size(); i += SETTINGS.batchSize()) {
                List<String> batch = texts.subList(i, Math.min(texts.size(), i + SETTINGS.batchSize()));
                List<float[]> v = e.embed(batch); // what bert4j encode --batch-size 20 does
                for (int j = 0; j < batch.size(); j++) {
                    expected.add(TextEmbedder.toJson(batch.get(j), v.get(j)));
                }
            }
        }
    }

    @AfterAll
    static void stop() {
        ExecutorPool.clear("encode:");
        spark.stop();
    }

    @Test
    void jsonLinesEqualTheSingleMachineEncoderInInputOrder() {
        List<String> lines = SparkEncoder.encodeJson(sc.parallelize(texts, 4), model, SETTINGS, 3).collect();
        assertThat(lines).hasSize(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            assertThat(lines.get(i)).as("line %d", i).isEqualTo(expected.get(i));
        }
    }

    @Test
    // textFile/saveAsTextFile go through Hadoop 3.3's FileSystem, whose user lookup (Subject.getSubject)
    // throws on Java 23+ (see HadoopSupport); the RDD and DataFrame tests run on every Java
    @EnabledForJreRange(max = JRE.JAVA_22)
    void partFilesOfAFileConcatenateToTheSingleMachineOutput() throws Exception {
        Path input = tmp.resolve("texts.txt");
        Files.write(input, texts, StandardCharsets.UTF_8);
        Path out = tmp.resolve("embedded");
        assertThat(SparkEncoder.encodeFile(sc, input.toString(), model, SETTINGS, out.toString(), 3)).isEqualTo(texts.size());
        List<String> lines = new ArrayList<>();
        try (Stream<Path> parts = Files.list(out)) {
            for (Path part : (Iterable<Path>) parts.filter(f -> f.getFileName().toString().startsWith("part-")).sorted()::iterator) {
                lines.addAll(Files.readAllLines(part, StandardCharsets.UTF_8));
            }
        }
        assertThat(lines).isEqualTo(expected);
    }

    @Test
    void dataFrameHoldsTheSameVectors() {
        List<String> some = texts.subList(0, 70);
        List<Row> rows = SparkEncoder.encode(spark, sc.parallelize(some, 2), model, SETTINGS, 2).collectAsList();
        assertThat(rows).hasSize(some.size());
        for (int i = 0; i < some.size(); i++) {
            Row r = rows.get(i);
            List<Float> v = r.getList(1);
            float[] f = new float[v.size()];
            for (int k = 0; k < f.length; k++) {
                f[k] = v.get(k);
            }
            assertThat(f).hasSize(32);
            assertThat(TextEmbedder.toJson(r.getString(0), f)).as("text %d", i).isEqualTo(expected.get(i));
        }
        String key = "encode:" + model.toAbsolutePath() + ":" + SETTINGS.pooling() + ":" + SETTINGS.normalize();
        assertThat(ExecutorPool.idle(key)).as("models pooled per task slot, not per batch").isBetween(1, 2);
    }
}
