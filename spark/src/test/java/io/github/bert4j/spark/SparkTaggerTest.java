package io.github.bert4j.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bert4j.bert.BertConfig;
import io.github.bert4j.bert.BertEncoder;
import io.github.bert4j.core.testing.TestData;
import io.github.bert4j.ner.BertCrfTagger;
import io.github.bert4j.ner.NerInputs;
import io.github.bert4j.ner.NerModel;
import io.github.bert4j.ner.NerPredictor;
import io.github.bert4j.ner.align.Entity;
import io.github.bert4j.ner.data.KlueNerReader;
import io.github.bert4j.ner.data.NerSentence;
import io.github.bert4j.ner.data.TagSet;
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

/** Tagging on Spark equals {@link NerPredictor} (as {@code bert4j tag} runs it) on every sentence of the bundled KLUE file. */
class SparkTaggerTest {

    static SparkSession spark;
    static JavaSparkContext sc;
    static List<String> texts;
    static Path model;
    static List<String> expected;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void setUp() throws Exception {
        spark = SparkTests.start("SparkTaggerTest");
        sc = SparkTests.context(spark);
        texts = KlueNerReader.readAll(TestData.klueNerDev()).stream().map(NerSentence::text).toList();
        // an untrained (random, seeded) tagger tags plenty of spans: as good a check of equality as a trained one
        Tokenizer tok = WordPieceTrainer.builder().vocabSize(600).morphemes(MorphemeMode.NONE).threads(1).build()
                .train(texts.subList(0, 400));
        TagSet tags = TagSet.klue();
        BertCrfTagger tagger = BertCrfTagger.create(BertEncoder.create(BertConfig.of(tok.vocab().size(), 32, 1, 2, 48, 64), 3),
                tags, true, 0.1, 4);
        model = tmp.resolve("model");
        try (NerModel m = new NerModel(tagger, new NerInputs(tok, tags, 48, 16))) {
            m.save(model);
        }
        expected = new ArrayList<>(texts.size());
        try (NerPredictor p = NerPredictor.load(model)) {
            for (int i = 0; i < texts.size(); i += SparkTagger.BATCH) {
                List<String> batch = texts.subList(i, Math.min(texts.size(), i + SparkTagger.BATCH));
                List<List<Entity>> ents = p.predictBatch(batch); // what bert4j tag does
                for (int j = 0; j < batch.size(); j++) {
                    expected.add(NerPredictor.toJson(batch.get(j), ents.get(j)));
                }
            }
        }
        assertThat(expected.stream().filter(j -> !j.endsWith("\"entities\":[]}")).count())
                .as("sentences with entities").isGreaterThan(100);
        assertThat(expected.stream().filter(j -> j.contains("\"score\":")).count())
                .as("sentences with scored entities").isGreaterThan(100);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    // textFile/saveAsTextFile go through Hadoop 3.3's FileSystem, whose user lookup (Subject.getSubject)
    // throws on Java 23+ (see HadoopSupport); the DataFrame test below runs on every Java
    @EnabledForJreRange(max = JRE.JAVA_22)
    void jsonLinesOfAFileEqualTheSingleMachineTagger() throws Exception {
        Path input = tmp.resolve("sentences.txt");
        Files.write(input, texts, StandardCharsets.UTF_8);
        Path out = tmp.resolve("tagged");
        long n = SparkTagger.tagFile(sc, input.toString(), model, out.toString(), 3);
        assertThat(n).isEqualTo(texts.size());
        List<String> lines = new ArrayList<>();
        try (Stream<Path> parts = Files.list(out)) {
            for (Path part : (Iterable<Path>) parts.filter(f -> f.getFileName().toString().startsWith("part-")).sorted()::iterator) {
                lines.addAll(Files.readAllLines(part, StandardCharsets.UTF_8));
            }
        }
        assertThat(lines).hasSize(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            assertThat(lines.get(i)).as("sentence %d", i).isEqualTo(expected.get(i));
        }
    }

    @Test
    void dataFrameHoldsTheSameEntitiesAndOffsets() {
        List<String> some = texts.subList(0, 100);
        List<Row> rows = SparkTagger.tag(spark, sc.parallelize(some, 2), model, 2).collectAsList();
        assertThat(rows).hasSize(some.size());
        for (int i = 0; i < some.size(); i++) {
            Row r = rows.get(i);
            List<Entity> ents = new ArrayList<>();
            for (Row e : r.<Row>getList(1)) {
                ents.add(new Entity(e.getString(0), e.getInt(1), e.getInt(2), e.getString(3), e.getDouble(4)));
                assertThat(e.getDouble(4)).as("score").isGreaterThan(0.0).isLessThanOrEqualTo(1.0);
            }
            assertThat(NerPredictor.toJson(r.getString(0), ents)).as("sentence %d", i).isEqualTo(expected.get(i));
        }
        assertThat(ExecutorPool.idle("tag:" + model.toAbsolutePath())).as("models pooled per task slot, not per row")
                .isBetween(1, 2);
    }
}
