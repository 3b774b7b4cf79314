package io.github.bert4j.bert;

import io.github.bert4j.bert.pretraining.data.PretrainingBatch;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.bert4j.core.train.AdamW;
import io.github.bert4j.core.train.GradientClipping;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Training, not just one gradient: two copies of a model start from the same weights; one is
 * stepped with bert4j's gradients, the other with PyTorch's (DJL autograd on the copy's current
 * weights), both through the same clipping and AdamW. Their losses stay together step after step,
 * so a training curve (plateaus included) is what PyTorch would produce from the same start.
 */
class TrainingTrajectoryParityTest {

    @Test
    void fortyStepsWithOurGradientsFollowFortyStepsWithPyTorchGradients() {
        BertConfig c = BertConfig.tiny(99).withDropout(0.0);
        List<PretrainingBatch> batches = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            batches.add(TestBatches.random(4, 16, 3, 99, 100 + i));
        }
        try (BertPreTrainingModel ours = BertPreTrainingModel.create(c, 31, DataType.FLOAT, true, true);
                BertPreTrainingModel viaTorch = BertPreTrainingModel.create(c, 31, DataType.FLOAT, true, true)) {
            AdamW optOurs = new AdamW(0.9, 0.999, 1e-6, 0.01, AdamW.defaultNoDecay());
            AdamW optTorch = new AdamW(0.9, 0.999, 1e-6, 0.01, AdamW.defaultNoDecay());
            double firstLoss = 0;
            double lastLoss = 0;
            for (int step = 0; step < 40; step++) {
                PretrainingBatch b = batches.get(step % batches.size());
                var mine = ours.trainStep(b);
                Map<String, INDArray> g1 = mine.gradients();
                Map<String, INDArray> g2;
                double torchLoss;
                try (TorchBert t = new TorchBert(c, viaTorch.parameters())) { // fresh: DJL accumulates gradients
                    TorchBert.Result r = t.run(b, true);
                    g2 = r.gradients();
                    torchLoss = r.loss();
                }
                assertThat(mine.loss()).as("loss at step %d", step)
                        .isCloseTo(torchLoss, org.assertj.core.data.Offset.offset(2e-3 * Math.abs(torchLoss)));
                GradientClipping.clipGlobalNorm(g1, 1.0);
                GradientClipping.clipGlobalNorm(g2, 1.0);
                optOurs.step(ours.parameters(), g1, 3e-3);
                optTorch.step(viaTorch.parameters(), g2, 3e-3);
                if (step == 0) {
                    firstLoss = mine.loss();
                }
                lastLoss = mine.loss();
            }
            assertThat(lastLoss).as("the model learns (five batches repeated)").isLessThan(firstLoss - 1.0);
        }
    }
}
