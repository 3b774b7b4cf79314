package io.github.bert4j.bert;

import io.github.bert4j.bert.pretraining.data.PretrainingBatch;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.bert4j.core.train.Metrics;
import io.github.bert4j.core.train.StepOutput;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The eager engine against the SameDiff graph, in double precision, on the same parameters and
 * the same dropout masks (both draw them from {@code Nd4j.getRandom()} in the same order): loss,
 * every gradient, metrics and inference outputs agree to rounding. The graph itself is checked by
 * finite differences and against PyTorch, so this pins the hand-derived backward pass.
 */
class EagerEngineTest {

    static BertPreTrainingModel model(BertConfig c, boolean mlm, boolean nsp) {
        BertPreTrainingModel m = BertPreTrainingModel.create(c, 11, DataType.DOUBLE, mlm, nsp);
        m.encoder().fusedAttention(false);
        Random r = new Random(3);
        m.parameters().forEach((n, a) -> a.addi(Nd4j.randn(r.nextLong(), a.shape()).castTo(DataType.DOUBLE)
                .muli(n.contains("LayerNorm") ? 0.2 : 0.05)));
        return m;
    }

    static StepOutput step(BertPreTrainingModel m, Engine engine, PretrainingBatch batch) {
        Nd4j.getRandom().setSeed(1234);
        return m.engine(engine).trainStep(batch);
    }

    /** The encoder's outputs computed by the graph engine (the encoder is left on the eager one). */
    static BertEncoder.Outputs graphEncode(BertEncoder enc, INDArray ids, INDArray types, INDArray mask) {
        try {
            return enc.engine(Engine.GRAPH).encode(ids, types, mask);
        } finally {
            enc.engine(Engine.EAGER);
        }
    }

    static double maxAbs(INDArray a) {
        return a.castTo(DataType.DOUBLE).amaxNumber().doubleValue();
    }

    @ParameterizedTest(name = "{0}, dropout {1}, mlm {2}, nsp {3}")
    @CsvSource({
        "gelu, 0.1, true, true",
        "gelu, 0.0, true, true",
        "gelu_new, 0.1, true, true",
        "relu, 0.1, true, true",
        "gelu, 0.1, true, false",
        "gelu, 0.1, false, true"})
    void trainStepMatchesGraph(String act, double dropout, boolean mlm, boolean nsp) {
        BertConfig c = BertConfig.tiny(99).withDropout(dropout).withHiddenAct(act);
        PretrainingBatch batch = TestBatches.random(3, 13, 3, 99, 5);
        try (BertPreTrainingModel m = model(c, mlm, nsp)) {
            StepOutput graph = step(m, Engine.GRAPH, batch);
            StepOutput eager = step(m, Engine.EAGER, batch);
            assertThat(eager.loss()).isCloseTo(graph.loss(), org.assertj.core.data.Offset.offset(1e-9 * Math.abs(graph.loss())));
            assertThat(eager.gradients().keySet()).containsExactlyElementsOf(graph.gradients().keySet());
            for (Map.Entry<String, INDArray> e : graph.gradients().entrySet()) {
                INDArray ours = eager.gradients().get(e.getKey());
                assertThat(ours.shape()).as(e.getKey()).containsExactly(e.getValue().shape());
                double scale = Math.max(maxAbs(e.getValue()), 1e-6);
                assertThat(maxAbs(ours.sub(e.getValue())) / scale).as(e.getKey()).isLessThan(1e-7);
            }
            Map<String, Double> gm = graph.metrics().means();
            assertThat(eager.metrics().means().keySet()).isEqualTo(gm.keySet());
            eager.metrics().means().forEach((k, v) -> assertThat(v).as(k).isCloseTo(gm.get(k), org.assertj.core.data.Offset.offset(1e-9)));
        }
    }

    /**
     * MLM-only sequences (extra text without a next sentence, NSP label -1) take no part in the NSP
     * loss, gradient or accuracy: both engines agree, the NSP loss is the mean over the labelled
     * rows only, finite differences confirm the NSP head's gradient, and a batch of MLM-only
     * sequences has NSP loss 0.
     */
    @Test
    void mlmOnlySequencesTakeNoPartInNextSentencePrediction() {
        BertConfig c = BertConfig.tiny(99).withDropout(0.0);
        PretrainingBatch full = TestBatches.random(4, 13, 3, 99, 5);
        PretrainingBatch mixed = TestBatches.withMlmOnlyRows(full, 1, 2);
        try (BertPreTrainingModel m = model(c, true, true)) {
            StepOutput graph = step(m, Engine.GRAPH, mixed);
            StepOutput eager = step(m, Engine.EAGER, mixed);
            assertThat(eager.loss()).isCloseTo(graph.loss(), org.assertj.core.data.Offset.offset(1e-9 * Math.abs(graph.loss())));
            for (Map.Entry<String, INDArray> e : graph.gradients().entrySet()) {
                double scale = Math.max(maxAbs(e.getValue()), 1e-6);
                assertThat(maxAbs(eager.gradients().get(e.getKey()).sub(e.getValue())) / scale).as(e.getKey()).isLessThan(1e-7);
            }
            // rows are independent: the NSP loss is that of the labelled rows alone
            double nspMixed = m.engine(Engine.EAGER).forward(mixed).nspLoss();
            double nspLabelled = m.forward(TestBatches.rows(full, 0, 3)).nspLoss();
            assertThat(nspMixed).isCloseTo(nspLabelled, org.assertj.core.data.Offset.offset(1e-12));
            assertThat(m.engine(Engine.GRAPH).forward(mixed).nspLoss()).isCloseTo(nspLabelled, org.assertj.core.data.Offset.offset(1e-12));
            Metrics metrics = m.engine(Engine.EAGER).evaluate(mixed);
            assertThat(metrics.count("nsp_acc")).isEqualTo(2.0);
            // finite differences through the NSP head and the pooler
            for (String name : new String[] {"cls.seq_relationship.weight", "bert.pooler.dense.weight"}) {
                INDArray a = m.parameters().get(name);
                for (long i : new long[] {0, a.length() / 2, a.length() - 1}) {
                    double orig = a.getDouble(i);
                    a.putScalar(i, orig + 1e-6);
                    double plus = m.forward(mixed).loss();
                    a.putScalar(i, orig - 1e-6);
                    double minus = m.forward(mixed).loss();
                    a.putScalar(i, orig);
                    double numeric = (plus - minus) / 2e-6;
                    double analytic = eager.gradients().get(name).getDouble(i);
                    assertThat(Math.abs(numeric - analytic) / Math.max(Math.abs(numeric) + Math.abs(analytic), 1e-4))
                            .as("%s[%d] analytic %g numeric %g", name, i, analytic, numeric).isLessThan(1e-5);
                }
            }
            // only MLM-only rows: NSP contributes nothing
            PretrainingBatch none = TestBatches.withMlmOnlyRows(full, 0, 1, 2, 3);
            StepOutput s = step(m, Engine.EAGER, none);
            assertThat(maxAbs(s.gradients().get("cls.seq_relationship.weight"))).isZero();
            assertThat(s.metrics().means()).doesNotContainKey("nsp_acc").containsKey("mlm_acc");
            assertThat(step(m, Engine.GRAPH, none).loss()).isCloseTo(s.loss(), org.assertj.core.data.Offset.offset(1e-9));
        }
    }

    @Test
    void inferenceOutputsAndMetricsMatchGraph() {
        BertConfig c = BertConfig.tiny(99).withDropout(0.1);
        PretrainingBatch batch = TestBatches.random(4, 11, 2, 99, 8);
        try (BertPreTrainingModel m = model(c, true, true)) {
            BertPreTrainingModel.Outputs g = m.engine(Engine.GRAPH).forward(batch);
            Metrics gm = m.evaluate(batch);
            BertPreTrainingModel.Outputs e = m.engine(Engine.EAGER).forward(batch);
            Metrics em = m.evaluate(batch);
            assertThat(maxAbs(e.sequenceOutput().sub(g.sequenceOutput()))).isLessThan(1e-9);
            assertThat(maxAbs(e.pooledOutput().sub(g.pooledOutput()))).isLessThan(1e-9);
            assertThat(maxAbs(e.mlmLogits().sub(g.mlmLogits()))).isLessThan(1e-9);
            assertThat(maxAbs(e.nspLogits().sub(g.nspLogits()))).isLessThan(1e-9);
            assertThat(e.loss()).isCloseTo(g.loss(), org.assertj.core.data.Offset.offset(1e-9));
            em.means().forEach((k, v) -> assertThat(v).as(k).isCloseTo(gm.means().get(k), org.assertj.core.data.Offset.offset(1e-9)));
        }
    }

    @Test
    void encodeMatchesGraphEncode() {
        BertConfig c = BertConfig.tiny(99).withDropout(0.1);
        PretrainingBatch batch = TestBatches.random(4, 12, 2, 99, 9);
        try (BertPreTrainingModel m = model(c, true, true)) {
            BertEncoder enc = m.encoder();
            BertEncoder.Outputs g = graphEncode(enc, batch.inputIds(), batch.tokenTypeIds(), batch.attentionMask());
            BertEncoder.Outputs e = enc.encode(batch.inputIds(), batch.tokenTypeIds(), batch.attentionMask());
            assertThat(e.sequenceOutput().shape()).containsExactly(g.sequenceOutput().shape());
            assertThat(maxAbs(e.sequenceOutput().sub(g.sequenceOutput()))).isLessThan(1e-9);
            assertThat(maxAbs(e.pooledOutput().sub(g.pooledOutput()))).isLessThan(1e-9);
        }
    }

    /** An all-ones mask skips adding the (all-zero) additive mask; a padded batch after it adds it again. */
    @Test
    void unpaddedAndPaddedBatchesInTurnMatchGraphEncode() {
        BertConfig c = BertConfig.tiny(99).withDropout(0.1);
        PretrainingBatch padded = TestBatches.random(4, 12, 2, 99, 9);
        assertThat(padded.attentionMask().minNumber().doubleValue()).isZero();
        INDArray ones = Nd4j.onesLike(padded.attentionMask());
        try (BertPreTrainingModel m = model(c, true, true)) {
            BertEncoder enc = m.encoder();
            for (INDArray mask : new INDArray[] {ones, padded.attentionMask(), ones}) {
                BertEncoder.Outputs g = graphEncode(enc, padded.inputIds(), padded.tokenTypeIds(), mask);
                BertEncoder.Outputs e = enc.encode(padded.inputIds(), padded.tokenTypeIds(), mask);
                assertThat(maxAbs(e.sequenceOutput().sub(g.sequenceOutput()))).isLessThan(1e-9);
                assertThat(maxAbs(e.pooledOutput().sub(g.pooledOutput()))).isLessThan(1e-9);
            }
        }
    }

    @Test
    void buffersAreReusedAcrossShapesWithoutStaleState() {
        BertConfig c = BertConfig.tiny(99).withDropout(0.1);
        try (BertPreTrainingModel m = model(c, true, true)) {
            PretrainingBatch a = TestBatches.random(3, 13, 3, 99, 5);
            PretrainingBatch b = TestBatches.random(2, 9, 2, 99, 6);
            StepOutput first = step(m, Engine.EAGER, a);
            step(m, Engine.EAGER, b);
            step(m, Engine.EAGER, a);
            StepOutput again = step(m, Engine.EAGER, a);
            assertThat(again.loss()).isEqualTo(first.loss());
            first.gradients().forEach((k, v) -> assertThat(maxAbs(again.gradients().get(k).sub(v))).as(k).isZero());
        }
    }
}
