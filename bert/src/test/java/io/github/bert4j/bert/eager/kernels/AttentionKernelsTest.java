package io.github.bert4j.bert.eager.kernels;

import io.github.bert4j.bert.BertEncoder;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The Vector API attention kernels against attention composed of ND4J ops in double precision (the
 * composition the eager engine falls back to, itself checked against the SameDiff graph and
 * PyTorch), forward and backward, on shapes that are and are not multiples of the vector width,
 * with and without padding and dropout.
 */
class AttentionKernelsTest {
    private static final DataType F = DataType.FLOAT;
    private static final DataType D = DataType.DOUBLE;

    @Test
    void theTestJvmRunsTheVectorPath() {
        // surefire passes --add-modules jdk.incubator.vector (pom.xml); without it every float32
        // test here and in the parity suites would silently exercise the ND4J fallback only
        assertThat(FusedKernels.VECTOR_API).isTrue();
        assertThat(FusedKernels.vectorAttention(F)).isTrue();
        assertThat(FusedKernels.vectorAttention(D)).isFalse();
    }

    @Test
    void microKernelMultipliesPlainAndTransposedOperands() {
        int m = AttentionKernels.padded(5);
        int k = 7;
        int n = AttentionKernels.padded(3);
        java.util.Random r = new java.util.Random(3);
        float[] a = new float[m * k];
        float[] b = new float[k * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextFloat() - 0.5f;
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = r.nextFloat() - 0.5f;
        }
        float[] c = new float[m * n];
        float[] ct = new float[m * n];
        AttentionKernels.gemm(a, k, 1, b, n, c, n, m, k, n); // A [m,k] row-major
        float[] at = new float[k * m];
        for (int i = 0; i < m; i++) {
            for (int kk = 0; kk < k; kk++) {
                at[kk * m + i] = a[i * k + kk];
            }
        }
        AttentionKernels.gemm(at, 1, m, b, n, ct, n, m, k, n); // the same A, stored transposed
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double want = 0;
                for (int kk = 0; kk < k; kk++) {
                    want += (double) a[i * k + kk] * b[kk * n + j];
                }
                assertThat((double) c[i * n + j]).as("c[%d,%d]", i, j).isCloseTo(want, org.assertj.core.data.Offset.offset(1e-6));
                assertThat(ct[i * n + j]).isEqualTo(c[i * n + j]);
            }
        }
    }

    /** batch, length, heads, head size, padded, dropout. */
    @ParameterizedTest
    @CsvSource({
        "3, 37, 3, 12, true, true", // nothing a multiple of the vector width
        "2, 5, 2, 40, true, false", // head size above the length, length below one tile
        "2, 64, 4, 32, false, false", // exact tiles, inference-like
        "1, 1, 1, 1, false, true", // one token
        "4, 48, 8, 16, false, true",
    })
    void forwardAndBackwardMatchTheNd4jComposition(int b, int t, int heads, int d, boolean padded, boolean dropout) {
        int width = heads * d;
        int n = b * t;
        INDArray q = Nd4j.randn(11, new long[] {n, width}).castTo(F).muli(0.7);
        INDArray k = Nd4j.randn(12, new long[] {n, width}).castTo(F);
        INDArray v = Nd4j.randn(13, new long[] {n, width}).castTo(F);
        INDArray additive = null;
        if (padded) {
            additive = Nd4j.zeros(F, b, t);
            for (int i = 0; i < b; i++) {
                int real = Math.max(1, t - 3 * i - 1); // sequence i has t-3i-1 real tokens
                for (int j = real; j < t; j++) {
                    additive.putScalar(i, j, BertEncoder.MASK_VALUE);
                }
            }
        }
        INDArray mask = null;
        if (dropout) {
            Nd4j.getRandom().setSeed(14);
            mask = Nd4j.rand(F, b, heads, t, t).gt(0.2).castTo(F).muli(1 / 0.8);
        }
        Reference ref = new Reference(q, k, v, additive, mask, b, t, heads, d);

        INDArray probs = Nd4j.create(F, (long) b * heads, t, t);
        INDArray probsDropped = mask == null ? probs : Nd4j.create(F, (long) b * heads, t, t);
        INDArray ctx = Nd4j.create(F, n, width);
        AttentionKernels.forward(q, k, v, additive, mask, probs, mask == null ? null : probsDropped, ctx, b, t, heads, d);
        assertClose(ctx, ref.ctx, 2e-5, "context");
        assertClose(probs, ref.probs, 5e-6, "probabilities"); // float32 scores of size ~10: ~1e-6
        assertClose(probsDropped, ref.probsDropped, 1e-5, "dropped probabilities");

        INDArray inferCtx = Nd4j.create(F, n, width);
        AttentionKernels.forward(q, k, v, additive, null, null, null, inferCtx, b, t, heads, d);
        if (mask == null) {
            assertThat(inferCtx).as("inference keeps nothing and computes the same").isEqualTo(ctx);
        } else {
            assertClose(inferCtx, ref.inferCtx, 2e-5, "inference context");
        }

        INDArray dCtx = Nd4j.randn(15, new long[] {n, width}).castTo(F);
        ref.backward(dCtx);
        INDArray dq = dCtx.dup(); // the encoder writes d q over d ctx
        INDArray dk = Nd4j.create(F, n, width);
        INDArray dv = Nd4j.create(F, n, width);
        AttentionKernels.backward(dq, q, k, v, probs, mask, mask == null ? null : probsDropped, dq, dk, dv, b, t, heads, d);
        assertClose(dv, ref.dv, 2e-5, "d v");
        assertClose(dq, ref.dq, 2e-5, "d q");
        assertClose(dk, ref.dk, 2e-5, "d k");
    }

    private static void assertClose(INDArray actual, INDArray expected, double tol, String what) {
        INDArray a = actual.castTo(D).reshape(expected.shape());
        double scale = Math.max(1.0, expected.amaxNumber().doubleValue());
        double err = Transforms.abs(a.sub(expected)).maxNumber().doubleValue();
        assertThat(err).as("%s: max abs difference (scale %.3g)", what, scale).isLessThan(tol * scale);
    }

    /** Attention composed of ND4J ops in double precision, as in the eager engine's fallback. */
    private static final class Reference {
        final int b;
        final int t;
        final int heads;
        final int d;
        final INDArray qh;
        final INDArray kh;
        final INDArray vh;
        final INDArray mask;
        final INDArray scores;
        final INDArray probs;
        final INDArray probsDropped;
        final INDArray ctx;
        final INDArray inferCtx;
        INDArray dq;
        INDArray dk;
        INDArray dv;

        Reference(INDArray q, INDArray k, INDArray v, INDArray additive, INDArray mask, int b, int t, int heads, int d) {
            this.b = b;
            this.t = t;
            this.heads = heads;
            this.d = d;
            qh = heads(q.castTo(D));
            kh = heads(k.castTo(D));
            vh = heads(v.castTo(D));
            this.mask = mask == null ? null : mask.castTo(D);
            scores = Nd4j.create(D, b, heads, t, t);
            Kernels.bmm(qh, kh, scores, false, true);
            if (additive != null) {
                Kernels.addKeyMask(scores, additive.castTo(D), b, heads, t);
            }
            probs = Nd4j.create(D, b, heads, t, t);
            Kernels.softmaxLastDim(scores, probs);
            probsDropped = mask == null ? probs : probs.mul(this.mask);
            ctx = merge(product(probsDropped, vh));
            inferCtx = merge(product(probs, vh));
        }

        void backward(INDArray dCtx) {
            INDArray dCtxh = heads(dCtx.castTo(D));
            INDArray dPd = Nd4j.create(D, b, heads, t, t);
            Kernels.bmm(dCtxh, vh, dPd, false, true);
            INDArray dvh = Nd4j.create(D, b, heads, t, d);
            Kernels.bmm(probsDropped, dCtxh, dvh, true, false);
            INDArray dP = mask == null ? dPd : dPd.mul(mask);
            INDArray dS = Nd4j.create(D, b, heads, t, t);
            Kernels.softmaxBackward(scores, dP, dS);
            dq = merge(product(dS, kh));
            INDArray dkh = Nd4j.create(D, b, heads, t, d);
            Kernels.bmm(dS, qh, dkh, true, false);
            dk = merge(dkh);
            dv = merge(dvh);
        }

        private INDArray product(INDArray p, INDArray x) {
            INDArray out = Nd4j.create(D, b, heads, t, d);
            Kernels.bmm(p, x, out, false, false);
            return out;
        }

        private INDArray heads(INDArray nh) {
            return nh.reshape('c', b, t, heads, d).permute(0, 2, 1, 3).dup('c');
        }

        private INDArray merge(INDArray h4) {
            return h4.permute(0, 2, 1, 3).dup('c').reshape('c', (long) b * t, (long) heads * d);
        }
    }

    /**
     * The kernels' {@code exp} against double-precision {@code Math.exp} on every 61st float of
     * {@code [-86.98, 88.72]} (about 35 million values, all exponents): relative error at most 1e-7
     * (measured 8.4e-8, 1.01 ulp, on every 7th float); 0 below, +∞ above, NaN for NaN.
     */
    @Test
    void expIsAccurateToAboutAnUlpOverTheFloatRange() {
        var species = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED;
        int lanes = species.length();
        float[] in = new float[lanes];
        float[] out = new float[lanes];
        double maxRel = 0;
        float worst = 0;
        long n = 0;
        for (int sign = 0; sign < 2; sign++) {
            float limit = sign == 0 ? -86.98f : 88.72f;
            int bits = Float.floatToRawIntBits(sign == 0 ? -0f : 0f);
            boolean more = true;
            while (more) {
                for (int i = 0; i < lanes; i++, bits += 61) {
                    float x = Float.intBitsToFloat(bits);
                    if (sign == 0 ? x < limit : x > limit) {
                        x = limit;
                        more = false;
                    }
                    in[i] = x;
                }
                AttentionKernels.exp(jdk.incubator.vector.FloatVector.fromArray(species, in, 0)).intoArray(out, 0);
                for (int i = 0; i < lanes; i++) {
                    double want = Math.exp(in[i]);
                    double rel = Math.abs(out[i] - want) / want;
                    if (!(rel <= maxRel)) {
                        maxRel = rel;
                        worst = in[i];
                    }
                }
                n += lanes;
            }
        }
        assertThat(n).isGreaterThan(30_000_000L);
        assertThat(maxRel).as("max relative error, at x = %s", worst).isLessThanOrEqualTo(1e-7);
        float[] special = {0f, -0f, Float.NEGATIVE_INFINITY, -1000f, -87.5f, 88.73f, 1000f, Float.POSITIVE_INFINITY, Float.NaN,
            -1e-30f, 1e-30f, -10000f, 1f, -1f, 0.5f, -0.5f};
        float[] want = {1f, 1f, 0f, 0f, 0f, Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY, Float.NaN,
            1f, 1f, 0f, (float) Math.E, (float) (1 / Math.E), (float) Math.exp(0.5), (float) Math.exp(-0.5)};
        float[] got = new float[special.length];
        float[] buf = new float[Math.max(lanes, special.length) + lanes];
        System.arraycopy(special, 0, buf, 0, special.length);
        float[] res = new float[buf.length];
        for (int off = 0; off < special.length; off += lanes) {
            AttentionKernels.exp(jdk.incubator.vector.FloatVector.fromArray(species, buf, off)).intoArray(res, off);
        }
        System.arraycopy(res, 0, got, 0, special.length);
        for (int i = 0; i < special.length; i++) {
            assertThat(Float.valueOf(got[i])).as("exp(%s)", special[i]).isEqualTo(Float.valueOf(want[i])); // NaN equals NaN
        }
    }

    /** Lane sums and maxima in a fixed pairwise order, equal to the same order in scalar code. */
    @Test
    void laneReductionsAddInAFixedPairwiseOrder() {
        var species = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED;
        int lanes = species.length();
        java.util.Random r = new java.util.Random(4);
        float[] x = new float[lanes];
        float[] scratch = new float[lanes];
        for (int trial = 0; trial < 1000; trial++) {
            for (int i = 0; i < lanes; i++) {
                x[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(9) - 4));
            }
            float[] w = x.clone();
            float max = Float.NEGATIVE_INFINITY;
            for (float v : x) {
                max = Math.max(max, v);
            }
            for (int half = lanes / 2; half > 0; half /= 2) {
                for (int i = 0; i < half; i++) {
                    w[i] += w[i + half];
                }
            }
            var v = jdk.incubator.vector.FloatVector.fromArray(species, x, 0);
            assertThat(AttentionKernels.sumLanes(v, scratch)).isEqualTo(w[0]);
            assertThat(AttentionKernels.maxLanes(v, scratch)).isEqualTo(max);
        }
    }
}
