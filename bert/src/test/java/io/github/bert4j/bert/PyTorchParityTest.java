package io.github.bert4j.bert;

import io.github.bert4j.bert.pretraining.data.PretrainingBatch;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.bert4j.core.train.StepOutput;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Parity with an independent PyTorch implementation ({@link TorchBert}, DJL) fed the same weights:
 * float32, dropout off, a padded batch with two segments and repeated ids. Outputs within 1e-4
 * (absolute), loss and every parameter's gradient within 1e-3 (max error relative to the largest
 * gradient element of that parameter, floored at 1e-6 for gradients that are zero in exact arithmetic).
 */
class PyTorchParityTest {
    static BertPreTrainingModel model;
    static TorchBert torch;
    static PretrainingBatch batch;

    @BeforeAll
    static void setUp() {
        BertConfig c = BertConfig.tiny(99).withDropout(0.0);
        model = BertPreTrainingModel.create(c, 21, DataType.FLOAT, true, true);
        Random r = new Random(4);
        model.parameters().forEach((n, a) -> a.addi(Nd4j.randn(r.nextLong(), a.shape()).castTo(DataType.FLOAT)
                .muli(n.contains("LayerNorm") ? 0.2 : 0.05)));
        torch = new TorchBert(c, model.parameters());
        batch = TestBatches.random(4, 16, 4, 99, 9);
    }

    @AfterAll
    static void tearDown() {
        torch.close();
        model.close();
    }

    static double maxAbsDiff(INDArray a, INDArray b) {
        assertThat(a.shape()).isEqualTo(b.shape());
        return Transforms.abs(a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE))).maxNumber().doubleValue();
    }

    @Test
    void outputsMatch() {
        BertPreTrainingModel.Outputs ours = model.forward(batch);
        TorchBert.Result ref = torch.run(batch, false);
        int b = batch.batchSize();
        int t = batch.seqLength();
        // padded positions are computed too (both attend to real keys only); compare everything
        assertThat(maxAbsDiff(ours.sequenceOutput(), ref.sequence().reshape(b, t, -1))).isLessThan(1e-4);
        assertThat(maxAbsDiff(ours.pooledOutput(), ref.pooled())).isLessThan(1e-4);
        assertThat(maxAbsDiff(ours.mlmLogits(), ref.mlmLogits())).isLessThan(1e-4);
        assertThat(maxAbsDiff(ours.nspLogits(), ref.nspLogits())).isLessThan(1e-4);
        assertThat(ours.mlmLoss()).isCloseTo(ref.mlmLoss(), org.assertj.core.data.Offset.offset(1e-4));
        assertThat(ours.nspLoss()).isCloseTo(ref.nspLoss(), org.assertj.core.data.Offset.offset(1e-4));
        // sanity: the outputs are not trivially equal (e.g. all zeros)
        assertThat(ours.sequenceOutput().std(0).meanNumber().doubleValue()).isGreaterThan(0.1);
    }

    @Test
    void lossAndEveryGradientMatch() {
        compareGradients(model, torch, batch);
    }

    /** The SameDiff graph (the engine a head stacked with {@code BertEncoder.build} trains through) agrees too. */
    @Test
    void graphEngineLossAndEveryGradientMatch() {
        // a fresh reference: DJL accumulates parameter gradients over backward passes
        try (TorchBert fresh = new TorchBert(model.config(), model.parameters())) {
            model.engine(Engine.GRAPH);
            compareGradients(model, fresh, batch);
        } finally {
            model.engine(Engine.EAGER);
        }
    }

    /** A batch mixing NSP pairs with MLM-only sequences (label -1, the extra-text variant). */
    @Test
    void mlmOnlyRowsMatch() {
        try (BertPreTrainingModel m = BertPreTrainingModel.create(model.config(), 24, DataType.FLOAT, true, true);
                TorchBert t = new TorchBert(m.config(), m.parameters())) {
            compareGradients(m, t, TestBatches.withMlmOnlyRows(batch, 0, 2));
        }
    }

    /**
     * layer_norm_eps above 1e-9 takes the graph's composed LayerNorm (the fused op has no epsilon);
     * the eager kernels take any epsilon. Run on both engines.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0} engine")
    @org.junit.jupiter.params.provider.EnumSource(Engine.class)
    void composedLayerNormWithLargerEpsilonMatches(Engine engine) {
        BertConfig c = BertConfig.tiny(99).withDropout(0.0).withLayerNormEps(1e-3);
        try (BertPreTrainingModel m = BertPreTrainingModel.create(c, 22, DataType.FLOAT, true, true).engine(engine);
                TorchBert t = new TorchBert(c, m.parameters())) {
            assertThat(m.engine()).isEqualTo(engine);
            // a small-variance input makes eps = 1e-3 matter: embeddings at their initial scale (0.02)
            PretrainingBatch b = TestBatches.random(3, 12, 3, 99, 10);
            BertPreTrainingModel.Outputs ours = m.forward(b);
            TorchBert.Result ref = t.run(b, false);
            assertThat(maxAbsDiff(ours.mlmLogits(), ref.mlmLogits())).isLessThan(1e-4);
            assertThat(maxAbsDiff(ours.pooledOutput(), ref.pooled())).isLessThan(1e-4);
            compareGradients(m, t, b);
        }
    }

    /**
     * The graph's explicit attention path (softmax(QKᵀ/√d + mask)·V as separate ops, used in
     * training with attention dropout) against PyTorch: on the GRAPH engine, whose graphs honour
     * {@link BertEncoder#fusedAttention}.
     */
    @Test
    void explicitAttentionPathMatches() {
        BertConfig c = BertConfig.tiny(99).withDropout(0.0);
        try (BertPreTrainingModel m = BertPreTrainingModel.create(c, 23, DataType.FLOAT, true, true).engine(Engine.GRAPH);
                TorchBert t = new TorchBert(c, m.parameters())) {
            m.encoder().fusedAttention(false);
            assertThat(m.engine()).isEqualTo(Engine.GRAPH);
            PretrainingBatch b = TestBatches.random(4, 14, 3, 99, 11);
            assertThat(maxAbsDiff(m.forward(b).sequenceOutput(), t.run(b, false).sequence().reshape(4, 14, -1)))
                    .isLessThan(1e-4);
            compareGradients(m, t, b);
        }
    }

    static void compareGradients(BertPreTrainingModel model, TorchBert torch, PretrainingBatch batch) {
        StepOutput ours = model.trainStep(batch);
        TorchBert.Result ref = torch.run(batch, true);
        assertThat(Math.abs(ours.loss() - ref.loss()) / Math.abs(ref.loss())).isLessThan(1e-3);
        Map<String, INDArray> g = ours.gradients();
        assertThat(g.keySet()).containsExactlyInAnyOrderElementsOf(ref.gradients().keySet());
        for (Map.Entry<String, INDArray> e : ref.gradients().entrySet()) {
            INDArray mine = g.get(e.getKey());
            double scale = Transforms.abs(e.getValue()).maxNumber().doubleValue();
            double err = maxAbsDiff(mine, e.getValue());
            // the key bias's true gradient is 0 (softmax is shift-invariant): both give round-off only
            assertThat(err / Math.max(scale, 1e-6)).as("%s: max error %g, max |g| %g", e.getKey(), err, scale)
                    .isLessThan(1e-3);
        }
    }
}
