package io.github.bert4j.ner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.bert4j.core.config.ConfigException;
import io.github.bert4j.core.config.ConfigLoader;
import io.github.bert4j.core.train.TrainingConfig;
import io.github.bert4j.ner.data.TagSet;
import org.junit.jupiter.api.Test;

class NerConfigTest {

    static NerConfig yaml(String text) {
        return NerConfig.parse(text, ConfigLoader.Format.YAML, "ner.yaml");
    }

    /** As pretraining configs: relative paths of a loaded file are relative to its folder, absolute ones stay. */
    @Test
    void loadResolvesRelativePathsAgainstTheConfigFilesFolder(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        java.nio.file.Path file = dir.resolve("configs").resolve("ner.yaml");
        java.nio.file.Files.createDirectories(file.getParent());
        java.nio.file.Files.writeString(file, """
                data:
                  train_file: ../data/train.tsv
                  valid_file: /abs/valid.tsv
                model:
                  pretrained: ../models/seed
                tracking:
                  mlruns: ../mlruns
                """);
        NerConfig c = NerConfig.load(file);
        java.nio.file.Path base = dir.toAbsolutePath();
        assertThat(c.data().trainFile()).isEqualTo(base.resolve("data/train.tsv").toString());
        assertThat(c.data().validFile()).isEqualTo("/abs/valid.tsv");
        assertThat(c.model().pretrained()).isEqualTo(base.resolve("models/seed").toString());
        assertThat(c.model().tokenizerPath()).isEqualTo(base.resolve("models/seed"));
        assertThat(c.tracking().mlruns()).isEqualTo(base.resolve("mlruns").toString());
    }

    @Test
    void nerDefaultsFillAbsentTrainKeys() {
        NerConfig c = yaml("""
                data:
                  train_file: examples/data/klue-ner/klue-ner-v1.1_dev_4k.tsv
                model:
                  pretrained: examples/models/seed
                """);
        assertThat(c.data().splitModulus()).isEqualTo(5);
        assertThat(c.data().splitTestRemainder()).isEqualTo(4);
        assertThat(c.data().tagSet()).isEqualTo(TagSet.klue());
        assertThat(c.model().maxLen()).isEqualTo(128);
        assertThat(c.model().stride()).isEqualTo(63);
        assertThat(c.model().bioConstraints()).isTrue();
        assertThat(c.model().tokenizerPath().toString()).isEqualTo("examples/models/seed");
        TrainingConfig t = c.train();
        assertThat(t.epochs()).isEqualTo(20);
        assertThat(t.effectiveBatchSize()).isEqualTo(128);
        assertThat(t.lr()).isEqualTo(5e-4);
        assertThat(t.bestMetric()).isEqualTo("valid_entity_macro_f1");
        assertThat(t.bestMode()).isEqualTo(TrainingConfig.BestMode.MAX);
        assertThat(c.tracking().experiment()).isEqualTo("klue-ner");
    }

    @Test
    void explicitValuesAndReferenceSpellingsWin() {
        NerConfig c = yaml("""
                data: {train_file: a.tsv, valid_file: b.tsv}
                model:
                  tokenizer: tok
                  bert: {vocab_size: 100, hidden_size: 32, num_hidden_layers: 1, num_attention_heads: 2, intermediate_size: 40, max_position_embeddings: 64}
                  max_len: 64
                train: {n_epochs: 3, learning_rate: 1.0e-3, batch_size: 128, grad_accumulation: 1, best_metric: valid_loss, best_mode: min}
                """);
        assertThat(c.train().epochs()).isEqualTo(3);
        assertThat(c.train().lr()).isEqualTo(1e-3);
        assertThat(c.train().effectiveBatchSize()).isEqualTo(128);
        assertThat(c.train().bestMetric()).isEqualTo("valid_loss");
        assertThat(c.model().bert().hiddenSize()).isEqualTo(32);
        assertThat(c.model().pretrained()).isNull();
    }

    @Test
    void errorsNameTheKeyAndFile() {
        assertThatThrownBy(() -> yaml("data: {train_file: a.tsv}\nmodel: {pretrained: m, max_len: 2}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("max_len").hasMessageContaining("ner.yaml");
        assertThatThrownBy(() -> yaml("data: {train_file: a.tsv}\nmodel: {pretrained: m}\ntrain: {lr: -1}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("train.lr");
        assertThatThrownBy(() -> yaml("data: {train_file: a.tsv, labelz: []}\nmodel: {pretrained: m}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("labelz");
        assertThatThrownBy(() -> yaml("data: {train_file: a.tsv}\nmodel: {max_len: 64}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("tokenizer");
        assertThatThrownBy(() -> yaml("data: {train_file: a.tsv, labels: [B-PS, O]}\nmodel: {pretrained: m}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("I-PS");
        assertThatThrownBy(() -> yaml("data: {train_file: a.tsv, train_limit: 0}\nmodel: {pretrained: m}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("train_limit").hasMessageContaining(">= 1");
    }
}
