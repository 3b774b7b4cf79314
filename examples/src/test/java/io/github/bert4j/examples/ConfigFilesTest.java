package io.github.bert4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bert4j.bert.classification.ClassificationConfig;
import io.github.bert4j.bert.pretraining.PretrainConfig;
import io.github.bert4j.core.testing.TestData;
import io.github.bert4j.ner.NerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every shipped config loads with the library's own config records, and its data paths exist. */
class ConfigFilesTest {

    static Path configs() {
        return TestData.root().resolve("examples").resolve("configs");
    }

    static final List<String> PRETRAIN = List.of("seed-pretrain.yaml", "seed-pretrain-extra-mlm.yaml", "seed-pretrain-long.yaml",
            "quickstart-tiny-pretrain.yaml", "quickstart-pretrain.yaml", "pretrain-best.yaml");
    static final List<String> NER = List.of("klue-ner.yaml", "klue-ner-random-init.yaml", "klue-ner-extra-mlm.yaml",
            "klue-ner-long.yaml", "klue-ner-best.yaml",
            "quickstart-tiny-ner.yaml",
            "quickstart-ner.yaml");
    static final List<String> CLASSIFICATION = List.of("petition-category.yaml", "petition-category-smoke.yaml");

    @ParameterizedTest
    @MethodSource("pretrainConfigs")
    void pretrainConfigsLoadAndPointAtBundledData(String name) {
        PretrainConfig cfg = PretrainConfig.load(configs().resolve(name));
        assertThat(cfg.data().corpus()).isNotEmpty();
        for (String pattern : cfg.data().corpus()) {
            Path p = Path.of(pattern);
            Path dir = pattern.contains("*") ? p.getParent() : p;
            assertThat(dir).exists();
        }
        for (String extra : cfg.data().extraMlm()) {
            assertThat(Path.of(extra)).isRegularFile();
        }
        assertThat(cfg.tokenizer().morphemes()).isEqualTo(io.github.bert4j.tokenizer.training.MorphemeMode.NORI);
        assertThat(cfg.train().trainMlm()).isTrue();
        assertThat(cfg.train().trainNsp()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"seed-pretrain.yaml", "seed-pretrain-extra-mlm.yaml"})
    void seedPretrainMatchesTheReferenceSetup(String name) {
        PretrainConfig cfg = PretrainConfig.load(configs().resolve(name));
        assertThat(cfg.model().hiddenSize()).isEqualTo(256);
        assertThat(cfg.model().numHiddenLayers()).isEqualTo(2);
        assertThat(cfg.model().numAttentionHeads()).isEqualTo(8);
        assertThat(cfg.model().intermediateSize()).isEqualTo(512);
        assertThat(cfg.data().maxLen()).isEqualTo(128);
        assertThat(cfg.data().maskRatio()).isEqualTo(0.15);
        assertThat(cfg.data().validFraction()).isEqualTo(0.1);
        assertThat(cfg.train().batchSize() * cfg.train().gradAccumulation()).isEqualTo(64);
        assertThat(cfg.train().lr()).isEqualTo(5e-4);
        assertThat(cfg.train().warmupSteps()).isEqualTo(100);
        assertThat(cfg.tokenizer().vocabSize()).isEqualTo(12000);
        assertThat(cfg.data().corpus()).singleElement().asString().endsWith("examples/data/petitions/*.jsonl");
    }

    @ParameterizedTest
    @MethodSource("nerConfigs")
    void nerConfigsLoadAndPointAtBundledDataFromTheRepositoryRoot(String name) {
        NerConfig cfg = NerConfig.load(configs().resolve(name));
        assertThat(TestData.root().resolve(cfg.data().trainFile())).isRegularFile();
        assertThat(cfg.data().validFile()).isNull();
        assertThat(cfg.data().splitModulus()).isEqualTo(5);
        assertThat(cfg.data().splitTestRemainder()).isEqualTo(4);
    }

    @ParameterizedTest
    @ValueSource(strings = {"klue-ner.yaml", "klue-ner-random-init.yaml", "klue-ner-extra-mlm.yaml"})
    void kluNerReproductionUsesTheReferenceHyperParameters(String name) {
        NerConfig cfg = NerConfig.load(configs().resolve(name));
        assertThat(cfg.train().batchSize() * cfg.train().gradAccumulation()).isEqualTo(128);
        assertThat(cfg.train().lr()).isEqualTo(5e-4);
        assertThat(cfg.train().epochs()).isEqualTo(20);
        assertThat(cfg.train().maxSteps()).isEqualTo(-1);
        assertThat(cfg.model().maxLen()).isEqualTo(128);
        assertThat(cfg.train().bestMetric()).isEqualTo("valid_entity_macro_f1");
        if (name.contains("random")) {
            assertThat(cfg.model().pretrained()).isNull();
            assertThat(Path.of(cfg.model().tokenizer()))
                    .isEqualTo(TestData.root().resolve("examples/models/seed-petitions/tokenizer.json").toAbsolutePath().normalize());
            assertThat(cfg.model().bert().hiddenSize()).isEqualTo(256);
            assertThat(cfg.model().bert().numHiddenLayers()).isEqualTo(2);
            assertThat(cfg.model().bert().numAttentionHeads()).isEqualTo(8);
            assertThat(cfg.model().bert().intermediateSize()).isEqualTo(512);
        } else if (name.contains("extra-mlm") || name.contains("long")) {
            // the encoder its pretraining config writes (that config's output, relative to the repository root)
            String pretraining = name.contains("long") ? "seed-pretrain-long.yaml" : "seed-pretrain-extra-mlm.yaml";
            PretrainConfig pre = PretrainConfig.load(configs().resolve(pretraining));
            assertThat(TestData.root().resolve(cfg.model().pretrained()).normalize())
                    .isEqualTo(Path.of(pre.output()).resolve("model").normalize());
        } else {
            assertThat(TestData.root().resolve(cfg.model().pretrained()).normalize())
                    .isEqualTo(TestData.root().resolve("examples/models/seed-petitions").toAbsolutePath().normalize());
        }
    }

    @Test
    void theBestRecipeChoosesOnAValidationSplitCarvedOutOfTrainAndKeepsTheTestSplit() {
        NerConfig cfg = NerConfig.load(configs().resolve("klue-ner-best.yaml"));
        assertThat(cfg.data().hasTestSplit()).isTrue();
        assertThat(cfg.data().splitModulus()).isEqualTo(5);
        assertThat(cfg.data().splitTestRemainder()).isEqualTo(4);
        assertThat(cfg.data().validModulus()).isEqualTo(10);
        assertThat(cfg.data().validRemainder()).isEqualTo(3);
        assertThat(cfg.model().headLr()).isEqualTo(5e-3);
        assertThat(cfg.model().layerLrDecay()).isEqualTo(0.8);
        // the encoder pretrain-best.yaml wrote, published so that this config runs from a fresh clone
        Path encoder = TestData.root().resolve("examples/models/petitions-klue-28ep").toAbsolutePath().normalize();
        assertThat(TestData.root().resolve(cfg.model().pretrained()).normalize()).isEqualTo(encoder);
        assertThat(encoder.resolve("model.safetensors")).isRegularFile();
        assertThat(encoder.resolve("tokenizer.json")).isRegularFile();
        assertThat(encoder.resolve("README.md")).isRegularFile();
    }

    @Test
    void theTwoHourPretrainingRecipeIsTheSeedShapeOnPetitionsAndKlueRawTextWithALongerSchedule() throws Exception {
        PretrainConfig cfg = PretrainConfig.load(configs().resolve("pretrain-best.yaml"));
        assertThat(cfg.model().hiddenSize()).isEqualTo(256);
        assertThat(cfg.model().numHiddenLayers()).isEqualTo(2);
        assertThat(cfg.train().epochs()).isEqualTo(28);
        assertThat(cfg.train().lr()).isEqualTo(8e-4);
        assertThat(cfg.train().warmupSteps()).isEqualTo(800);
        assertThat(cfg.train().batchSize() * cfg.train().gradAccumulation()).isEqualTo(64);
        assertThat(cfg.data().dynamicMasking()).isTrue();
        assertThat(cfg.data().wholeWordMasking()).isFalse();
        assertThat(cfg.data().extraMlm()).singleElement().asString().endsWith("klue-ner-v1.1_train_sentences.tsv");
        // the same valid split as the earlier runs, so MLM accuracies compare
        PretrainConfig seed = PretrainConfig.load(configs().resolve("seed-pretrain.yaml"));
        assertThat(cfg.data().validFraction()).isEqualTo(seed.data().validFraction());
        assertThat(cfg.data().splitSeed()).isEqualTo(seed.data().splitSeed());
        assertThat(cfg.data().corpus()).isEqualTo(seed.data().corpus());
        // the published encoder has this shape
        String published = Files.readString(TestData.root().resolve("examples/models/petitions-klue-28ep/config.json"));
        assertThat(published).contains("\"hidden_size\" : 256").contains("\"num_hidden_layers\" : 2");
    }

    @Test
    void everyYamlInTheConfigsFolderIsLoadedByATest() throws Exception {
        try (Stream<Path> files = Files.list(configs())) {
            assertThat(files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".yaml")))
                    .containsExactlyInAnyOrderElementsOf(Stream.of(PRETRAIN, NER, CLASSIFICATION).flatMap(List::stream).toList());
        }
    }

    @ParameterizedTest
    @MethodSource("classificationConfigs")
    void classificationConfigsLoadAndPointAtTheBundledPetitionsAndEncoder(String name) {
        ClassificationConfig cfg = ClassificationConfig.load(configs().resolve(name));
        assertThat(cfg.data().files()).singleElement().asString().endsWith("examples/data/petitions/*.jsonl");
        assertThat(Path.of(cfg.data().files().get(0)).getParent()).isDirectory();
        assertThat(cfg.data().textFields()).containsExactly("title", "content");
        assertThat(cfg.data().labelField()).isEqualTo("category");
        Path encoder = TestData.root().resolve("examples/models/petitions-klue-28ep").toAbsolutePath().normalize();
        assertThat(Path.of(cfg.model().pretrained())).isEqualTo(encoder);
        assertThat(encoder.resolve("tokenizer.json")).isRegularFile();
        assertThat(cfg.train().bestMetric()).isEqualTo("valid_macro_f1");
        assertThat(cfg.train().evalEvery()).isZero();
        // test = the documents pretrain-best.yaml (the encoder's recipe) held out of pretraining
        PretrainConfig pre = PretrainConfig.load(configs().resolve("pretrain-best.yaml"));
        assertThat(cfg.data().testHoldoutFraction()).isEqualTo(pre.data().validFraction());
        assertThat(cfg.data().testHoldoutSeed()).isEqualTo(pre.data().splitSeed());
        assertThat(cfg.data().scheme().describe()).startsWith("test: the pretraining hold-out");
        assertThat(Path.of(cfg.output())).isEqualTo(TestData.root().resolve("runs").resolve(name.replace(".yaml", ""))
                .toAbsolutePath().normalize());
    }

    @Test
    void thePetitionCategoryRunFitsItsTimeBudget() {
        ClassificationConfig cfg = ClassificationConfig.load(configs().resolve("petition-category.yaml"));
        assertThat(cfg.model().maxLen()).isEqualTo(128);
        assertThat(cfg.train().batchSize() * cfg.train().gradAccumulation()).isEqualTo(32);
        assertThat(cfg.train().lr()).isBetween(5e-5, 1e-4);
        assertThat(cfg.model().headLrScale()).isEqualTo(10.0);
        // 2,482 training documents -> 78 steps per epoch (the yaml's duration estimate counts these)
        long steps = cfg.train().epochs() * ((2482 + 31) / 32L);
        assertThat(steps).isEqualTo(780);
        assertThat(cfg.train().warmupSteps()).isEqualTo(steps / 10);
    }

    static List<String> classificationConfigs() {
        return CLASSIFICATION;
    }

    static List<String> pretrainConfigs() {
        return PRETRAIN;
    }

    static List<String> nerConfigs() {
        return NER;
    }
}
