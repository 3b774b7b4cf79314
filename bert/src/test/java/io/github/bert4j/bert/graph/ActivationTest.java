package io.github.bert4j.bert.graph;

import io.github.bert4j.bert.BertConfig;
import io.github.bert4j.bert.BertEncoder;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The activations against double-precision references (SameDiff's own {@code gelu} is an approximation). */
class ActivationTest {

    /** erf by its Maclaurin series (|x| < 2) or erfc's continued fraction, accurate to ~1e-15. */
    static double erf(double x) {
        double t = Math.abs(x);
        double r;
        if (t < 2) {
            double s = 0;
            double p = t;
            for (int n = 0; n < 120; n++) {
                s += p / (2 * n + 1);
                p *= -t * t / (n + 1);
            }
            r = 2 / Math.sqrt(Math.PI) * s;
        } else {
            // erfc(t) = exp(-t²)/√π · 1/(t + (1/2)/(t + 1/(t + (3/2)/(t + ...))))
            double k = t;
            for (int j = 200; j >= 1; j--) {
                k = t + (j / 2.0) / k;
            }
            r = 1 - Math.exp(-t * t) / (Math.sqrt(Math.PI) * k);
        }
        return x < 0 ? -r : r;
    }

    static INDArray run(String act, INDArray x) {
        BertConfig c = BertConfig.tiny(10).withHiddenAct(act);
        SameDiff sd = SameDiff.create();
        GraphContext g = new GraphContext(sd, c, BertEncoder.Mode.INFERENCE, DataType.DOUBLE, n -> null);
        SDVariable in = sd.placeHolder("x", DataType.DOUBLE, -1);
        SDVariable out = g.activation(in);
        return sd.output(Map.of("x", x), out.name()).get(out.name());
    }

    @Test
    void geluIsTheExactErfForm() {
        double[] xs = {-5, -3, -2.5, -1, -0.3, 0, 0.1, 0.7, 1, 2, 3.5, 6};
        INDArray y = run("gelu", Nd4j.createFromArray(xs));
        for (int i = 0; i < xs.length; i++) {
            double ref = 0.5 * xs[i] * (1 + erf(xs[i] / Math.sqrt(2)));
            assertThat(y.getDouble(i)).as("gelu(%s)", xs[i]).isCloseTo(ref, org.assertj.core.data.Offset.offset(1e-12 * Math.max(1, Math.abs(xs[i]))));
        }
        // the tanh approximation differs by up to ~1e-3 (x = -3: 4.0e-4), so the test can tell them apart
        INDArray tanh = run("gelu_new", Nd4j.createFromArray(xs));
        assertThat(Math.abs(tanh.getDouble(1) - y.getDouble(1))).isGreaterThan(1e-4);
        double x = 1.0;
        double refTanh = 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
        assertThat(tanh.getDouble(8)).isCloseTo(refTanh, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(run("relu", Nd4j.createFromArray(-1.0, 2.0))).isEqualTo(Nd4j.createFromArray(0.0, 2.0));
    }
}
