package io.github.bert4j.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class GradientClippingTest {

    private static Map<String, INDArray> grads() {
        Map<String, INDArray> g = new LinkedHashMap<>();
        g.put("a", Nd4j.createFromArray(3.0, 0.0));
        g.put("b", Nd4j.createFromArray(new double[][] {{0.0, 4.0}}));
        return g; // global norm 5
    }

    @Test
    void clipsToMaxNormAndReturnsPreClipNorm() {
        Map<String, INDArray> g = grads();
        assertThat(GradientClipping.clipGlobalNorm(g, 1.0)).isEqualTo(5.0, offset(1e-12));
        double coef = 1.0 / (5.0 + 1e-6);
        assertThat(g.get("a").getDouble(0)).isEqualTo(3.0 * coef, offset(1e-15));
        assertThat(g.get("b").getDouble(0, 1)).isEqualTo(4.0 * coef, offset(1e-15));
        assertThat(GradientClipping.globalNorm(g)).isEqualTo(1.0, offset(1e-6));
    }

    @Test
    void leavesSmallGradientsAlone() {
        Map<String, INDArray> g = grads();
        assertThat(GradientClipping.clipGlobalNorm(g, 10.0)).isEqualTo(5.0, offset(1e-12));
        assertThat(g).isEqualTo(grads());
        assertThat(GradientClipping.clipGlobalNorm(g, 0.0)).isEqualTo(5.0, offset(1e-12));
        assertThat(g).isEqualTo(grads());
    }

    @Test
    void nonFiniteNormIsReportedNotApplied() {
        Map<String, INDArray> g = grads();
        g.put("c", Nd4j.createFromArray(Double.NaN));
        assertThat(GradientClipping.clipGlobalNorm(g, 1.0)).isNaN();
        assertThat(g.get("a").getDouble(0)).isEqualTo(3.0);
    }
}
