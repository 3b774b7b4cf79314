package io.github.bert4j.bert;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every parameter name and shape against HuggingFace's {@code BertForPreTraining(config).state_dict()}. */
class ParameterNamesTest {

    /** HF's state_dict keys and shapes, transcribed for a config (V, H, L, I, P, S), tied decoder dropped. */
    static Map<String, List<Long>> huggingFace(long v, long h, int layers, long i, long p, long s) {
        Map<String, List<Long>> m = new LinkedHashMap<>();
        m.put("bert.embeddings.word_embeddings.weight", List.of(v, h));
        m.put("bert.embeddings.position_embeddings.weight", List.of(p, h));
        m.put("bert.embeddings.token_type_embeddings.weight", List.of(s, h));
        m.put("bert.embeddings.LayerNorm.weight", List.of(h));
        m.put("bert.embeddings.LayerNorm.bias", List.of(h));
        for (int l = 0; l < layers; l++) {
            String x = "bert.encoder.layer." + l + ".";
            m.put(x + "attention.self.query.weight", List.of(h, h));
            m.put(x + "attention.self.query.bias", List.of(h));
            m.put(x + "attention.self.key.weight", List.of(h, h));
            m.put(x + "attention.self.key.bias", List.of(h));
            m.put(x + "attention.self.value.weight", List.of(h, h));
            m.put(x + "attention.self.value.bias", List.of(h));
            m.put(x + "attention.output.dense.weight", List.of(h, h));
            m.put(x + "attention.output.dense.bias", List.of(h));
            m.put(x + "attention.output.LayerNorm.weight", List.of(h));
            m.put(x + "attention.output.LayerNorm.bias", List.of(h));
            m.put(x + "intermediate.dense.weight", List.of(i, h));
            m.put(x + "intermediate.dense.bias", List.of(i));
            m.put(x + "output.dense.weight", List.of(h, i));
            m.put(x + "output.dense.bias", List.of(h));
            m.put(x + "output.LayerNorm.weight", List.of(h));
            m.put(x + "output.LayerNorm.bias", List.of(h));
        }
        m.put("bert.pooler.dense.weight", List.of(h, h));
        m.put("bert.pooler.dense.bias", List.of(h));
        m.put("cls.predictions.bias", List.of(v));
        m.put("cls.predictions.transform.dense.weight", List.of(h, h));
        m.put("cls.predictions.transform.dense.bias", List.of(h));
        m.put("cls.predictions.transform.LayerNorm.weight", List.of(h));
        m.put("cls.predictions.transform.LayerNorm.bias", List.of(h));
        m.put("cls.seq_relationship.weight", List.of(2L, h));
        m.put("cls.seq_relationship.bias", List.of(2L));
        return m;
    }

    static Map<String, List<Long>> asLists(Map<String, long[]> shapes) {
        Map<String, List<Long>> m = new LinkedHashMap<>();
        shapes.forEach((k, v) -> {
            List<Long> l = new ArrayList<>();
            for (long d : v) {
                l.add(d);
            }
            m.put(k, l);
        });
        return m;
    }

    @Test
    void namesShapesAndOrderMatchHuggingFace() {
        BertConfig c = BertConfig.tiny(99);
        Map<String, List<Long>> expected = huggingFace(99, 32, 2, 37, 64, 2);
        assertThat(asLists(BertPreTrainingModel.parameterShapes(c))).containsExactlyEntriesOf(expected);
        try (BertPreTrainingModel m = BertPreTrainingModel.create(c, 1)) {
            Map<String, List<Long>> live = new LinkedHashMap<>();
            m.parameters().forEach((k, a) -> live.put(k, asLists(Map.of(k, a.shape())).get(k)));
            assertThat(live).containsExactlyEntriesOf(expected);
        }
        // BERT-base: 110M encoder parameters as published (109,482,240 for vocab 30522)
        long n = BertEncoder.parameterShapes(BertConfig.base(30522)).values().stream()
                .mapToLong(s -> s.length == 1 ? s[0] : s[0] * s[1]).sum();
        assertThat(n).isEqualTo(109_482_240L);
    }

    @Test
    void initialisationFollowsHuggingFace() {
        try (BertPreTrainingModel m = BertPreTrainingModel.create(BertConfig.tiny(99), 7)) {
            Map<String, org.nd4j.linalg.api.ndarray.INDArray> p = m.parameters();
            assertThat(p.get("bert.embeddings.LayerNorm.weight").minNumber().doubleValue()).isEqualTo(1.0);
            assertThat(p.get("bert.encoder.layer.0.output.LayerNorm.bias").maxNumber().doubleValue()).isZero();
            assertThat(p.get("cls.predictions.bias").norm1Number().doubleValue()).isZero();
            assertThat(p.get("bert.embeddings.word_embeddings.weight").getRow(0).norm1Number().doubleValue()).isZero();
            double std = p.get("bert.encoder.layer.1.intermediate.dense.weight").stdNumber().doubleValue();
            assertThat(std).isBetween(0.017, 0.023);
            // same seed, same weights
            try (BertPreTrainingModel again = BertPreTrainingModel.create(BertConfig.tiny(99), 7)) {
                assertThat(again.parameters().get("bert.pooler.dense.weight")).isEqualTo(p.get("bert.pooler.dense.weight"));
            }
        }
    }
}
