package io.github.bert4j.ner;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bert4j.bert.BertConfig;
import io.github.bert4j.bert.BertEncoder;
import io.github.bert4j.core.config.ConfigLoader;
import io.github.bert4j.ner.data.KlueNerWriter;
import io.github.bert4j.ner.data.NerSentence;
import io.github.bert4j.ner.eval.KlueReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The finetune-ner and evaluate-ner entry points end to end on a few sentences. */
class NerFineTuningTest {

    @TempDir
    Path tmp;

    @Test
    void finetunesFromAPretrainedDirectoryAndEvaluates() throws Exception {
        List<NerSentence> sentences = TinyNer.shortWithEntities(30);
        Path tsv = tmp.resolve("ner.tsv");
        KlueNerWriter.write(tsv, List.of("## test data"), sentences);
        Path pretrained = tmp.resolve("pretrained");
        var tokenizer = TinyNer.tokenizer();
        try (BertEncoder encoder = BertEncoder.create(BertConfig.of(tokenizer.vocab().size(), 32, 1, 2, 40, 64), 4)) {
            encoder.save(pretrained);
        }
        tokenizer.save(pretrained);
        String yaml = """
                data: {train_file: %s}
                model: {pretrained: %s, max_len: 48, bucket: 16}
                train: {epochs: 2, batch_size: 8, grad_accumulation: 1, lr: 2.0e-3}
                tracking: {mlruns: %s, experiment: ner-test, run_name: tiny}
                """.formatted(tsv, pretrained, tmp.resolve("mlruns"));
        NerConfig cfg = NerConfig.parse(yaml, ConfigLoader.Format.YAML, "ner.yaml");
        Path out = tmp.resolve("out");
        NerFineTuning.Result r = NerFineTuning.run(cfg, out, false);
        assertThat(r.trainSentences()).isEqualTo(24);
        assertThat(r.validSentences()).isEqualTo(6);
        for (String f : List.of("config.json", "model.safetensors", "tokenizer.json", "vocab.txt", "labels.json",
                "README.md", "eval.json", "reliability.png")) {
            assertThat(out.resolve(f)).as(f).exists();
        }
        assertThat(out.resolve("checkpoints/last/training_state")).exists();
        assertThat(Files.readString(out.resolve("eval.json"))).isEqualTo(r.validReport().toJson() + "\n");
        assertThat(r.validReport().toJson()).contains("\"reliability\":{\"entities\":" + r.validReport().reliability().entities());
        assertThat(Files.readAllBytes(out.resolve("reliability.png"))).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        try (Stream<Path> runs = Files.walk(tmp.resolve("mlruns"))) {
            assertThat(runs.map(p -> p.getFileName().toString()))
                    .contains("meta.yaml", "valid_entity_macro_f1", "valid_entity_score_ece", "train_loss", "reliability.png");
        }
        KlueReport again = NerScorer.score(out, tsv);
        assertThat(again.sentences()).isEqualTo(30);
        assertThat(again.toJson()).startsWith("{\"entity_macro_f1\":");
        double f = again.entityMacroF1();
        assertThat(f).isBetween(0.0, 1.0);
    }

    @Test
    void aValidationSplitCarvedOutOfTrainLeavesTheHeldOutSplitForTestOnly() throws Exception {
        List<NerSentence> sentences = TinyNer.shortWithEntities(40);
        Path tsv = tmp.resolve("ner.tsv");
        KlueNerWriter.write(tsv, List.of("## test data"), sentences);
        Path pretrained = tmp.resolve("pretrained");
        var tokenizer = TinyNer.tokenizer();
        try (BertEncoder encoder = BertEncoder.create(BertConfig.of(tokenizer.vocab().size(), 32, 2, 2, 40, 64), 4)) {
            encoder.save(pretrained);
        }
        tokenizer.save(pretrained);
        String yaml = """
                data: {train_file: %s, split_modulus: 5, split_test_remainder: 4, valid_modulus: 10, valid_remainder: 3}
                model: {pretrained: %s, max_len: 48, bucket: 16, head_lr: 1.0e-2, layer_lr_decay: 0.8}
                train: {epochs: 3, batch_size: 8, grad_accumulation: 1, lr: 2.0e-3}
                tracking: {mlruns: %s, experiment: ner-test, run_name: three-way}
                """.formatted(tsv, pretrained, tmp.resolve("mlruns"));
        NerConfig cfg = NerConfig.parse(yaml, ConfigLoader.Format.YAML, "ner.yaml");
        Path out = tmp.resolve("out");
        NerFineTuning.Result r = NerFineTuning.run(cfg, out, false);
        // extra training files add to train only
        Path extra = tmp.resolve("extra.tsv");
        KlueNerWriter.write(extra, List.of("## extra"), TinyNer.shortWithEntities(5));
        String withExtra = yaml.replace("valid_remainder: 3}", "valid_remainder: 3, extra_train_files: [" + extra + "]}")
                .replace("epochs: 3", "epochs: 1").replace("three-way", "extra");
        assertThat(withExtra).contains("extra_train_files");
        NerFineTuning.Result e = NerFineTuning.run(NerConfig.parse(withExtra, ConfigLoader.Format.YAML, "ner.yaml"),
                tmp.resolve("extra-out"), false);
        assertThat(e.trainSentences()).isEqualTo(28 + 5);
        // train_limit keeps the first N training sentences and leaves validation and test alone
        String limited = withExtra.replace("valid_remainder: 3,", "valid_remainder: 3, train_limit: 10,")
                .replace("run_name: extra", "run_name: limited");
        assertThat(limited).contains("train_limit: 10");
        NerFineTuning.Result l = NerFineTuning.run(NerConfig.parse(limited, ConfigLoader.Format.YAML, "ner.yaml"),
                tmp.resolve("limited-out"), false);
        assertThat(l.trainSentences()).isEqualTo(10 + 5);
        assertThat(l.validSentences()).isEqualTo(4);
        assertThat(l.testSentences()).isEqualTo(8);
        assertThat(l.testLast().sentences()).isEqualTo(8);
        assertThat(e.validSentences()).isEqualTo(4);
        assertThat(e.testSentences()).isEqualTo(8);
        // 40 sentences: i % 5 == 4 -> 8 test; of the other 32, i % 10 == 3 -> 4 valid; 28 train
        assertThat(r.trainSentences()).isEqualTo(28);
        assertThat(r.validSentences()).isEqualTo(4);
        assertThat(r.testSentences()).isEqualTo(8);
        assertThat(r.testSelected().sentences()).isEqualTo(8);
        assertThat(r.testLast().sentences()).isEqualTo(8);
        assertThat(out.resolve("test-reliability.png")).isNotEmptyFile();
        String test = Files.readString(out.resolve("test.json"));
        // the entity-score temperature was fitted on validation and saved with the model
        double temperature;
        try (NerModel saved = NerModel.load(out)) {
            temperature = saved.scoreTemperature();
        }
        assertThat(test).contains("\"score_temperature\":" + temperature).contains("\"selected_ece_uncalibrated\":");
        assertThat(temperature).isBetween(io.github.bert4j.ner.eval.TemperatureScaling.MIN_TEMPERATURE,
                io.github.bert4j.ner.eval.TemperatureScaling.MAX_TEMPERATURE);
        assertThat(test).startsWith("{\"test_sentences\":8,\"selected_on\":\"valid\",\"selected_step\":")
                .contains("\"last_step\":" + r.train().steps())
                .contains("\"selected\":" + r.testSelected().toJson())
                .contains("\"last\":" + r.testLast().toJson());
        // the final model is the one selected on validation: re-evaluated on the test sentences it gives testSelected
        List<NerSentence> held = new java.util.ArrayList<>();
        for (int i = 4; i < sentences.size(); i += 5) held.add(sentences.get(i));
        Path heldTsv = tmp.resolve("held.tsv");
        KlueNerWriter.write(heldTsv, List.of("## held out"), held);
        assertThat(NerScorer.score(out, heldTsv).toJson()).isEqualTo(r.testSelected().toJson());
        try (Stream<Path> runs = Files.walk(tmp.resolve("mlruns"))) {
            assertThat(runs.map(p -> p.getFileName().toString()))
                    .contains("test_selected_entity_macro_f1", "test_last_entity_macro_f1");
        }
    }

    @Test
    void headLearningRateAndLayerDecayReachTheOptimizer() throws Exception {
        Path tsv = tmp.resolve("ner.tsv");
        KlueNerWriter.write(tsv, List.of("## test data"), TinyNer.shortWithEntities(16));
        Path pretrained = tmp.resolve("pretrained");
        var tokenizer = TinyNer.tokenizer();
        try (BertEncoder encoder = BertEncoder.create(BertConfig.of(tokenizer.vocab().size(), 16, 2, 2, 24, 64), 4)) {
            encoder.save(pretrained);
        }
        tokenizer.save(pretrained);
        // the head nearly frozen (1e-12) and, with decay 1e-6 over 2 layers, the embeddings too (lr·1e-12)
        String yaml = """
                data: {train_file: %s}
                model: {pretrained: %s, max_len: 48, bucket: 16, head_lr: 1.0e-15, layer_lr_decay: 1.0e-6}
                train: {epochs: 1, batch_size: 8, grad_accumulation: 1, lr: 1.0e-3, warmup_steps: 0, weight_decay: 0.0}
                tracking: {mlruns: %s, experiment: ner-test, run_name: groups}
                """.formatted(tsv, pretrained, tmp.resolve("mlruns"));
        Path out = tmp.resolve("out");
        NerFineTuning.run(NerConfig.parse(yaml, ConfigLoader.Format.YAML, "ner.yaml"), out, false);
        try (BertEncoder before = BertEncoder.load(pretrained); NerModel after = NerModel.load(out)) {
            var p = after.parameters();
            assertThat(p.get(BertCrfTagger.CLASSIFIER_BIAS).amaxNumber().doubleValue()).isLessThan(1e-12); // starts at 0
            String top = "bert.encoder.layer.1.output.dense.weight";
            String emb = "bert.embeddings.word_embeddings.weight";
            assertThat(p.get(top).sub(before.parameters().get(top)).amaxNumber().doubleValue()).isGreaterThan(1e-4);
            assertThat(p.get(emb).sub(before.parameters().get(emb)).amaxNumber().doubleValue()).isLessThan(1e-8);
        }
    }

    @Test
    void aValidationRuleInsideTheTestSplitIsRefusedWithTheCounts() throws Exception {
        Path tsv = tmp.resolve("ner.tsv");
        KlueNerWriter.write(tsv, List.of("## test data"), TinyNer.shortWithEntities(20));
        Path pretrained = tmp.resolve("pretrained");
        var tokenizer = TinyNer.tokenizer();
        try (BertEncoder encoder = BertEncoder.create(BertConfig.of(tokenizer.vocab().size(), 16, 1, 2, 24, 64), 4)) {
            encoder.save(pretrained);
        }
        tokenizer.save(pretrained);
        String yaml = """
                data: {train_file: %s, valid_modulus: 10, valid_remainder: 9}
                model: {pretrained: %s, max_len: 48}
                tracking: {mlruns: %s}
                """.formatted(tsv, pretrained, tmp.resolve("mlruns"));
        NerConfig cfg = NerConfig.parse(yaml, ConfigLoader.Format.YAML, "ner.yaml");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> NerFineTuning.run(cfg, tmp.resolve("out"), false))
                .hasMessageContaining("valid_remainder")
                .hasMessageContaining("leaves 16 train and 0 valid sentences of 20")
                .hasMessageContaining("ner.tsv");
    }

    @Test
    void randomInitialisationSizesTheEmbeddingTableToTheTokenizer() throws Exception {
        Path tsv = tmp.resolve("ner.tsv");
        KlueNerWriter.write(tsv, List.of("## test data"), TinyNer.shortWithEntities(20));
        var tokenizer = TinyNer.tokenizer();
        Path tokDir = tmp.resolve("tok");
        tokenizer.save(tokDir);
        String yaml = """
                data: {train_file: %s}
                model:
                  tokenizer: %s
                  bert: {vocab_size: 30522, hidden_size: 16, num_hidden_layers: 1, num_attention_heads: 2,
                         intermediate_size: 24, max_position_embeddings: 48}
                  max_len: 48
                  bucket: 16
                train: {epochs: 1, batch_size: 8, grad_accumulation: 1, lr: 2.0e-3}
                tracking: {mlruns: %s, experiment: ner-test, run_name: random}
                """.formatted(tsv, tokDir.resolve("tokenizer.json"), tmp.resolve("mlruns"));
        Path out = tmp.resolve("random");
        NerFineTuning.run(NerConfig.parse(yaml, ConfigLoader.Format.YAML, "ner.yaml"), out, false);
        assertThat(BertConfig.load(out).vocabSize()).isEqualTo(tokenizer.vocab().size());
    }
}
