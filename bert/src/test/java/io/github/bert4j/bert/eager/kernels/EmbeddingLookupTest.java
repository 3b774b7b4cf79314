package io.github.bert4j.bert.eager.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class EmbeddingLookupTest {

    @Test
    void scatterAddAccumulatesRepeatedIds() {
        int v = 13;
        int h = 5;
        int n = 400;
        Random r = new Random(1);
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = r.nextInt(3) == 0 ? r.nextInt(v) : 4; // id 4 repeats ~270 times
        }
        INDArray g = Nd4j.rand(DataType.FLOAT, n, h);
        double[][] expected = new double[v][h];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < h; j++) {
                expected[ids[i]][j] += g.getDouble(i, j);
            }
        }
        INDArray got = EmbeddingLookup.scatterAdd(ids, g, v, DataType.FLOAT);
        assertThat(got.shape()).containsExactly(v, h);
        for (int i = 0; i < v; i++) {
            for (int j = 0; j < h; j++) {
                assertThat(got.getDouble(i, j)).isCloseTo(expected[i][j], org.assertj.core.data.Offset.offset(1e-3));
            }
        }
        INDArray gotD = EmbeddingLookup.scatterAdd(ids, g.castTo(DataType.DOUBLE), v, DataType.DOUBLE);
        assertThat(gotD.dataType()).isEqualTo(DataType.DOUBLE);
        assertThat(gotD.getDouble(4, 2)).isCloseTo(expected[4][2], org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void forwardAddsWordAndPositionRows() {
        INDArray word = Nd4j.rand(DataType.DOUBLE, 7, 3);
        INDArray pos = Nd4j.rand(DataType.DOUBLE, 5, 3);
        int[] ids = {1, 6, 6, 0, 2, 1};
        INDArray e = EmbeddingLookup.forward(word, pos, ids, 2, 3);
        assertThat(e.shape()).containsExactly(6, 3);
        for (int n = 0; n < 6; n++) {
            assertThat(e.getRow(n)).isEqualTo(word.getRow(ids[n]).add(pos.getRow(n % 3)));
        }
        INDArray gp = EmbeddingLookup.positionGradient(Nd4j.ones(DataType.DOUBLE, 6, 3), 2, 3, 5);
        assertThat(gp.getRow(0).sumNumber().doubleValue()).isEqualTo(6.0);
        assertThat(gp.getRow(3).sumNumber().doubleValue()).isZero();
        assertThatThrownBy(() -> EmbeddingLookup.forward(word, pos, new int[] {7}, 1, 1))
                .hasMessageContaining("out of range");
    }
}
