package io.github.bert4j.bert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class FineTuningRatesTest {

    @Test
    void headLayersAndEmbeddingsGetTheirFactors() {
        FineTuningRates r = new FineTuningRates(10, 0.5, 4);
        assertThat(r.scale("classifier.weight")).isEqualTo(10);
        assertThat(r.scale("crf.transitions")).isEqualTo(10);
        assertThat(r.scale("bert.encoder.layer.3.output.dense.weight")).isEqualTo(1.0);
        assertThat(r.scale("bert.encoder.layer.2.attention.self.query.bias")).isEqualTo(0.5);
        assertThat(r.scale("bert.encoder.layer.0.intermediate.dense.weight")).isCloseTo(0.125, within(1e-15));
        assertThat(r.scale("bert.embeddings.word_embeddings.weight")).isCloseTo(0.0625, within(1e-15));
        assertThat(r.scale("bert.embeddings.LayerNorm.weight")).isCloseTo(0.0625, within(1e-15));
        assertThat(r.scale("bert.pooler.dense.weight")).isEqualTo(1.0);
    }

    @Test
    void noneLeavesEveryRateAndBadValuesAreRefused() {
        for (String n : new String[] {"classifier.bias", "bert.encoder.layer.11.output.dense.bias", "bert.embeddings.x"}) {
            assertThat(FineTuningRates.NONE.scale(n)).isEqualTo(1.0);
        }
        assertThat(new FineTuningRates(1, 1, 2).scale("bert.encoder.layer.7.x")).isEqualTo(1.0);
        assertThatThrownBy(() -> new FineTuningRates(1, 0.9, 2).scale("bert.encoder.layer.7.x"))
                .hasMessageContaining("layer 7 outside the encoder's 2 layers");
        assertThatThrownBy(() -> new FineTuningRates(0, 1, 2)).hasMessageContaining("> 0");
        assertThatThrownBy(() -> new FineTuningRates(1, 1.5, 2)).hasMessageContaining("(0, 1]");
    }
}
