package io.github.bert4j.bert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The {@link EncoderPass} contract, run for every {@link Engine} alike in double precision: shapes
 * and modes, outputs and dropout masks equal to the other engine's, every gradient by finite
 * differences and equal to the other engine's, and the pass's lifetime rules.
 */
class EncoderContractTest {
    static final BertConfig CONFIG = BertConfig.tiny(40).withDropout(0.2);

    static EncoderInputs inputs() {
        int[][] ids = {{2, 11, 12, 13, 3, 0}, {2, 20, 21, 3, 30, 31}, {2, 5, 3, 0, 0, 0}};
        int[][] types = {{0, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 1, 1}, {0, 0, 0, 0, 0, 0}};
        int[][] mask = {{1, 1, 1, 1, 1, 0}, {1, 1, 1, 1, 1, 1}, {1, 1, 1, 0, 0, 0}};
        return EncoderInputs.of(Nd4j.createFromArray(ids), Nd4j.createFromArray(types), Nd4j.createFromArray(mask));
    }

    static Engine other(Engine e) {
        return e == Engine.EAGER ? Engine.GRAPH : Engine.EAGER;
    }

    /** Upstream gradients: fixed random {@code dL/dh [N,H]} and {@code dL/dpooled [B,H]}. */
    static INDArray[] upstream(EncoderInputs in) {
        return new INDArray[] {Nd4j.randn(101, new long[] {in.tokens(), CONFIG.hiddenSize()}).castTo(DataType.DOUBLE),
            Nd4j.randn(102, new long[] {in.batchSize(), CONFIG.hiddenSize()}).castTo(DataType.DOUBLE)};
    }

    static double maxDiff(INDArray a, INDArray b) {
        assertThat(a.shape()).isEqualTo(b.shape());
        return a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
    }

    @ParameterizedTest(name = "{0} engine")
    @EnumSource(Engine.class)
    void inferenceOutputsHaveTheContractShapesAndEqualTheOtherEngine(Engine engine) {
        EncoderInputs in = inputs();
        try (BertEncoder enc = BertEncoder.create(CONFIG, 9, DataType.DOUBLE)) {
            EncoderPass pass = enc.engine(other(engine)).forward(in, BertEncoder.Mode.INFERENCE);
            INDArray h0 = pass.hidden().dup();
            INDArray p0 = pass.pooled().dup();
            pass = enc.engine(engine).forward(in, BertEncoder.Mode.INFERENCE);
            assertThat(pass.mode()).isEqualTo(BertEncoder.Mode.INFERENCE);
            assertThat(pass.inputs()).isSameAs(in);
            assertThat(pass.hidden().shape()).containsExactly(18, CONFIG.hiddenSize());
            assertThat(pass.pooled().shape()).containsExactly(3, CONFIG.hiddenSize());
            assertThat(maxDiff(pass.hidden(), h0)).isLessThan(1e-10);
            assertThat(maxDiff(pass.pooled(), p0)).isLessThan(1e-10);
            // inference has no dropout: a second pass gives the same numbers
            assertThat(maxDiff(enc.forward(in, BertEncoder.Mode.INFERENCE).hidden(), h0)).isLessThan(1e-10);
            EncoderPass inference = enc.forward(in, BertEncoder.Mode.INFERENCE);
            assertThatThrownBy(() -> inference.backward(null, null)).isInstanceOf(IllegalStateException.class);
        }
    }

    @ParameterizedTest(name = "{0} engine")
    @EnumSource(Engine.class)
    void trainingPassesDrawTheSameDropoutMasksAndGiveTheSameGradientsAsTheOtherEngine(Engine engine) {
        EncoderInputs in = inputs();
        INDArray[] up = upstream(in);
        try (BertEncoder enc = BertEncoder.create(CONFIG, 9, DataType.DOUBLE)) {
            Nd4j.getRandom().setSeed(5);
            EncoderPass ref = enc.engine(other(engine)).forward(in, BertEncoder.Mode.TRAIN);
            INDArray h0 = ref.hidden().dup();
            INDArray p0 = ref.pooled().dup();
            Map<String, INDArray> g0 = ref.backward(up[0].dup(), up[1].dup());
            Nd4j.getRandom().setSeed(5);
            EncoderPass pass = enc.engine(engine).forward(in, BertEncoder.Mode.TRAIN);
            assertThat(pass.mode()).isEqualTo(BertEncoder.Mode.TRAIN);
            // same masks: the same hidden states, which differ from inference (dropout is on)
            assertThat(maxDiff(pass.hidden(), h0)).isLessThan(1e-10);
            assertThat(maxDiff(pass.pooled(), p0)).isLessThan(1e-10);
            INDArray hidden = pass.hidden().dup();
            Map<String, INDArray> g = pass.backward(up[0].dup(), up[1].dup());
            assertThat(new ArrayList<>(g.keySet())).isEqualTo(new ArrayList<>(enc.parameters().keySet()));
            assertThat(new ArrayList<>(g0.keySet())).isEqualTo(new ArrayList<>(g.keySet()));
            for (String n : g.keySet()) {
                assertThat(maxDiff(g.get(n), g0.get(n))).as(n).isLessThan(1e-10 + 1e-8 * g0.get(n).amaxNumber().doubleValue());
            }
            assertThat(maxDiff(enc.forward(in, BertEncoder.Mode.INFERENCE).hidden(), hidden)).isGreaterThan(1e-3);
            // without dPooled the pooler takes no part
            Nd4j.getRandom().setSeed(5);
            Map<String, INDArray> noPool = enc.forward(in, BertEncoder.Mode.TRAIN).backward(up[0].dup(), null);
            assertThat(noPool.keySet()).doesNotContain(HfNames.weight(HfNames.POOLER_DENSE), HfNames.bias(HfNames.POOLER_DENSE))
                    .hasSize(g.size() - 2);
        }
    }

    @ParameterizedTest(name = "{0} engine")
    @EnumSource(Engine.class)
    void everyGradientMatchesFiniteDifferencesInDouble(Engine engine) {
        EncoderInputs in = inputs();
        INDArray[] up = upstream(in);
        try (BertEncoder enc = BertEncoder.create(CONFIG.withDropout(0.0), 9, DataType.DOUBLE).engine(engine)) {
            Map<String, INDArray> g = enc.forward(in, BertEncoder.Mode.TRAIN).backward(up[0].dup(), up[1].dup());
            double eps = 1e-6;
            for (Map.Entry<String, INDArray> e : enc.parameters().entrySet()) {
                INDArray p = e.getValue();
                // three entries of every parameter: first, middle, last
                for (long idx : new long[] {0, p.length() / 2, p.length() - 1}) {
                    if (e.getKey().equals(HfNames.WORD_EMBEDDINGS) || e.getKey().equals(HfNames.POSITION_EMBEDDINGS)) {
                        idx = e.getKey().equals(HfNames.WORD_EMBEDDINGS) ? 20L * CONFIG.hiddenSize() + idx % CONFIG.hiddenSize()
                                : 3L * CONFIG.hiddenSize() + idx % CONFIG.hiddenSize(); // rows the batch uses
                    }
                    double orig = p.getDouble(idx);
                    p.putScalar(idx, orig + eps);
                    double plus = objective(enc, in, up);
                    p.putScalar(idx, orig - eps);
                    double minus = objective(enc, in, up);
                    p.putScalar(idx, orig);
                    double numeric = (plus - minus) / (2 * eps);
                    assertThat(g.get(e.getKey()).getDouble(idx)).as("%s[%d]", e.getKey(), idx)
                            .isCloseTo(numeric, within(1e-6 + 1e-5 * Math.abs(numeric)));
                }
            }
        }
    }

    /** {@code Σ h⊙dH + Σ pooled⊙dP} of an inference pass (no dropout): its gradient is what backward returns. */
    private static double objective(BertEncoder enc, EncoderInputs in, INDArray[] up) {
        EncoderPass pass = enc.forward(in, BertEncoder.Mode.INFERENCE);
        return pass.hidden().mul(up[0]).sumNumber().doubleValue() + pass.pooled().mul(up[1]).sumNumber().doubleValue();
    }

    @ParameterizedTest(name = "{0} engine")
    @EnumSource(Engine.class)
    void aPassGoesBackOnceAndOnlyUntilTheNextPass(Engine engine) {
        EncoderInputs in = inputs();
        INDArray[] up = upstream(in);
        try (BertEncoder enc = BertEncoder.create(CONFIG, 9, DataType.DOUBLE).engine(engine)) {
            EncoderPass first = enc.forward(in, BertEncoder.Mode.TRAIN);
            EncoderPass second = enc.forward(in, BertEncoder.Mode.TRAIN);
            assertThatThrownBy(() -> first.backward(up[0].dup(), null)).isInstanceOf(IllegalStateException.class);
            second.backward(up[0].dup(), null);
            assertThatThrownBy(() -> second.backward(up[0].dup(), null)).isInstanceOf(IllegalStateException.class);
        }
    }
}
