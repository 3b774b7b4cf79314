package io.github.bert4j.bert;

import io.github.bert4j.bert.pretraining.data.PretrainingBatch;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.bert4j.core.train.AdamW;
import io.github.bert4j.core.train.StepOutput;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Padding invariance, dropout, metrics and overfitting one batch. */
class BehaviourTest {

    @Test
    void outputsAtRealPositionsDoNotDependOnPadding() {
        try (BertEncoder enc = BertEncoder.create(BertConfig.tiny(99), 3)) {
            PretrainingBatch b = TestBatches.random(3, 11, 2, 99, 8); // rows of length 11, 8, 6
            BertEncoder.Outputs short_ = enc.encode(b.inputIds(), b.tokenTypeIds(), b.attentionMask());
            // pad to 20 with junk ids (must be masked out) and compare real positions
            INDArray ids = Nd4j.zeros(DataType.INT, 3, 20).addi(17);
            INDArray types = Nd4j.zeros(DataType.INT, 3, 20);
            INDArray mask = Nd4j.zeros(DataType.INT, 3, 20);
            ids.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 11)).assign(b.inputIds());
            types.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 11)).assign(b.tokenTypeIds());
            mask.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 11)).assign(b.attentionMask());
            BertEncoder.Outputs long_ = enc.encode(ids, types, mask);
            int[] lengths = {11, 8, 6};
            for (int i = 0; i < 3; i++) {
                INDArray a = short_.sequenceOutput().get(NDArrayIndex.point(i), NDArrayIndex.interval(0, lengths[i]), NDArrayIndex.all());
                INDArray c = long_.sequenceOutput().get(NDArrayIndex.point(i), NDArrayIndex.interval(0, lengths[i]), NDArrayIndex.all());
                assertThat(Transforms.abs(a.sub(c)).maxNumber().doubleValue()).isLessThan(1e-5);
            }
            assertThat(Transforms.abs(short_.pooledOutput().sub(long_.pooledOutput())).maxNumber().doubleValue()).isLessThan(1e-5);
            // and the junk id does matter where it is not masked
            mask.assign(1);
            BertEncoder.Outputs unmasked = enc.encode(ids, types, mask);
            assertThat(Transforms.abs(unmasked.pooledOutput().sub(long_.pooledOutput())).maxNumber().doubleValue()).isGreaterThan(1e-4);
        }
    }

    @Test
    void dropoutIsOnInTrainingOnlyAndReproducible() {
        try (BertPreTrainingModel m = BertPreTrainingModel.create(BertConfig.tiny(99), 4)) {
            PretrainingBatch b = TestBatches.random(2, 10, 2, 99, 1);
            Nd4j.getRandom().setSeed(99);
            double l1 = m.trainStep(b).loss();
            Nd4j.getRandom().setSeed(99);
            double l2 = m.trainStep(b).loss();
            Nd4j.getRandom().setSeed(100);
            double l3 = m.trainStep(b).loss();
            double eval = m.forward(b).loss();
            assertThat(l1).isEqualTo(l2);
            assertThat(l3).isNotEqualTo(l1);
            assertThat(eval).isNotEqualTo(l1);
            assertThat(m.forward(b).loss()).isEqualTo(eval);
        }
    }

    @Test
    void metricsAreAdditiveSums() {
        try (BertPreTrainingModel m = BertPreTrainingModel.create(BertConfig.tiny(99).withDropout(0), 4)) {
            PretrainingBatch b = TestBatches.random(4, 10, 3, 99, 1); // rows 1 and 3 have 2 real predictions
            Map<String, Double> means = m.evaluate(b).means();
            assertThat(means).containsKeys("mlm_loss", "mlm_acc", "nsp_loss", "nsp_acc", "loss");
            BertPreTrainingModel.Outputs o = m.forward(b);
            assertThat(means.get("mlm_loss")).isCloseTo(o.mlmLoss(), org.assertj.core.data.Offset.offset(1e-6));
            assertThat(means.get("loss")).isCloseTo(o.mlmLoss() + o.nspLoss(), org.assertj.core.data.Offset.offset(1e-5));
            assertThat(means.get("mlm_acc")).isBetween(0.0, 1.0);
            StepOutput s = m.trainStep(b);
            assertThat(s.tokens()).isEqualTo(b.realTokens());
            assertThat(s.examples()).isEqualTo(4);
            assertThat(s.loss()).isCloseTo(o.loss(), org.assertj.core.data.Offset.offset(1e-5));
        }
    }

    @Test
    void mlmOnlyObjectiveHasNoNspGradients() {
        try (BertPreTrainingModel m = BertPreTrainingModel.create(BertConfig.tiny(99).withDropout(0), 4, DataType.FLOAT, true, false)) {
            PretrainingBatch b = TestBatches.random(2, 10, 2, 99, 1);
            StepOutput s = m.trainStep(b);
            assertThat(s.gradients()).doesNotContainKeys("cls.seq_relationship.weight", "bert.pooler.dense.weight")
                    .containsKeys("cls.predictions.bias", HfNames.WORD_EMBEDDINGS);
            assertThat(s.metrics().means()).containsOnlyKeys("mlm_loss", "mlm_acc");
            assertThat(s.loss()).isCloseTo(m.forward(b).mlmLoss(), org.assertj.core.data.Offset.offset(1e-5));
        }
    }

    @Test
    void overfitsOneBatch() {
        try (BertPreTrainingModel m = BertPreTrainingModel.create(BertConfig.tiny(99).withDropout(0), 12)) {
            PretrainingBatch b = TestBatches.random(4, 12, 3, 99, 6);
            AdamW adam = new AdamW(0.9, 0.999, 1e-6, 0.0, AdamW.defaultNoDecay());
            double first = Double.NaN;
            double last = Double.NaN;
            for (int step = 0; step < 80; step++) {
                StepOutput s = m.trainStep(b);
                if (step == 0) {
                    first = s.loss();
                }
                last = s.loss();
                adam.step(m.parameters(), s.gradients(), 1e-2);
            }
            Map<String, Double> means = m.evaluate(b).means();
            assertThat(first).isGreaterThan(4.0); // ≈ ln(99) + ln(2)
            assertThat(last).isLessThan(0.05);
            assertThat(means.get("mlm_loss")).isLessThan(0.05);
            assertThat(means.get("mlm_acc")).isEqualTo(1.0);
            assertThat(means.get("nsp_acc")).isEqualTo(1.0);
        }
    }
}
