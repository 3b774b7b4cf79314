package io.github.bert4j.bert.eager.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Erf;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The fused Java kernels against the ND4J compositions they replace (same inputs, float32), and
 * the GELU's rational erf against the exact function computed in double precision.
 */
class FusedKernelsTest {
    private static final DataType F = DataType.FLOAT;

    private static double maxAbsDiff(INDArray a, INDArray b) {
        return Transforms.abs(a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE))).maxNumber().doubleValue();
    }

    private static INDArray randn(long seed, long... shape) {
        return Nd4j.randn(seed, shape).castTo(F);
    }

    @Test
    void onlyContiguousFloatArraysThatOwnTheirBufferQualify() {
        INDArray a = Nd4j.create(F, 40, 16);
        assertThat(FusedKernels.applies(a, null, Nd4j.create(F, 40, 1))).isTrue();
        assertThat(FusedKernels.applies(Nd4j.create(DataType.DOUBLE, 40, 16))).isFalse();
        assertThat(FusedKernels.applies(a.get(NDArrayIndex.interval(1, 40), NDArrayIndex.all()))).isFalse();
        assertThat(FusedKernels.applies(Nd4j.create(F, new long[] {40, 16}, 'f'))).isFalse();
        assertThat(FusedKernels.applies(a, a.transpose())).isFalse();
    }

    @Test
    void rowRangesCoverEveryRowOnce() {
        for (int rows : new int[] {0, 1, 31, 64, 1001}) {
            AtomicIntegerArray seen = new AtomicIntegerArray(Math.max(rows, 1));
            int[] parts = new int[FusedKernels.parts(rows)];
            FusedKernels.forRows(rows, (part, from, to) -> {
                parts[part]++;
                for (int i = from; i < to; i++) {
                    seen.incrementAndGet(i);
                }
            });
            for (int i = 0; i < rows; i++) {
                assertThat(seen.get(i)).as("row %d of %d", i, rows).isEqualTo(1);
            }
            assertThat(parts).containsOnly(1);
        }
    }

    /** Every combination of bias, dropout mask and residual; 300 rows (split over threads) of width 37 (not a multiple of 8). */
    @Test
    void layerNormMatchesTheNd4jComposition() {
        int n = 300;
        int h = 37;
        INDArray gamma = randn(2, h).addi(1.0);
        INDArray beta = randn(3, h);
        Nd4j.getRandom().setSeed(4);
        INDArray mask = Nd4j.rand(F, n, h).gt(0.1).castTo(F).muli(1 / 0.9);
        for (int combo = 0; combo < 8; combo++) {
            INDArray bias = (combo & 1) != 0 ? randn(5, h) : null;
            INDArray m = (combo & 2) != 0 ? mask : null;
            INDArray residual = (combo & 4) != 0 ? randn(6, n, h) : null;
            INDArray z = randn(7 + combo, n, h).muli(3).addi(1.5);
            INDArray xhat = Nd4j.create(F, n, h);
            INDArray rstd = Nd4j.create(F, n, 1);
            INDArray y = Nd4j.create(F, n, h);
            INDArray zCopy = z.dup();
            FusedKernels.layerNorm(z, bias, m, residual, gamma, beta, 1e-12, xhat, rstd, y);
            assertThat(z).as("z is not modified").isEqualTo(zCopy);
            INDArray xhatRef = Nd4j.create(F, n, h);
            INDArray rstdRef = Nd4j.create(F, n, 1);
            INDArray yRef = Nd4j.create(F, n, h);
            Kernels.layerNormNd4j(zCopy, bias, m, residual, gamma, beta, 1e-12, xhatRef, rstdRef, yRef, Nd4j.create(F, n, h));
            assertThat(maxAbsDiff(y, yRef)).as("y, combination %d", combo).isLessThan(2e-5);
            assertThat(maxAbsDiff(xhat, xhatRef)).as("xhat, combination %d", combo).isLessThan(2e-5);
            assertThat(maxAbsDiff(rstd.div(rstdRef), Nd4j.ones(F, n, 1))).as("rstd, combination %d", combo).isLessThan(2e-6);
            // without xhat and rstd (inference): the same output
            INDArray y2 = Nd4j.create(F, n, h);
            FusedKernels.layerNorm(z, bias, m, residual, gamma, beta, 1e-12, null, null, y2);
            assertThat(y2).isEqualTo(y);
        }
    }

    @Test
    void embeddingsAndTheirLayerNormMatchTheLookupsAndTheNd4jComposition() {
        int b = 45;
        int t = 7;
        int h = 37;
        INDArray word = randn(51, 50, h);
        INDArray position = randn(52, 16, h);
        INDArray type = randn(53, 2, h);
        INDArray gamma = randn(54, h).addi(1.0);
        INDArray beta = randn(55, h);
        java.util.Random r = new java.util.Random(56);
        int[] ids = new int[b * t];
        int[] types = new int[b * t];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = r.nextInt(50);
            types[i] = r.nextInt(2);
        }
        INDArray xhat = Nd4j.create(F, b * t, h);
        INDArray rstd = Nd4j.create(F, b * t, 1);
        INDArray y = Nd4j.create(F, b * t, h);
        FusedKernels.embeddingLayerNorm(word, position, type, ids, types, t, gamma, beta, 1e-12, xhat, rstd, y);
        INDArray e = EmbeddingLookup.forward(word, position, ids, b, t).addi(EmbeddingLookup.rows(type, types));
        INDArray xhatRef = Nd4j.create(F, b * t, h);
        INDArray rstdRef = Nd4j.create(F, b * t, 1);
        INDArray yRef = Nd4j.create(F, b * t, h);
        Kernels.layerNormNd4j(e, null, null, null, gamma, beta, 1e-12, xhatRef, rstdRef, yRef, Nd4j.create(F, b * t, h));
        assertThat(maxAbsDiff(y, yRef)).isLessThan(2e-5);
        assertThat(maxAbsDiff(xhat, xhatRef)).isLessThan(2e-5);
        assertThat(maxAbsDiff(rstd.div(rstdRef), Nd4j.ones(F, b * t, 1))).isLessThan(2e-6);
    }

    @Test
    void layerNormBackwardMatchesTheNd4jCompositionAlsoInPlace() {
        int n = 300;
        int h = 37;
        INDArray r = randn(11, n, h).muli(2).addi(0.5);
        INDArray gamma = randn(12, h).addi(1.0);
        INDArray xhat = Nd4j.create(F, n, h);
        INDArray rstd = Nd4j.create(F, n, 1);
        Kernels.layerNormNd4j(r, null, null, null, gamma, Nd4j.zeros(F, h), 1e-12, xhat, rstd, Nd4j.create(F, n, h),
                Nd4j.create(F, n, h));
        INDArray dy = randn(13, n, h);
        INDArray outRef = Nd4j.create(F, n, h);
        AffineGradients ref = Kernels.layerNormBackwardNd4j(dy, xhat, rstd, gamma, outRef, Nd4j.create(F, n, h));
        INDArray out = Nd4j.create(F, n, h);
        AffineGradients ours = FusedKernels.layerNormBackward(dy, xhat, rstd, gamma, out);
        assertThat(maxAbsDiff(out, outRef)).isLessThan(2e-5);
        INDArray[][] pairs = {{ours.weight(), ref.weight()}, {ours.bias(), ref.bias()}};
        for (INDArray[] pair : pairs) {
            double scale = pair[1].castTo(DataType.DOUBLE).amaxNumber().doubleValue();
            assertThat(maxAbsDiff(pair[0].reshape(h), pair[1].reshape(h)) / scale).isLessThan(1e-5);
        }
        // in place, as the encoder calls it
        INDArray inPlace = dy.dup();
        FusedKernels.layerNormBackward(inPlace, xhat, rstd, gamma, inPlace);
        assertThat(inPlace).isEqualTo(out);
    }

    /** Exact GELU in double precision (ND4J's double erf) and its derivative Φ(v) + v φ(v). */
    private static INDArray[] exactGelu(INDArray v) {
        INDArray vd = v.castTo(DataType.DOUBLE);
        INDArray phi = vd.mul(1 / Math.sqrt(2));
        Nd4j.exec(new Erf(phi, phi));
        phi.addi(1).muli(0.5);
        INDArray density = Transforms.exp(vd.mul(vd).muli(-0.5), true).muli(1 / Math.sqrt(2 * Math.PI));
        return new INDArray[] {vd.mul(phi), phi.add(vd.mul(density))};
    }

    @Test
    void geluIsTheExactGeluToAFewUlpForwardAndBackward() {
        int n = 61;
        int w = 101; // v from -15 to 15 (bias included), the tails far past the clamp
        INDArray v = Nd4j.linspace(-15, 15, (long) n * w, DataType.DOUBLE).reshape(n, w).castTo(F);
        INDArray bias = randn(21, w).muli(0.1);
        INDArray f = v.subRowVector(bias);
        INDArray act = Nd4j.create(F, n, w);
        INDArray fKept = f.dup();
        FusedKernels.biasGelu(fKept, bias, act, true);
        assertThat(maxAbsDiff(fKept, f.addRowVector(bias))).as("keep writes f + bias back").isLessThan(1e-6);
        INDArray fLeft = f.dup();
        FusedKernels.biasGelu(fLeft, bias, Nd4j.create(F, n, w), false);
        assertThat(fLeft).as("without keep f is left alone").isEqualTo(f);
        INDArray[] exact = exactGelu(fKept);
        INDArray tolerance = Transforms.abs(fKept.castTo(DataType.DOUBLE), true).addi(1).muli(1e-6);
        assertThat(Transforms.abs(act.castTo(DataType.DOUBLE).sub(exact[0])).sub(tolerance).maxNumber().doubleValue())
                .as("|GELU error| <= 1e-6 (1 + |v|)").isLessThanOrEqualTo(0.0);
        INDArray d = Nd4j.ones(F, n, w);
        FusedKernels.geluBackward(fKept, d);
        assertThat(Transforms.abs(d.castTo(DataType.DOUBLE).sub(exact[1])).sub(tolerance).maxNumber().doubleValue())
                .as("|GELU' error| <= 1e-6 (1 + |v|)").isLessThanOrEqualTo(0.0);
    }

    @Test
    void geluBackwardIsTheDerivativeOfTheForwardAndScalesTheIncomingGradient() {
        int w = 64;
        INDArray v = Nd4j.linspace(-7, 7, w, DataType.DOUBLE).reshape(1, w).castTo(F);
        double h = 1e-2;
        INDArray plus = Nd4j.create(F, 1, w);
        INDArray minus = Nd4j.create(F, 1, w);
        FusedKernels.biasGelu(v.add(h), null, plus, false);
        FusedKernels.biasGelu(v.sub(h), null, minus, false);
        INDArray fd = plus.castTo(DataType.DOUBLE).sub(minus.castTo(DataType.DOUBLE)).divi(2 * h);
        INDArray upstream = randn(31, 1, w);
        INDArray d = upstream.dup();
        FusedKernels.geluBackward(v, d);
        assertThat(maxAbsDiff(d, fd.mul(upstream.castTo(DataType.DOUBLE)))).isLessThan(1e-3);
        // far tails: GELU is v on the right and 0 on the left, GELU' 1 and 0
        INDArray tails = Nd4j.createFromArray(new float[][] {{1e6f, -1e6f, 40f, -40f}});
        INDArray act = Nd4j.create(F, 1, 4);
        FusedKernels.biasGelu(tails.dup(), null, act, false);
        assertThat(act.toFloatVector()).containsExactly(1e6f, -0f, 40f, -0f);
        INDArray dt = Nd4j.ones(F, 1, 4);
        FusedKernels.geluBackward(tails, dt);
        assertThat(dt.toFloatVector()).containsExactly(1f, 0f, 1f, 0f);
    }

    @Test
    void kernelsDispatchToTheFusedPathForFloatAndAgreeWithTheComposedPath() {
        int n = 128;
        int h = 16;
        int i = 32;
        INDArray x = randn(41, n, h);
        INDArray w = randn(42, i, h).muli(0.3);
        INDArray b = randn(43, i);
        INDArray f = Nd4j.create(F, n, i);
        INDArray act = Nd4j.create(F, n, i);
        Kernels.linearGelu(x, w, b, f, act, null, true);
        INDArray fRef = Nd4j.create(F, n, i);
        Kernels.linear(x, w, b, fRef);
        INDArray actRef = Nd4j.create(F, n, i);
        Kernels.geluForward(fRef, actRef, Nd4j.create(F, n, i));
        assertThat(maxAbsDiff(f, fRef)).isLessThan(1e-5);
        assertThat(maxAbsDiff(act, actRef)).isLessThan(1e-5);
        INDArray d = randn(44, n, i);
        INDArray dRef = d.dup();
        Kernels.geluBackward(f, null, d, Nd4j.create(F, n, i));
        Kernels.geluBackwardNd4j(fRef, null, dRef, Nd4j.create(F, n, i));
        assertThat(maxAbsDiff(d, dRef)).isLessThan(1e-5);
    }
}
