package io.github.bert4j.bert;

import io.github.bert4j.bert.pretraining.data.PretrainingBatch;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.bert4j.core.train.StepOutput;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Finite-difference checks (central differences, DOUBLE) of every parameter group of the
 * pretraining model against the analytic gradients of {@link BertPreTrainingModel#trainStep}
 * (dropout off), on a padded two-segment batch with repeated ids. The tiny config is odd-sized.
 * This class checks the default eager engine; subclasses check the SameDiff graph.
 * Elements: a few fixed (rows of repeated ids, positions past the batch length) and 4 random per
 * parameter; relative error {@code |a - n| / max(|a| + |n|, 1e-4)} below 1e-5.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GradientCheckTest {
    boolean fusedAttention() {
        return true;
    }

    Engine engine() {
        return Engine.EAGER;
    }

    static final double EPS = 1e-5;
    static final double MAX_REL = 1e-5;
    /** Floor of the relative error's denominator: gradients below ~1e-4 are compared to 1e-9 absolute (round-off of the loss / EPS). */
    static final double FLOOR = 1e-4;
    BertPreTrainingModel model;
    PretrainingBatch batch;
    Map<String, INDArray> grads;
    double loss;

    @BeforeAll
    void setUp() {
        boolean fused = fusedAttention();
        BertConfig c = BertConfig.tiny(99).withDropout(0.0);
        model = BertPreTrainingModel.create(c, 11, DataType.DOUBLE, true, true);
        model.encoder().fusedAttention(fused);
        model.engine(engine());
        // larger than initial weights so that gradients are not tiny and LayerNorms are exercised
        Random r = new Random(3);
        model.parameters().forEach((n, a) -> {
            if (!n.contains("LayerNorm")) {
                a.addi(org.nd4j.linalg.factory.Nd4j.randn(r.nextLong(), a.shape()).castTo(DataType.DOUBLE).muli(0.05));
            } else {
                a.addi(org.nd4j.linalg.factory.Nd4j.randn(r.nextLong(), a.shape()).castTo(DataType.DOUBLE).muli(0.2));
            }
        });
        batch = TestBatches.random(3, 13, 3, 99, 5);
        StepOutput out = model.trainStep(batch);
        grads = out.gradients();
        loss = out.loss();
    }

    @AfterAll
    void tearDown() {
        model.close();
    }

    /** Central difference of the loss w.r.t. element {@code i} of parameter {@code name}. */
    double numeric(String name, long i) {
        INDArray a = model.parameters().get(name);
        double orig = a.getDouble(i);
        a.putScalar(i, orig + EPS);
        double plus = model.forward(batch).loss();
        a.putScalar(i, orig - EPS);
        double minus = model.forward(batch).loss();
        a.putScalar(i, orig);
        return (plus - minus) / (2 * EPS);
    }

    void check(String name, long... elements) {
        INDArray g = grads.get(name);
        assertThat(g).as("gradient of " + name).isNotNull();
        assertThat(g.shape()).isEqualTo(model.parameters().get(name).shape());
        for (long i : elements) {
            double n = numeric(name, i);
            double an = g.getDouble(i);
            double denom = Math.max(Math.abs(n) + Math.abs(an), FLOOR);
            assertThat(Math.abs(n - an) / denom)
                    .as("%s[%d]: analytic %.10g numeric %.10g", name, i, an, n)
                    .isLessThan(MAX_REL);
        }
    }

    long[] randomElements(String name, int k, long seed) {
        long len = model.parameters().get(name).length();
        Random r = new Random(seed ^ name.hashCode());
        Set<Long> s = new LinkedHashSet<>();
        while (s.size() < Math.min(k, len)) {
            s.add((long) r.nextInt((int) len));
        }
        return s.stream().mapToLong(Long::longValue).toArray();
    }

    void checkGroup(String... names) {
        for (String n : names) {
            check(n, randomElements(n, 4, 1));
        }
    }

    @Test
    void lossIsFiniteAndPositive() {
        assertThat(loss).isFinite().isGreaterThan(0);
        assertThat(loss).isCloseTo(model.forward(batch).loss(), org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void wordEmbeddingsWithRepeatedIdsAndTiedDecoder() {
        int h = model.config().hiddenSize();
        // id 7 repeats many times in the batch (and is an MLM label); [MASK]=4 and [SEP]=3 repeat too;
        // 98 is a vocabulary row only the tied decoder touches (or not at all)
        List<Long> el = new ArrayList<>();
        for (int id : new int[] {7, 4, 3, 2, 0, 98}) {
            el.add((long) id * h + 1);
            el.add((long) id * h + h - 2);
        }
        check(HfNames.WORD_EMBEDDINGS, el.stream().mapToLong(Long::longValue).toArray());
        check(HfNames.WORD_EMBEDDINGS, randomElements(HfNames.WORD_EMBEDDINGS, 6, 2));
    }

    @Test
    void positionAndTokenTypeEmbeddings() {
        int h = model.config().hiddenSize();
        // positions beyond the batch length (13) have zero gradient
        check(HfNames.POSITION_EMBEDDINGS, 0, 5, 3L * h + 7, 12L * h + 3, 13L * h + 1, 40L * h);
        assertThat(grads.get(HfNames.POSITION_EMBEDDINGS).getRow(20).norm2Number().doubleValue()).isZero();
        check(HfNames.TOKEN_TYPE_EMBEDDINGS, 0, 3, h + 1, h + 31);
    }

    @Test
    void embeddingLayerNorm() {
        checkGroup("bert.embeddings.LayerNorm.weight", "bert.embeddings.LayerNorm.bias");
    }

    @Test
    void attentionWithPaddingMask() {
        for (int l = 0; l < 2; l++) {
            String p = "bert.encoder.layer." + l + ".attention.";
            checkGroup(p + "self.query.weight", p + "self.query.bias", p + "self.key.weight", p + "self.key.bias",
                    p + "self.value.weight", p + "self.value.bias", p + "output.dense.weight", p + "output.dense.bias");
        }
    }

    @Test
    void feedForward() {
        for (int l = 0; l < 2; l++) {
            String p = "bert.encoder.layer." + l + ".";
            checkGroup(p + "intermediate.dense.weight", p + "intermediate.dense.bias", p + "output.dense.weight",
                    p + "output.dense.bias");
        }
    }

    @Test
    void layerNorms() {
        for (int l = 0; l < 2; l++) {
            String p = "bert.encoder.layer." + l + ".";
            checkGroup(p + "attention.output.LayerNorm.weight", p + "attention.output.LayerNorm.bias",
                    p + "output.LayerNorm.weight", p + "output.LayerNorm.bias");
        }
    }

    @Test
    void mlmHeadAtGatheredPositions() {
        checkGroup("cls.predictions.bias", "cls.predictions.transform.dense.weight", "cls.predictions.transform.dense.bias",
                "cls.predictions.transform.LayerNorm.weight", "cls.predictions.transform.LayerNorm.bias");
    }

    @Test
    void nspHeadAndPooler() {
        checkGroup("cls.seq_relationship.weight", "cls.seq_relationship.bias", "bert.pooler.dense.weight",
                "bert.pooler.dense.bias");
    }

    @Test
    void everyParameterHasAGradient() {
        assertThat(grads.keySet()).containsExactlyInAnyOrderElementsOf(model.parameters().keySet());
    }
}
