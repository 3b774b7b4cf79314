package io.github.bert4j.ner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.bert4j.bert.BertConfig;
import io.github.bert4j.bert.BertEncoder;
import io.github.bert4j.core.tracking.RunTracker;
import io.github.bert4j.core.train.TrainResult;
import io.github.bert4j.core.train.Trainer;
import io.github.bert4j.core.train.TrainingConfig;
import io.github.bert4j.ner.align.Entity;
import io.github.bert4j.ner.data.NerSentence;
import io.github.bert4j.ner.data.TagSet;
import io.github.bert4j.ner.eval.KlueReport;
import io.github.bert4j.tokenizer.Tokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Trains a tiny tagger on ~100 short KLUE sentences once, then checks training, saving and prediction. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NerModelTest {

    private Path tmp;

    private NerModel model;
    private List<NerSentence> sentences;
    private TrainResult result;
    private RunTracker tracker;
    private Path saved;

    @BeforeAll
    void train(@TempDir Path dir) throws Exception {
        tmp = dir;
        sentences = TinyNer.shortWithEntities(96);
        Tokenizer tokenizer = TinyNer.tokenizer();
        TagSet tags = TagSet.klue();
        BertConfig config = BertConfig.of(tokenizer.vocab().size(), 32, 1, 2, 48, 64);
        BertCrfTagger tagger = BertCrfTagger.create(BertEncoder.create(config, 1), tags, true, 0.1, 2);
        // max length 24 < many sentences: windows are exercised in training and prediction
        NerInputs inputs = new NerInputs(tokenizer, tags, 24, 11);
        model = new NerModel(tagger, inputs);
        List<NerExample> examples = inputs.examples(sentences);
        // one bucket (= max length): one padded shape
        NerBatches batches = new NerBatches(examples, 16, 24, tokenizer.vocab().padId(), tags.outside(), true);
        TrainingConfig cfg = TrainingConfig.builder().epochs(6).batchSize(16).lr(3e-3).warmupSteps(2)
                .logEvery(1).best("valid_entity_macro_f1", TrainingConfig.BestMode.MAX).seed(5).build();
        tracker = RunTracker.inMemory();
        result = new Trainer<>(cfg, model, batches, new NerScorer(model, sentences.subList(0, 24), 16), tracker,
                tmp.resolve("run")).fit();
        saved = tmp.resolve("model");
        model.save(saved);
    }

    @Test
    void trainingLossDrops() {
        List<Double> losses = tracker.metricHistory("train_loss").stream().map(p -> p.value()).toList();
        assertThat(losses).hasSizeGreaterThan(10);
        double first = (losses.get(0) + losses.get(1) + losses.get(2)) / 3;
        int n = losses.size();
        double last = (losses.get(n - 1) + losses.get(n - 2) + losses.get(n - 3)) / 3;
        System.getLogger(NerModelTest.class.getName()).log(System.Logger.Level.INFO, String.format(
                "tiny tagger: train loss %.3f -> %.3f over %d steps, best %s", first, last, n, result.bestValid()));
        assertThat(last).isLessThan(0.6 * first);
        assertThat(result.bestValid()).containsKey("valid_entity_macro_f1");
        assertThat(result.bestDir()).isNotNull();
        assertThat(result.bestDir().resolve("labels.json")).exists();
    }

    @Test
    void savedDirectoryPredictsExactlyLikeTheModel() throws Exception {
        assertThat(saved.resolve("config.json")).exists();
        assertThat(saved.resolve("model.safetensors")).exists();
        assertThat(saved.resolve("tokenizer.json")).exists();
        assertThat(saved.resolve("vocab.txt")).exists();
        assertThat(saved.resolve("labels.json")).exists();
        assertThat(saved.resolve("README.md")).exists();
        List<String> texts = sentences.stream().map(NerSentence::text).limit(20).toList();
        List<List<Entity>> expected = new NerPredictor(model).tag(texts, 8).stream().map(TaggedSentence::entities).toList();
        try (NerPredictor p = NerPredictor.load(saved)) {
            assertThat(p.predictBatch(texts)).isEqualTo(expected);
            assertThat(p.predict(texts.get(3))).isEqualTo(expected.get(3));
            for (int i = 0; i < texts.size(); i++) {
                for (Entity e : expected.get(i)) {
                    assertThat(texts.get(i).substring(e.start(), e.end())).isEqualTo(e.text());
                    assertThat(e.score()).as("score of %s", e).isGreaterThan(0.0).isLessThanOrEqualTo(1.0);
                }
            }
            // thread safety: concurrent callers get the same answers
            ExecutorService pool = Executors.newFixedThreadPool(3);
            try {
                List<Future<List<Entity>>> futures = new ArrayList<>();
                for (int i = 0; i < 9; i++) {
                    String t = texts.get(i % texts.size());
                    futures.add(pool.submit(() -> p.predict(t)));
                }
                for (int i = 0; i < 9; i++) {
                    assertThat(futures.get(i).get()).isEqualTo(expected.get(i % texts.size()));
                }
            } finally {
                pool.shutdownNow();
            }
            // empty and very long input
            assertThat(p.predict("")).isEmpty();
            String longText = String.join(" ", texts);
            List<Entity> longEntities = p.predict(longText);
            for (Entity e : longEntities) {
                assertThat(longText.substring(e.start(), e.end())).isEqualTo(e.text());
            }
        }
    }

    @Test
    void evaluationOfTheSavedModelMatchesTheTrainersLastValidation() throws Exception {
        KlueReport r;
        try (NerModel loaded = NerModel.load(saved)) {
            r = NerScorer.score(loaded, sentences.subList(0, 24), 16);
        }
        Map<String, Double> direct = new NerScorer(model, sentences.subList(0, 24), 16).evaluate();
        assertThat(r.entityMacroF1()).isEqualTo(direct.get("entity_macro_f1"));
        assertThat(r.sentences()).isEqualTo(24);
        assertThat(direct).containsKey("entity_score_ece");
        assertThat(r.toJson()).contains("\"sentences\":24");
    }

    @Test
    void theScoreTemperatureIsFittedLeavesTagsAloneAndTravelsWithTheDirectory() throws Exception {
        List<String> texts = sentences.stream().map(NerSentence::text).limit(30).toList();
        List<TaggedSentence> plain = new NerPredictor(model).tag(texts, 8);
        // fitted on sentences with gold labels: a value in the searched range
        double fitted = new NerPredictor(model).fitScoreTemperature(sentences.subList(24, 60), 8);
        assertThat(fitted).isBetween(io.github.bert4j.ner.eval.TemperatureScaling.MIN_TEMPERATURE,
                io.github.bert4j.ner.eval.TemperatureScaling.MAX_TEMPERATURE);
        assertThat(model.scoreTemperature()).as("fitting does not change the model").isEqualTo(1.0);
        Path hot = tmp.resolve("hot");
        try (NerModel copy = NerModel.load(saved)) {
            copy.setScoreTemperature(3.0);
            List<TaggedSentence> flattened = new NerPredictor(copy).tag(texts, 8);
            for (int i = 0; i < texts.size(); i++) {
                assertThat(flattened.get(i).tokenTags()).isEqualTo(plain.get(i).tokenTags());
                assertThat(flattened.get(i).entities()).hasSameSizeAs(plain.get(i).entities());
            }
            copy.save(hot);
        }
        assertThat(Files.readString(hot.resolve("labels.json"))).contains("\"score_temperature\" : 3.0");
        try (NerModel reloaded = NerModel.load(hot)) {
            assertThat(reloaded.scoreTemperature()).isEqualTo(3.0);
        }
        // a directory written before the temperature existed reads as 1; a bad value is refused
        Path old = tmp.resolve("old");
        Files.createDirectories(old);
        for (String f : List.of("config.json", "model.safetensors", "tokenizer.json", "vocab.txt")) {
            Files.copy(saved.resolve(f), old.resolve(f));
        }
        String labels = Files.readString(saved.resolve("labels.json"));
        Files.writeString(old.resolve("labels.json"), labels.replaceAll(",\\s*\"score_temperature\" : [0-9.]+", ""));
        assertThat(Files.readString(old.resolve("labels.json"))).doesNotContain("score_temperature");
        try (NerModel legacy = NerModel.load(old)) {
            assertThat(legacy.scoreTemperature()).isEqualTo(1.0);
        }
        Files.writeString(old.resolve("labels.json"), labels.replace("\"score_temperature\" : 1.0", "\"score_temperature\" : -2"));
        assertThatThrownBy(() -> NerModel.load(old)).isInstanceOf(NerModelException.class)
                .hasMessageContaining("labels.json").hasMessageContaining("score_temperature");
    }

    @Test
    void unusableDirectoriesGiveClearErrors() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertThatThrownBy(() -> NerPredictor.load(empty)).isInstanceOf(NerModelException.class)
                .hasMessageContaining("is empty");
        assertThatThrownBy(() -> NerPredictor.load(tmp.resolve("missing"))).isInstanceOf(NerModelException.class)
                .hasMessageContaining("does not exist");
        // a tokenizer with more tokens than the model's vocabulary
        Path mismatch = tmp.resolve("mismatch");
        Files.createDirectories(mismatch);
        for (String f : List.of("config.json", "model.safetensors", "labels.json")) {
            Files.copy(saved.resolve(f), mismatch.resolve(f));
        }
        List<String> texts = TinyNer.klue().subList(0, 1500).stream().map(NerSentence::text).toList();
        io.github.bert4j.tokenizer.training.WordPieceTrainer.builder().vocabSize(2000)
                .morphemes(io.github.bert4j.tokenizer.training.MorphemeMode.NONE).threads(1).showProgress(false)
                .build().train(texts).save(mismatch);
        assertThatThrownBy(() -> NerPredictor.load(mismatch)).isInstanceOf(NerModelException.class)
                .hasMessageContaining("tokenizer and model do not match");
        Files.delete(mismatch.resolve("labels.json"));
        assertThatThrownBy(() -> NerPredictor.load(mismatch)).hasMessageContaining("has no labels.json");
    }

    @Test
    void taggingJsonIsOneLine() {
        String json = NerPredictor.toJson("김 \"A\"", List.of(new Entity("PS", 0, 1, "김")));
        assertThat(json).isEqualTo("{\"text\":\"김 \\\"A\\\"\",\"entities\":[{\"type\":\"PS\",\"start\":0,\"end\":1,\"text\":\"김\"}]}");
        String scored = NerPredictor.toJson("김 이", List.of(new Entity("PS", 0, 1, "김", 0.987654), new Entity("PS", 2, 3, "이", 1.0)));
        assertThat(scored).isEqualTo("{\"text\":\"김 이\",\"entities\":[{\"type\":\"PS\",\"start\":0,\"end\":1,\"text\":\"김\","
                + "\"score\":0.9877},{\"type\":\"PS\",\"start\":2,\"end\":3,\"text\":\"이\",\"score\":1.0000}]}");
    }
}
