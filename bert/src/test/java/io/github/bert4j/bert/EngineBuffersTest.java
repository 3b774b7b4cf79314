package io.github.bert4j.bert;

import io.github.bert4j.bert.eager.NativeBuffers;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The eager engine serves every batch shape from the same native blocks ({@link NativeBuffers}):
 * their size is that of the largest batch seen and does not grow with the number or variety of
 * calls, and a pass on reused blocks (holding a previous batch's values) gives exactly the bits of a
 * pass on a fresh encoder.
 */
class EngineBuffersTest {
    private static final int[][] SHAPES = {{4, 40}, {2, 17}, {1, 3}, {3, 33}, {4, 40}, {2, 9}, {4, 39}, {1, 40}};

    private static INDArray ids(int b, int t, int seed) {
        java.util.Random r = new java.util.Random(seed);
        long[] v = new long[b * t];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextInt(97);
        }
        return Nd4j.createFromArray(v).reshape(b, t);
    }

    private static INDArray mask(int b, int t) {
        float[] m = new float[b * t];
        for (int i = 0; i < m.length; i++) {
            m[i] = i % t < Math.max(1, t - 3 * (i / t)) ? 1 : 0;
        }
        return Nd4j.createFromArray(m).reshape(b, t);
    }

    @Test
    void buffersStayAtTheLargestBatchAndReuseGivesTheBitsOfAFreshEncoder() {
        BertConfig c = BertConfig.tiny(97);
        BertEncoder reused = BertEncoder.create(c, 2);
        reused.encode(ids(4, 40, 0), null, mask(4, 40)); // the largest shape first
        long bytes = reused.engineBufferBytes();
        assertThat(bytes).isPositive();
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < SHAPES.length; i++) {
                int b = SHAPES[i][0];
                int t = SHAPES[i][1];
                INDArray in = ids(b, t, 10 * round + i);
                INDArray m = mask(b, t);
                BertEncoder.Outputs got = reused.encode(in, null, m);
                float[] hidden = reused.withHiddenStates(in, null, m, h -> h.dup().data().asFloat());
                try (BertEncoder fresh = BertEncoder.create(c, 2)) {
                    BertEncoder.Outputs want = fresh.encode(in, null, m);
                    assertThat(got.sequenceOutput().data().asFloat()).as("shape %dx%d", b, t)
                            .containsExactly(want.sequenceOutput().data().asFloat());
                    assertThat(got.pooledOutput().data().asFloat()).containsExactly(want.pooledOutput().data().asFloat());
                    assertThat(hidden).containsExactly(want.sequenceOutput().data().asFloat());
                }
                assertThat(reused.engineBufferBytes()).as("buffer bytes after %d calls", round * SHAPES.length + i + 1)
                        .isEqualTo(bytes);
            }
        }
    }

    @Test
    void trainingPassesOnChangingShapesKeepTheirBuffers() {
        BertConfig c = BertConfig.tiny(97).withDropout(0.1);
        BertEncoder enc = BertEncoder.create(c, 2);
        Nd4j.getRandom().setSeed(1);
        EncoderPass first = enc.forward(ids(4, 40, 0), null, mask(4, 40), BertEncoder.Mode.TRAIN);
        first.backward(first.hidden().dup(), null);
        long bytes = enc.engineBufferBytes();
        for (int i = 0; i < SHAPES.length; i++) {
            int b = SHAPES[i][0];
            int t = SHAPES[i][1];
            Nd4j.getRandom().setSeed(7 + i);
            EncoderPass pass = enc.forward(ids(b, t, i), null, mask(b, t), BertEncoder.Mode.TRAIN);
            Map<String, INDArray> grads = pass.backward(pass.hidden().dup(), null);
            try (BertEncoder fresh = BertEncoder.create(c, 2)) {
                Nd4j.getRandom().setSeed(7 + i);
                EncoderPass want = fresh.forward(ids(b, t, i), null, mask(b, t), BertEncoder.Mode.TRAIN);
                Map<String, INDArray> wantGrads = want.backward(want.hidden().dup(), null);
                for (String name : wantGrads.keySet()) {
                    assertThat(grads.get(name).castTo(DataType.FLOAT).data().asFloat()).as("%s at %dx%d", name, b, t)
                            .containsExactly(wantGrads.get(name).castTo(DataType.FLOAT).data().asFloat());
                }
            }
            assertThat(enc.engineBufferBytes()).isEqualTo(bytes);
        }
    }
}
