package io.github.bert4j.bert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.bert4j.core.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BertConfigTest {
    /** klue/bert-base's config.json plus fields that other real HF checkpoints carry. */
    static final String HF_CONFIG = """
            {
              "architectures": ["BertForMaskedLM"],
              "attention_probs_dropout_prob": 0.1,
              "classifier_dropout": null,
              "gradient_checkpointing": false,
              "hidden_act": "gelu",
              "hidden_dropout_prob": 0.1,
              "hidden_size": 768,
              "initializer_range": 0.02,
              "intermediate_size": 3072,
              "layer_norm_eps": 1e-12,
              "max_position_embeddings": 512,
              "model_type": "bert",
              "num_attention_heads": 12,
              "num_hidden_layers": 12,
              "pad_token_id": 0,
              "position_embedding_type": "absolute",
              "torch_dtype": "float32",
              "transformers_version": "4.40.0",
              "type_vocab_size": 2,
              "use_cache": true,
              "vocab_size": 32000
            }""";

    @Test
    void readsHuggingFaceConfigAndKeepsItsExtras() {
        BertConfig c = BertConfig.parse(HF_CONFIG);
        BertConfig base = BertConfig.base(32000);
        assertThat(new BertConfig(c.vocabSize(), c.hiddenSize(), c.numHiddenLayers(), c.numAttentionHeads(),
                c.intermediateSize(), c.hiddenAct(), c.hiddenDropoutProb(), c.attentionProbsDropoutProb(),
                c.maxPositionEmbeddings(), c.typeVocabSize(), c.initializerRange(), c.layerNormEps(), c.padTokenId(),
                c.modelType(), base.architectures(), null)).isEqualTo(base);
        assertThat(c.architectures()).containsExactly("BertForMaskedLM");
        assertThat(c.vocabSize()).isEqualTo(32000);
        assertThat(c.numHiddenLayers()).isEqualTo(12);
        assertThat(c.extra()).containsEntry("transformers_version", "4.40.0").containsEntry("use_cache", true)
                .containsKey("classifier_dropout");
        BertConfig again = BertConfig.parse(c.toJson());
        assertThat(again).isEqualTo(c);
        assertThat(c.toJson()).contains("\"hidden_size\" : 768").contains("\"torch_dtype\" : \"float32\"")
                .contains("\"model_type\" : \"bert\"");
    }

    @Test
    void acceptsTheReferenceProjectsAliases() {
        BertConfig c = BertConfig.parse("""
                {"vocab_size": 100, "hid_dim": 256, "n_layers": 2, "n_heads": 8, "pf_dim": 512,
                 "dropout": 0.2, "max_len": 128}""");
        assertThat(c).isEqualTo(BertConfig.seed(100).withDropout(0.2));
        assertThat(c.attentionProbsDropoutProb()).isEqualTo(0.2);
    }

    @Test
    void rejectsUnknownKeysAndBadValuesNamingTheField() {
        assertThatThrownBy(() -> BertConfig.parse("{\"vocab_size\": 10, \"hiden_size\": 32}"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("hiden_size");
        assertThatThrownBy(() -> BertConfig.parse("{\"vocab_size\": 10, \"hidden_size\": 30, \"num_attention_heads\": 4}"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("hidden_size")
                .hasMessageContaining("num_attention_heads");
        assertThatThrownBy(() -> BertConfig.parse("{\"position_embedding_type\": \"relative_key\"}"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("position_embedding_type");
        assertThatThrownBy(() -> BertConfig.parse("{\"hidden_act\": \"swish\"}"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("hidden_act");
        assertThatThrownBy(() -> BertConfig.tiny(10).withDropout(1.0))
                .isInstanceOf(ConfigException.class).hasMessageContaining("hidden_dropout_prob");
    }

    @Test
    void presets() {
        assertThat(BertConfig.seed(12000)).extracting(BertConfig::hiddenSize, BertConfig::numHiddenLayers,
                BertConfig::numAttentionHeads, BertConfig::intermediateSize, BertConfig::maxPositionEmbeddings)
                .containsExactly(256, 2, 8, 512, 128);
        assertThat(BertConfig.base(32000)).extracting(BertConfig::hiddenSize, BertConfig::numHiddenLayers,
                BertConfig::numAttentionHeads, BertConfig::intermediateSize, BertConfig::maxPositionEmbeddings)
                .containsExactly(768, 12, 12, 3072, 512);
        BertConfig t = BertConfig.tiny(99);
        assertThat(t.headSize()).isEqualTo(8);
        assertThat(t.hiddenAct()).isEqualTo("gelu");
        assertThat(t.layerNormEps()).isEqualTo(1e-12);
    }

    @Test
    void savesAndLoadsConfigJson(@TempDir Path dir) throws Exception {
        BertConfig c = BertConfig.tiny(99);
        c.save(dir);
        assertThat(Files.readString(dir.resolve("config.json"))).contains("\"vocab_size\" : 99");
        assertThat(BertConfig.load(dir)).isEqualTo(c);
        assertThat(BertConfig.load(dir.resolve("config.json"))).isEqualTo(c);
    }
}
