package io.github.bert4j.ner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.bert4j.bert.BertConfig;
import io.github.bert4j.bert.BertEncoder;
import io.github.bert4j.bert.Engine;
import io.github.bert4j.core.train.StepOutput;
import io.github.bert4j.ner.crf.LinearChainCrf;
import io.github.bert4j.ner.data.TagSet;
import io.github.bert4j.bert.graph.EncoderGraph;
import io.github.bert4j.ner.crf.Reduction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.factory.Nd4j;
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

    @ParameterizedTest(name = "{0} engine")
    @EnumSource(Engine.class)
    void headAndEncoderGradientsMatchFiniteDifferencesInDouble(Engine engine) {
        TagSet tags = TagSet.ofTypes(List.of("PS", "LC"));
        BertEncoder encoder = BertEncoder.create(BertConfig.tiny(50).withDropout(0.0), 3, DataType.DOUBLE);
        try (BertCrfTagger tagger = BertCrfTagger.create(encoder, tags, true, 0.0, 7).engine(engine)) {
            assertThat(tagger.engine()).isEqualTo(engine);
            // make the head matter: larger classifier weights and CRF scores than the initialisation
            tagger.headParameters().values().forEach(a -> a.muli(5));
            NerBatch batch = batch(tags);
            StepOutput out = tagger.trainStep(batch);
            assertThat(out.loss()).isCloseTo(tagger.loss(batch), within(1e-9));
            assertThat(out.examples()).isEqualTo(2);
            assertThat(out.tokens()).isEqualTo(10);
            assertThat(out.gradients().keySet()).containsExactlyInAnyOrderElementsOf(tagger.parameters().keySet().stream()
                    .filter(n -> !n.startsWith("bert.pooler.")).toList());
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
    void bothEnginesGiveTheSameLossGradientsAndEmissionsWithDropout() {
        TagSet tags = TagSet.ofTypes(List.of("PS", "LC"));
        BertEncoder encoder = BertEncoder.create(BertConfig.tiny(50), 3, DataType.DOUBLE);
        BertCrfTagger tagger = BertCrfTagger.create(encoder, tags, true, 0.2, 7);
        NerBatch batch = batch(tags);
        Nd4j.getRandom().setSeed(11);
        StepOutput a = tagger.engine(Engine.GRAPH).trainStep(batch);
        Nd4j.getRandom().setSeed(11);
        StepOutput b = tagger.engine(Engine.EAGER).trainStep(batch);
        assertSameStep(a, b);
        INDArray ee = tagger.emissions(batch.inputIds(), batch.attentionMask()).dup();
        INDArray ge = tagger.engine(Engine.GRAPH).emissions(batch.inputIds(), batch.attentionMask());
        assertThat(ge.sub(ee).amaxNumber().doubleValue()).isLessThan(1e-9);
    }

    /**
     * The tagger's step (forward-backward outside any graph) equals the CRF written in SameDiff
     * ({@link LinearChainCrf#negativeLogLikelihood} on the encoder's graph, gradients by SameDiff's
     * autodiff): loss and every gradient, in double precision.
     */
    @Test
    void stepEqualsTheCrfInsideASameDiffGraph() {
        TagSet tags = TagSet.ofTypes(List.of("PS", "LC"));
        BertEncoder encoder = BertEncoder.create(BertConfig.tiny(50).withDropout(0.0), 3, DataType.DOUBLE);
        BertCrfTagger tagger = BertCrfTagger.create(encoder, tags, true, 0.0, 7);
        tagger.headParameters().values().forEach(x -> x.muli(3));
        NerBatch batch = batch(tags);
        StepOutput step = tagger.trainStep(batch);

        int t = batch.length();
        SameDiff sd = SameDiff.create();
        EncoderGraph bert = encoder.build(sd, BertEncoder.Mode.TRAIN);
        Map<String, INDArray> head = tagger.headParameters();
        SDVariable w = sd.var(BertCrfTagger.CLASSIFIER_WEIGHT, head.get(BertCrfTagger.CLASSIFIER_WEIGHT));
        SDVariable bias = sd.var(BertCrfTagger.CLASSIFIER_BIAS, head.get(BertCrfTagger.CLASSIFIER_BIAS));
        SDVariable logits = sd.mmul(bert.hiddenStates(), w, false, true, false).add(bias);
        SDVariable em = sd.reshape(logits, -1, t, tags.size());
        SDVariable gold = sd.placeHolder("tags", DataType.INT32, -1, t);
        tagger.crf().declareVariables(sd, head);
        tagger.crf().negativeLogLikelihood("loss", sd, em, gold, sd.getVariable(EncoderGraph.ATTENTION_MASK), t,
                Reduction.MEAN);
        sd.setLossVariables("loss");
        Map<String, INDArray> ph = new HashMap<>();
        EncoderGraph.Feed feed = bert.feed(ph, batch.inputIds(), null, batch.attentionMask());
        ph.put("tags", batch.tags().castTo(DataType.INT32));
        List<String> wrt = new ArrayList<>(bert.gradientNames());
        wrt.addAll(head.keySet());
        OutAndGrad og = sd.calculateGradientsAndOutputs(ph, List.of("loss"), wrt);
        Map<String, INDArray> grads = new LinkedHashMap<>(bert.parameterGradients(feed, og.getGradients()));
        head.keySet().forEach(n -> grads.put(n, og.getGradients().get(n)));
        double loss = og.getOutputs().get("loss").getDouble(0);
        assertSameStep(new StepOutput(loss, grads, step.metrics(), step.tokens(), step.examples()), step);
    }

    private static void assertSameStep(StepOutput a, StepOutput b) {
        assertThat(b.loss()).isCloseTo(a.loss(), within(1e-9));
        for (var e : a.gradients().entrySet()) {
            INDArray other = b.gradients().get(e.getKey());
            if (e.getKey().startsWith("bert.pooler.") && other == null) {
                assertThat(e.getValue().amaxNumber().doubleValue()).as(e.getKey()).isEqualTo(0.0);
                continue;
            }
            assertThat(other).as(e.getKey()).isNotNull();
            double diff = e.getValue().sub(other).amaxNumber().doubleValue();
            assertThat(diff).as(e.getKey()).isLessThan(1e-9 + 1e-7 * e.getValue().amaxNumber().doubleValue());
        }
        assertThat(a.gradients().keySet()).containsAll(b.gradients().keySet());
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
