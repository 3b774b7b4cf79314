package io.github.bert4j.ner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.bert4j.bert.BertConfig;
import io.github.bert4j.bert.BertEncoder;
import io.github.bert4j.bert.Engine;
import io.github.bert4j.core.train.StepOutput;
import io.github.bert4j.ner.crf.LinearChainCrf;
import io.github.bert4j.ner.data.TagSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class BertCrfTaggerTest {

    /** Two windows (lengths 6 and 4) over a 5-label set, padded to 8. */
    static NerBatch batch(TagSet tags) {
        int o = tags.outside();
        int b = tags.index("B-PS");
        int i = tags.index("I-PS");
        int lc = tags.index("B-LC");
        return NerBatches.batch(List.of(
                new NerExample(new int[] {2, 17, 23, 5, 40, 3}, new int[] {o, b, i, o, lc, o}),
                new NerExample(new int[] {2, 9, 9, 3}, new int[] {o, lc, o, o})), 8, 0, o);
    }

    @ParameterizedTest(name = "{0} engine, CRF {1}")
    @org.junit.jupiter.params.provider.CsvSource({"EAGER, FORWARD_BACKWARD", "GRAPH, GRAPH", "GRAPH, FORWARD_BACKWARD"})
    void headAndEncoderGradientsMatchFiniteDifferencesInDouble(Engine engine, BertCrfTagger.CrfTraining mode) {
        TagSet tags = TagSet.ofTypes(List.of("PS", "LC"));
        BertEncoder encoder = BertEncoder.create(BertConfig.tiny(50).withDropout(0.0), 3, DataType.DOUBLE);
        try (BertCrfTagger tagger = BertCrfTagger.create(encoder, tags, true, 0.0, 7).withEngine(engine).withCrfTraining(mode)) {
            assertThat(tagger.engine()).isEqualTo(engine);
            // make the head matter: larger classifier weights and CRF scores than the initialisation
            tagger.headParameters().values().forEach(a -> a.muli(5));
            NerBatch batch = batch(tags);
            StepOutput out = tagger.trainStep(batch);
            assertThat(out.loss()).isCloseTo(tagger.loss(batch), within(1e-9));
            assertThat(out.examples()).isEqualTo(2);
            assertThat(out.tokens()).isEqualTo(10);
            NerBatch single = NerBatches.batch(List.of(new NerExample(new int[] {2, 9, 3}, new int[] {4, 2, 4})), 8, 0, 4);
            assertThat(tagger.trainStep(single).loss()).isCloseTo(tagger.loss(single), within(1e-9));
            Map<String, INDArray> params = tagger.parameters();
            String[][] probes = {
                {BertCrfTagger.CLASSIFIER_WEIGHT, "0"}, {BertCrfTagger.CLASSIFIER_WEIGHT, "37"},
                {BertCrfTagger.CLASSIFIER_WEIGHT, "150"}, {BertCrfTagger.CLASSIFIER_BIAS, "1"},
                {BertCrfTagger.CLASSIFIER_BIAS, "4"}, {LinearChainCrf.TRANSITIONS, "1"},
                {LinearChainCrf.TRANSITIONS, "22"}, {LinearChainCrf.START, "0"}, {LinearChainCrf.END, "4"},
                {"bert.embeddings.word_embeddings.weight", String.valueOf(17 * 32 + 5)},
                {"bert.encoder.layer.1.output.dense.bias", "3"},
            };
            double eps = 1e-6;
            for (String[] probe : probes) {
                INDArray p = params.get(probe[0]);
                INDArray g = out.gradients().get(probe[0]);
                assertThat(g).as(probe[0]).isNotNull();
                long idx = Long.parseLong(probe[1]);
                double orig = p.getDouble(idx);
                p.putScalar(idx, orig + eps);
                double plus = tagger.loss(batch);
                p.putScalar(idx, orig - eps);
                double minus = tagger.loss(batch);
                p.putScalar(idx, orig);
                double numeric = (plus - minus) / (2 * eps);
                assertThat(g.getDouble(idx)).as("%s[%d]", probe[0], idx)
                        .isCloseTo(numeric, within(1e-6 + 1e-5 * Math.abs(numeric)));
            }
        }
    }

    @Test
    void everyEngineAndCrfModeGivesTheSameLossAndGradientsWithDropout() {
        TagSet tags = TagSet.ofTypes(List.of("PS", "LC"));
        BertEncoder encoder = BertEncoder.create(BertConfig.tiny(50), 3, DataType.DOUBLE);
        BertCrfTagger graph = BertCrfTagger.create(encoder, tags, true, 0.2, 7).withEngine(Engine.GRAPH)
                .withCrfTraining(BertCrfTagger.CrfTraining.GRAPH);
        NerBatch batch = batch(tags);
        org.nd4j.linalg.factory.Nd4j.getRandom().setSeed(11);
        StepOutput a = graph.trainStep(batch);
        assertSameStep(graph, a, graph.withCrfTraining(BertCrfTagger.CrfTraining.FORWARD_BACKWARD), batch);
        assertSameStep(graph, a, graph.withEngine(Engine.EAGER), batch);
        // inference: eager emissions equal the graph's
        INDArray ge = graph.emissions(batch.inputIds(), batch.attentionMask());
        INDArray ee = graph.withEngine(Engine.EAGER).emissions(batch.inputIds(), batch.attentionMask());
        assertThat(ge.sub(ee).amaxNumber().doubleValue()).isLessThan(1e-9);
    }

    private static void assertSameStep(BertCrfTagger graph, StepOutput a, BertCrfTagger candidate, NerBatch batch) {
        org.nd4j.linalg.factory.Nd4j.getRandom().setSeed(11);
        StepOutput b = candidate.trainStep(batch);
        assertThat(b.loss()).isCloseTo(a.loss(), within(1e-9));
        assertThat(b.gradients().keySet()).containsAll(graph.parameters().keySet().stream()
                .filter(a.gradients()::containsKey).toList());
        for (var e : a.gradients().entrySet()) {
            INDArray other = b.gradients().get(e.getKey());
            assertThat(other).as(e.getKey()).isNotNull();
            double diff = e.getValue().sub(other).amaxNumber().doubleValue();
            assertThat(diff).as(e.getKey()).isLessThan(1e-9 + 1e-7 * e.getValue().amaxNumber().doubleValue());
        }
    }

    @Test
    void decodingRespectsBioConstraintsAndMasks() {
        TagSet tags = TagSet.ofTypes(List.of("PS", "LC"));
        BertEncoder encoder = BertEncoder.create(BertConfig.tiny(50), 3);
        try (BertCrfTagger tagger = BertCrfTagger.create(encoder, tags, true, 0.1, 7)) {
            // push every position towards I-PS: a constrained decoder may still never start with it
            tagger.headParameters().get(BertCrfTagger.CLASSIFIER_BIAS).putScalar(tags.index("I-PS"), 50.0);
            NerBatch batch = batch(tags);
            var best = tagger.decode(batch.inputIds(), batch.attentionMask());
            assertThat(best[0].path()).hasSize(6);
            assertThat(best[1].path()).hasSize(4);
            for (var v : best) {
                assertThat(tagger.crf().constraints().allows(v.path(), v.path().length)).isTrue();
                assertThat(v.path()[0]).isNotEqualTo(tags.index("I-PS"));
            }
        }
    }
}
