package io.github.bert4j.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class AdamWTest {
    @TempDir
    Path dir;

    private static final double LR = 0.1;
    private static final double B1 = 0.9;
    private static final double B2 = 0.999;
    private static final double EPS = 1e-8;

    private static Map<String, INDArray> scalarParams() {
        Map<String, INDArray> p = new LinkedHashMap<>();
        p.put("dense.weight", Nd4j.createFromArray(1.0, -2.0));
        p.put("dense.bias", Nd4j.createFromArray(0.5));
        p.put("encoder.LayerNorm.weight", Nd4j.createFromArray(1.0));
        return p;
    }

    private static Map<String, INDArray> scalarGrads() {
        Map<String, INDArray> g = new LinkedHashMap<>();
        g.put("dense.weight", Nd4j.createFromArray(0.5, 0.25));
        g.put("dense.bias", Nd4j.createFromArray(-1.0));
        g.put("encoder.LayerNorm.weight", Nd4j.createFromArray(2.0));
        return g;
    }

    @Test
    void firstStepMatchesHandComputation() {
        for (double wd : new double[] {0.0, 0.01}) {
            Map<String, INDArray> p = scalarParams();
            new AdamW(B1, B2, EPS, wd, AdamW.defaultNoDecay()).step(p, scalarGrads(), LR);
            // t=1: m = 0.1 g, v = 0.001 g^2, mhat = g, vhat = g^2, update = lr * g / (|g| + eps)
            assertThat(p.get("dense.weight").getDouble(0)).isEqualTo(1.0 * (1 - LR * wd) - LR * 0.5 / (0.5 + EPS), within(1e-15));
            assertThat(p.get("dense.weight").getDouble(1)).isEqualTo(-2.0 * (1 - LR * wd) - LR * 0.25 / (0.25 + EPS), within(1e-15));
            // no decay on bias and LayerNorm, whatever wd is
            assertThat(p.get("dense.bias").getDouble(0)).isEqualTo(0.5 + LR * 1.0 / (1.0 + EPS), within(1e-15));
            assertThat(p.get("encoder.LayerNorm.weight").getDouble(0)).isEqualTo(1.0 - LR * 2.0 / (2.0 + EPS), within(1e-15));
        }
    }

    @Test
    void secondStepMatchesHandComputation() {
        double wd = 0.01;
        Map<String, INDArray> p = new LinkedHashMap<>();
        p.put("w", Nd4j.createFromArray(1.0));
        AdamW opt = new AdamW(B1, B2, EPS, wd, AdamW.defaultNoDecay());
        opt.step(p, Map.of("w", Nd4j.createFromArray(0.5)), LR);
        opt.step(p, Map.of("w", Nd4j.createFromArray(-0.3)), LR);
        double p1 = 1.0 * (1 - LR * wd) - LR * 0.5 / (0.5 + EPS);
        double m = 0.9 * 0.05 + 0.1 * -0.3;                 // 0.015
        double v = 0.999 * 0.00025 + 0.001 * 0.09;         // 0.00033975
        double mhat = m / (1 - 0.81);
        double denom = Math.sqrt(v) / Math.sqrt(1 - 0.999 * 0.999) + EPS;
        double expected = p1 * (1 - LR * wd) - LR * mhat / denom;
        assertThat(p.get("w").getDouble(0)).isEqualTo(expected, within(1e-14));
        assertThat(opt.steps()).isEqualTo(2);
        assertThat(opt.firstMoment("w").getDouble(0)).isEqualTo(m, within(1e-16));
    }

    @Test
    void manyStepsMatchPlainJavaReference() {
        SplittableRandom rnd = new SplittableRandom(3);
        int n = 50;
        double[] w = rnd.doubles(n, -1, 1).toArray();
        double[] b = rnd.doubles(7, -1, 1).toArray();
        Map<String, INDArray> p = new LinkedHashMap<>();
        p.put("layer.weight", Nd4j.createFromArray(w.clone()).reshape(5, 10));
        p.put("layer.bias", Nd4j.createFromArray(b.clone()));
        Reference refW = new Reference(w, 0.05);
        Reference refB = new Reference(b, 0.0);
        AdamW opt = new AdamW(B1, B2, 1e-6, 0.05, AdamW.defaultNoDecay());
        for (int t = 0; t < 25; t++) {
            double lr = 1e-2 * (1 + t % 3);
            double[] gw = rnd.doubles(n, -1, 1).toArray();
            double[] gb = rnd.doubles(7, -1, 1).toArray();
            opt.step(p, Map.of("layer.weight", Nd4j.createFromArray(gw).reshape(5, 10),
                    "layer.bias", Nd4j.createFromArray(gb)), lr);
            refW.step(gw, lr);
            refB.step(gb, lr);
        }
        assertThat(p.get("layer.weight").reshape(n).toDoubleVector()).containsExactly(refW.p, within(1e-13));
        assertThat(p.get("layer.bias").toDoubleVector()).containsExactly(refB.p, within(1e-13));
    }

    /** torch.optim.AdamW, element by element. */
    private static final class Reference {
        final double[] p;
        final double[] m;
        final double[] v;
        final double wd;
        int t;

        Reference(double[] p0, double wd) {
            p = p0.clone();
            m = new double[p0.length];
            v = new double[p0.length];
            this.wd = wd;
        }

        void step(double[] g, double lr) {
            t++;
            for (int i = 0; i < p.length; i++) {
                p[i] *= 1 - lr * wd;
                m[i] = B1 * m[i] + (1 - B1) * g[i];
                v[i] = B2 * v[i] + (1 - B2) * g[i] * g[i];
                double mhat = m[i] / (1 - Math.pow(B1, t));
                double vhat = v[i] / (1 - Math.pow(B2, t));
                p[i] -= lr * mhat / (Math.sqrt(vhat) + 1e-6);
            }
        }
    }

    @Test
    void defaultNoDecayPredicate() {
        AdamW opt = new AdamW(B1, B2, EPS, 0.01, AdamW.defaultNoDecay());
        assertThat(opt.decays("bert.encoder.layer.0.attention.self.query.weight")).isTrue();
        assertThat(opt.decays("bert.embeddings.word_embeddings.weight")).isTrue();
        assertThat(opt.decays("bert.encoder.layer.0.attention.self.query.bias")).isFalse();
        assertThat(opt.decays("bert.embeddings.LayerNorm.weight")).isFalse();
        assertThat(opt.decays("encoder.layer_norm.gamma")).isFalse();
        assertThat(opt.decays("x.layernorm.beta")).isFalse();
        assertThat(new AdamW(B1, B2, EPS, 0.0, AdamW.defaultNoDecay()).decays("w")).isFalse();
    }

    @Test
    void aLearningRateScaleActsAsThatParametersOwnRateWeightDecayIncluded() {
        double wd = 0.01;
        Map<String, INDArray> grouped = scalarParams();
        AdamW g = new AdamW(B1, B2, EPS, wd, AdamW.defaultNoDecay());
        Map<String, INDArray> fast = scalarParams();
        AdamW f = new AdamW(B1, B2, EPS, wd, AdamW.defaultNoDecay());
        Map<String, INDArray> plain = scalarParams();
        AdamW n = new AdamW(B1, B2, EPS, wd, AdamW.defaultNoDecay());
        for (int t = 0; t < 3; t++) {
            g.step(grouped, scalarGrads(), LR, name -> name.equals("dense.weight") ? 4.0 : 1.0);
            f.step(fast, scalarGrads(), 4 * LR);
            n.step(plain, scalarGrads(), LR);
        }
        assertThat(grouped.get("dense.weight")).isEqualTo(fast.get("dense.weight")); // decay at 4·lr too
        assertThat(grouped.get("dense.bias")).isEqualTo(plain.get("dense.bias"));
        assertThat(grouped.get("encoder.LayerNorm.weight")).isEqualTo(plain.get("encoder.LayerNorm.weight"));
        assertThat(grouped.get("dense.weight")).isNotEqualTo(plain.get("dense.weight"));

        Map<String, INDArray> ones = scalarParams();
        new AdamW(B1, B2, EPS, wd, AdamW.defaultNoDecay()).step(ones, scalarGrads(), LR, name -> 1.0);
        Map<String, INDArray> old = scalarParams();
        new AdamW(B1, B2, EPS, wd, AdamW.defaultNoDecay()).step(old, scalarGrads(), LR);
        assertThat(ones).isEqualTo(old); // a scale of 1 gives the same bits

        Map<String, INDArray> frozen = scalarParams();
        new AdamW(B1, B2, EPS, wd, AdamW.defaultNoDecay()).step(frozen, scalarGrads(), LR, name -> 0.0);
        assertThat(frozen).isEqualTo(scalarParams());
        assertThatThrownBy(() -> new AdamW(B1, B2, EPS, wd, AdamW.defaultNoDecay())
                .step(scalarParams(), scalarGrads(), LR, name -> Double.NaN)).hasMessageContaining("dense.weight");
    }

    @Test
    void missingGradientIsZeroGradient() {
        Map<String, INDArray> a = scalarParams();
        Map<String, INDArray> b = scalarParams();
        Map<String, INDArray> gradsA = scalarGrads();
        gradsA.remove("dense.bias");
        Map<String, INDArray> gradsB = scalarGrads();
        gradsB.put("dense.bias", Nd4j.zeros(DataType.DOUBLE, 1));
        new AdamW(B1, B2, EPS, 0.01, AdamW.defaultNoDecay()).step(a, gradsA, LR);
        new AdamW(B1, B2, EPS, 0.01, AdamW.defaultNoDecay()).step(b, gradsB, LR);
        assertThat(a).isEqualTo(b);
    }

    @Test
    void rejectsMismatchedGradients() {
        AdamW opt = new AdamW(B1, B2, EPS, 0.01, AdamW.defaultNoDecay());
        Map<String, INDArray> p = scalarParams();
        assertThatThrownBy(() -> opt.step(p, Map.of("nope", Nd4j.ones(1)), LR)).hasMessageContaining("nope");
        assertThatThrownBy(() -> opt.step(p, Map.of("dense.weight", Nd4j.ones(DataType.DOUBLE, 3)), LR))
                .hasMessageContaining("dense.weight").hasMessageContaining("[3]");
    }

    @Test
    void stateRoundTripContinuesIdentically() throws IOException {
        Map<String, INDArray> p1 = scalarParams();
        AdamW a = new AdamW(B1, B2, EPS, 0.01, AdamW.defaultNoDecay());
        a.step(p1, scalarGrads(), LR);
        a.step(p1, scalarGrads(), LR);
        Path f = dir.resolve("optimizer.safetensors");
        a.save(f);
        Map<String, INDArray> p2 = new LinkedHashMap<>();
        p1.forEach((k, v) -> p2.put(k, v.dup()));
        AdamW b = new AdamW(B1, B2, EPS, 0.01, AdamW.defaultNoDecay());
        b.load(f, p2);
        assertThat(b.steps()).isEqualTo(2);
        a.step(p1, scalarGrads(), LR);
        b.step(p2, scalarGrads(), LR);
        assertThat(p2).isEqualTo(p1);

        Map<String, INDArray> other = Map.of("other.weight", Nd4j.ones(DataType.DOUBLE, 2));
        assertThatThrownBy(() -> b.load(f, other)).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("optimizer.safetensors").hasMessageContaining("other.weight");
        assertThat(b.steps()).isEqualTo(3); // failed load changed nothing
    }

    private static org.assertj.core.data.Offset<Double> within(double d) {
        return org.assertj.core.data.Offset.offset(d);
    }
}
