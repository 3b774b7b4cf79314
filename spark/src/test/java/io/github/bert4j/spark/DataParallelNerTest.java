package io.github.bert4j.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.bert4j.bert.BertConfig;
import io.github.bert4j.bert.BertEncoder;
import io.github.bert4j.core.testing.TestData;
import io.github.bert4j.core.tracking.RunTracker;
import io.github.bert4j.core.train.TrainResult;
import io.github.bert4j.core.train.Trainer;
import io.github.bert4j.core.train.TrainingConfig;
import io.github.bert4j.ner.BertCrfTagger;
import io.github.bert4j.ner.NerBatch;
import io.github.bert4j.ner.NerBatches;
import io.github.bert4j.ner.NerExample;
import io.github.bert4j.ner.NerInputs;
import io.github.bert4j.ner.NerModel;
import io.github.bert4j.ner.crf.LinearChainCrf;
import io.github.bert4j.ner.data.KlueNerReader;
import io.github.bert4j.ner.data.NerSentence;
import io.github.bert4j.ner.data.TagSet;
import io.github.bert4j.tokenizer.Tokenizer;
import io.github.bert4j.tokenizer.training.MorphemeMode;
import io.github.bert4j.tokenizer.training.WordPieceTrainer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data-parallel NER fine-tuning on Spark ({@link SparkGradients#ner}) equals single-process
 * gradient accumulation over the same micro-batches of real KLUE windows (tiny BERT + CRF with
 * classifier and encoder dropout on, IOB2 constraints), with 2 and 4 partitions and across a resume.
 */
class DataParallelNerTest {

    static final int MICRO = 4; // micro-batches per step (global batch = 4 x 3 windows)
    static final long STEPS = 4;
    static final TagSet TAGS = TagSet.klue();

    static SparkSession spark;
    static JavaSparkContext sc;
    static NerInputs inputs;
    static List<NerExample> examples;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        spark = SparkTests.start("DataParallelNerTest");
        sc = SparkTests.context(spark);
        List<NerSentence> sentences = KlueNerReader.readAll(TestData.klueNerDev()).subList(0, 60);
        Tokenizer tok = WordPieceTrainer.builder().vocabSize(300).morphemes(MorphemeMode.NONE).threads(1).build()
                .train(sentences.stream().map(NerSentence::text).toList());
        inputs = new NerInputs(tok, TAGS, 32, 16);
        examples = inputs.examples(sentences);
        assertThat(examples.size()).as("windows").isGreaterThan((int) STEPS * MICRO * 3);
    }

    @AfterAll
    static void stop() {
        SparkGradients.releaseLocalModels();
        spark.stop();
    }

    @Test
    void twoAndFourPartitionsEqualSingleProcessAccumulation() {
        Map<String, float[]> single = train(tmp.resolve("single"), 0, null, false);
        Map<String, float[]> two = train(tmp.resolve("two"), 2, null, false);
        Map<String, float[]> four = train(tmp.resolve("four"), 4, null, false);
        SparkTests.assertClose(two, single);
        SparkTests.assertClose(four, single);
        assertThat(single).containsKeys(BertCrfTagger.CLASSIFIER_WEIGHT, LinearChainCrf.TRANSITIONS);
        assertThat(SparkTests.maxRelativeDifference(single, initial())).as("training moved the parameters").isGreaterThan(1e-3);
    }

    @Test
    void resumeAfterAStopMidRunGivesTheSameParameters() {
        Map<String, float[]> straight = train(tmp.resolve("straight"), 2, null, false);
        Path run = tmp.resolve("stopped");
        // step 3's tasks fail on every attempt: the job fails, the run stops with last/ at step 2
        SparkGradients.TaskHook failing = (step, micro) -> {
            if (step == 2) {
                throw new IllegalStateException("injected: executor lost");
            }
        };
        assertThatThrownBy(() -> train(run, 2, failing, false)).hasStackTraceContaining("injected: executor lost");
        Map<String, float[]> resumed = train(run, 2, null, true);
        SparkTests.assertClose(resumed, straight);
    }

    static TrainingConfig config() {
        return TrainingConfig.builder().maxSteps(STEPS).batchSize(3).gradAccumulation(MICRO).lr(1e-2).warmupSteps(1)
                .maxGradNorm(1.0).weightDecay(0.01).seed(7).logEvery(1).saveEvery(2).evalEvery(0).build();
    }

    static NerModel model() {
        BertEncoder encoder = BertEncoder.create(BertConfig.of(inputs.tokenizer().vocab().size(), 16, 1, 2, 24, 32), 5);
        return new NerModel(BertCrfTagger.create(encoder, TAGS, true, 0.1, 5), inputs);
    }

    /** Trains a fresh model (same initialisation every time), in this JVM ({@code partitions == 0}) or on Spark. */
    static Map<String, float[]> train(Path out, int partitions, SparkGradients.TaskHook hook, boolean resume) {
        try (NerModel model = model()) {
            NerBatches batches = new NerBatches(examples, 3, 8, Math.max(0, inputs.tokenizer().vocab().padId()), TAGS.outside(),
                    true);
            Trainer<NerBatch> t = new Trainer<>(config(), model, batches, null, RunTracker.noop(), out).resume(resume);
            if (partitions > 0) {
                t.accumulator(SparkGradients.ner(sc, model.tagger(), partitions).hook(hook));
            }
            TrainResult r = t.fit();
            assertThat(r.steps()).isEqualTo(STEPS);
            return SparkTests.values(model.parameters());
        }
    }

    static Map<String, float[]> initial() {
        try (NerModel model = model()) {
            return SparkTests.values(model.parameters());
        }
    }
}
