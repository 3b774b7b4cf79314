package io.github.bert4j.bert;

import io.github.bert4j.bert.pretraining.data.PretrainingBatch;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.bert4j.core.io.SafeTensors;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

class SaveLoadTest {

    /** Before: "config file not found: /x/run" (the directory itself) or an IOException naming only the folder. */
    @Test
    void loadingAMissingModelNamesItsConfigJson(@TempDir Path dir) {
        Path missing = dir.resolve("no-such-run");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> BertEncoder.load(missing))
                .isInstanceOf(java.nio.file.NoSuchFileException.class)
                .hasMessageContaining(missing.resolve("config.json").toString())
                .hasMessageContaining("no such model directory");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> BertEncoder.load(dir))
                .hasMessageContaining(dir.resolve("config.json").toString())
                .hasMessageContaining("has no config.json");
    }

    @Test
    void saveThenLoadGivesIdenticalOutputs(@TempDir Path dir) throws Exception {
        BertConfig c = BertConfig.tiny(99);
        PretrainingBatch batch = TestBatches.random(3, 12, 3, 99, 2);
        try (BertPreTrainingModel m = BertPreTrainingModel.create(c, 5)) {
            m.trainStep(batch); // builds the training graph; parameters unchanged
            m.save(dir);
            BertPreTrainingModel.Outputs before = m.forward(batch);
            Map<String, INDArray> file = SafeTensors.read(dir.resolve("model.safetensors"));
            assertThat(file.keySet()).containsExactlyInAnyOrderElementsOf(m.parameters().keySet());
            assertThat(BertConfig.load(dir)).isEqualTo(c);
            try (BertPreTrainingModel loaded = BertPreTrainingModel.load(dir)) {
                BertPreTrainingModel.Outputs after = loaded.forward(batch);
                assertThat(after.sequenceOutput()).isEqualTo(before.sequenceOutput());
                assertThat(after.mlmLogits()).isEqualTo(before.mlmLogits());
                assertThat(after.nspLogits()).isEqualTo(before.nspLogits());
            }
            try (BertEncoder enc = BertEncoder.load(dir)) {
                BertEncoder.Outputs o = enc.encode(batch.inputIds(), batch.tokenTypeIds(), batch.attentionMask());
                assertThat(o.sequenceOutput()).isEqualTo(before.sequenceOutput());
                assertThat(o.pooledOutput()).isEqualTo(before.pooledOutput());
            }
        }
    }

    @Test
    void loadsHuggingFaceStyleCheckpoints(@TempDir Path dir) throws Exception {
        BertConfig c = BertConfig.tiny(99);
        PretrainingBatch batch = TestBatches.random(2, 10, 2, 99, 3);
        try (BertPreTrainingModel m = BertPreTrainingModel.create(c, 6)) {
            BertPreTrainingModel.Outputs ref = m.forward(batch);
            // a BertForPreTraining checkpoint that stores the tied decoder and a position_ids buffer
            Map<String, INDArray> hf = new LinkedHashMap<>(m.parameters());
            hf.put("cls.predictions.decoder.weight", m.parameters().get(HfNames.WORD_EMBEDDINGS));
            hf.put("cls.predictions.decoder.bias", m.parameters().get("cls.predictions.bias"));
            hf.put("bert.embeddings.position_ids", org.nd4j.linalg.factory.Nd4j.arange(64).reshape(1, 64)
                    .castTo(org.nd4j.linalg.api.buffer.DataType.LONG));
            c.save(dir);
            SafeTensors.write(dir.resolve("model.safetensors"), hf, Map.of("format", "pt"));
            try (BertPreTrainingModel loaded = BertPreTrainingModel.load(dir)) {
                assertThat(loaded.forward(batch).mlmLogits()).isEqualTo(ref.mlmLogits());
            }
            // a BertModel checkpoint: no "bert." prefix, no heads
            Map<String, INDArray> bare = new LinkedHashMap<>();
            m.encoder().parameters().forEach((k, v) -> bare.put(k.substring("bert.".length()), v));
            SafeTensors.write(dir.resolve("model.safetensors"), bare, Map.of("format", "pt"));
            try (BertEncoder enc = BertEncoder.load(dir)) {
                assertThat(enc.encode(batch.inputIds(), batch.tokenTypeIds(), batch.attentionMask()).sequenceOutput())
                        .isEqualTo(ref.sequenceOutput());
            }
        }
    }
}
