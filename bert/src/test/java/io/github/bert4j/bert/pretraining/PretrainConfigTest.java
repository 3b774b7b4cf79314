package io.github.bert4j.bert.pretraining;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.bert4j.core.config.ConfigException;
import io.github.bert4j.core.config.ConfigLoader;
import io.github.bert4j.core.train.TrainingConfig;
import io.github.bert4j.tokenizer.training.MorphemeMode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PretrainConfigTest {

    @TempDir
    Path dir;

    /** Shaped like the reference project's config (its spellings: hid_dim, n_layers, n_epochs...). */
    static final String REFERENCE = """
            experiment: petitions
            output: runs/seed
            data:
              corpus: [../data/petitions/*.jsonl]
              format: jsonl:content
              extra_mlm: [../data/klue-raw-sentences/klue-ner-v1.1_train_sentences.tsv]
              valid_fraction: 0.1
              max_len: 128
              mask_ratio: 0.15
            tokenizer:
              vocab_size: 12000
              min_frequency: 2
              morphemes: nori
            model:
              hid_dim: 256
              n_layers: 2
              n_heads: 8
              pf_dim: 512
              dropout: 0.1
            train:
              n_epochs: 20
              batch_size: 64
              lr: 5.0e-4
              warmup_steps: 100
            """;

    @Test
    void loadsAReferenceShapedYamlAndResolvesPathsAgainstTheFile() throws Exception {
        Path cfgDir = Files.createDirectories(dir.resolve("configs"));
        Path file = cfgDir.resolve("pretrain.yaml");
        Files.writeString(file, REFERENCE);
        PretrainConfig c = PretrainConfig.load(file);
        assertThat(c.preset()).isEqualTo("seed");
        assertThat(c.model().hiddenSize()).isEqualTo(256);
        assertThat(c.model().numHiddenLayers()).isEqualTo(2);
        assertThat(c.model().numAttentionHeads()).isEqualTo(8);
        assertThat(c.model().intermediateSize()).isEqualTo(512);
        assertThat(c.model().hiddenDropoutProb()).isEqualTo(0.1);
        assertThat(c.model().maxPositionEmbeddings()).isEqualTo(128); // from the seed preset
        assertThat(c.train().epochs()).isEqualTo(20);
        assertThat(c.train().batchSize()).isEqualTo(64);
        assertThat(c.train().lr()).isEqualTo(5e-4);
        assertThat(c.train().warmupSteps()).isEqualTo(100);
        assertThat(c.data().maxLen()).isEqualTo(128);
        assertThat(c.data().maxPredictionsPerSeq()).isEqualTo(20);
        assertThat(c.data().nspProb()).isEqualTo(0.5);
        assertThat(c.data().corpus()).containsExactly(dir.resolve("data/petitions/*.jsonl").toString());
        assertThat(c.output()).isEqualTo(cfgDir.resolve("runs/seed").toString());
        assertThat(c.tokenizer().morphemes()).isEqualTo(MorphemeMode.NORI);
    }

    @Test
    void presetsFillWhatTheFileLeavesOut() {
        PretrainConfig c = PretrainConfig.parse("""
                preset: tiny
                data: {corpus: [a.jsonl]}
                model: {n_layers: 3}
                train: {learning_rate: 0.002}
                """, ConfigLoader.Format.YAML, "t.yaml");
        PretrainConfig tiny = PretrainConfig.tiny();
        assertThat(c.model().numHiddenLayers()).isEqualTo(3);
        assertThat(c.model().hiddenSize()).isEqualTo(tiny.model().hiddenSize());
        assertThat(c.model().maxPositionEmbeddings()).isEqualTo(64);
        assertThat(c.data().maxLen()).isEqualTo(64);
        assertThat(c.train().lr()).isEqualTo(0.002);
        assertThat(c.train().batchSize()).isEqualTo(tiny.train().batchSize());
        assertThat(c.tokenizer().vocabSize()).isEqualTo(2000);

        PretrainConfig seed = PretrainConfig.seed();
        assertThat(seed.model().hiddenSize()).isEqualTo(256);
        assertThat(seed.model().numHiddenLayers()).isEqualTo(2);
        assertThat(seed.model().numAttentionHeads()).isEqualTo(8);
        assertThat(seed.model().intermediateSize()).isEqualTo(512);
        assertThat(seed.data().maxLen()).isEqualTo(128);
        assertThat(seed.train().batchSize()).isEqualTo(64);
        assertThat(seed.train().lr()).isEqualTo(5e-4);
        assertThat(seed.train().warmupSteps()).isEqualTo(100);
        assertThat(seed.train().scheduler()).isEqualTo(TrainingConfig.Scheduler.LINEAR);
    }

    @Test
    void errorsNameTheKeyPathTheProblemAndTheFile() {
        assertThatThrownBy(() -> PretrainConfig.parse("train: {lr: -1.0}\n", ConfigLoader.Format.YAML, "pretrain.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("train.lr").hasMessageContaining("> 0").hasMessageContaining("-1.0")
                .hasMessageContaining("pretrain.yaml");
        assertThatThrownBy(() -> PretrainConfig.parse("data:\n  max_len: 128\n  mask_ration: 0.2\n",
                ConfigLoader.Format.YAML, "pretrain.yaml"))
                .hasMessageContaining("data.mask_ration").hasMessageContaining("pretrain.yaml").hasMessageContaining("line 3");
        assertThatThrownBy(() -> PretrainConfig.parse("data: {mask_ratio: 1.5}\n", ConfigLoader.Format.YAML, "p.yaml"))
                .hasMessageContaining("data.mask_ratio").hasMessageContaining("1.5");
        assertThatThrownBy(() -> PretrainConfig.parse("data: {max_len: 256}\n", ConfigLoader.Format.YAML, "p.yaml"))
                .hasMessageContaining("max_position_embeddings (128)");
        assertThatThrownBy(() -> PretrainConfig.parse("model: {hid_dim: 100}\n", ConfigLoader.Format.YAML, "p.yaml"))
                .hasMessageContaining("model.hidden_size").hasMessageContaining("num_attention_heads");
        assertThatThrownBy(() -> PretrainConfig.parse("preset: huge\n", ConfigLoader.Format.YAML, "p.yaml"))
                .hasMessageContaining("preset").hasMessageContaining("huge");
        assertThatThrownBy(() -> PretrainConfig.parse("tokenizer: {morphemes: kiwi}\n", ConfigLoader.Format.YAML, "p.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("tokenizer.morphemes must be one of [none, nori], got \"kiwi\"")
                .hasMessageContaining("p.yaml");
        assertThatThrownBy(() -> PretrainConfig.parse("train: {batch_size: many}\n", ConfigLoader.Format.YAML, "p.yaml"))
                .hasMessageContaining("train.batch_size").hasMessageContaining("many");
    }

    @Test
    void morphemesReadCaseInsensitivelyDefaultToNoriAndAreWrittenInLowerCase() {
        assertThat(PretrainConfig.parse("tokenizer: {morphemes: NONE}\n", ConfigLoader.Format.YAML, "p.yaml")
                .tokenizer().morphemes()).isEqualTo(MorphemeMode.NONE);
        assertThat(PretrainConfig.parse("tokenizer: {morphemes: Nori}\n", ConfigLoader.Format.YAML, "p.yaml")
                .tokenizer().morphemes()).isEqualTo(MorphemeMode.NORI);
        PretrainConfig defaulted = PretrainConfig.parse("tokenizer: {vocab_size: 500}\n", ConfigLoader.Format.YAML, "p.yaml");
        assertThat(defaulted.tokenizer().morphemes()).isEqualTo(MorphemeMode.NORI);
        PretrainConfig none = PretrainConfig.parse("tokenizer: {morphemes: none}\n", ConfigLoader.Format.YAML, "p.yaml");
        assertThat(none.toYaml()).contains("morphemes: none").doesNotContain("NONE");
        assertThat(PretrainConfig.parse(none.toYaml(), ConfigLoader.Format.YAML, "round.yaml")).isEqualTo(none);
    }

    @Test
    void aliasOverridesThePresetsCanonicalKey() {
        // the seed preset has hidden_size 256; a user's hid_dim 128 must win, not collide with it
        PretrainConfig c = PretrainConfig.parse("model: {hid_dim: 128, n_heads: 4}\ndata: {max_seq_length: 64}\n",
                ConfigLoader.Format.YAML, "p.yaml");
        assertThat(c.model().hiddenSize()).isEqualTo(128);
        assertThat(c.model().numAttentionHeads()).isEqualTo(4);
        assertThat(c.data().maxLen()).isEqualTo(64);
    }

    @Test
    void roundTripsThroughYaml() {
        PretrainConfig c = PretrainConfig.seed().withData(DataConfig.defaults().withCorpus(java.util.List.of("/x.jsonl"), "jsonl:content"));
        PretrainConfig back = PretrainConfig.parse(c.toYaml(), ConfigLoader.Format.YAML, "round.yaml");
        assertThat(back).isEqualTo(c);
        assertThat(c.flatParams()).containsEntry("train.lr", "5.0E-4").containsEntry("model.hidden_size", "256");
    }
}
