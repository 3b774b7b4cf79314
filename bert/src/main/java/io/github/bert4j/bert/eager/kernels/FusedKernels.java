package io.github.bert4j.bert.eager.kernels;

import java.nio.FloatBuffer;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Row-wise fused kernels in plain Java for the float32 hot spots of {@link Kernels} on the CPU
 * backend: LayerNorm with its bias, dropout and residual inputs folded in, its backward pass, and
 * the exact GELU with its bias, forward and backward. ND4J runs each element-wise step as a
 * separate pass over arrays far larger than the caches (a LayerNorm was ~12 passes, ~10 ms at 64 ×
 * 128 × 256); these kernels read each row once into a small heap array, do every step there (loops
 * the JIT vectorises) and write the results once: a LayerNorm with bias and residual runs in ~1.5
 * ms. Rows are split over {@link #THREADS} threads.
 *
 * <p>{@link #applies} says whether an array qualifies (float32, contiguous, not a view, on the CPU
 * backend, and {@code -Dbert4j.fusedKernels=false} not given); {@link Kernels} falls back to its
 * ND4J compositions otherwise: double precision (so the gradient checks exercise the ND4J
 * reference), other backends, views. Tests compare both on the same inputs.
 *
 * <p>The GELU's {@code erf} is a rational approximation {@code erf(x) ≈ x P(x²) / Q(x²)} on
 * {@code [-4, 4]} ({@code ±1} beyond, where float32 erf is ±1 anyway), fitted by us (weighted
 * least squares on Chebyshev nodes): max abs error 4.2e-7 over the real line in float32
 * arithmetic, a few ulp, and no {@code exp}, which the JIT cannot vectorise. The backward pass uses
 * the exact derivative of that approximation (max abs error 2.3e-6 against {@code 2/√π e^{-x²}}),
 * so the gradient is that of the function computed.
 */
public final class FusedKernels {
    private static final boolean ENABLED = !"false".equalsIgnoreCase(System.getProperty("bert4j.fusedKernels"));
    /**
     * Threads the kernels split rows over: {@code -Dbert4j.kernelThreads}, or ND4J's thread count
     * capped at the available processors.
     */
    public static final int THREADS = Math.max(1, Integer.getInteger("bert4j.kernelThreads",
            Math.min(Runtime.getRuntime().availableProcessors(), ompThreads())));
    private static final ForkJoinPool POOL = new ForkJoinPool(THREADS);
    /** Below this many rows per thread, splitting costs more than it saves. */
    private static final int MIN_ROWS_PER_THREAD = 32;

    // erf(x) ≈ x P(t) / Q(t), t = x², |x| ≤ 4
    private static final float P0 = 1.1283785643563158f;
    private static final float P1 = 0.2204551855671518f;
    private static final float P2 = 0.05331501322016742f;
    private static final float P3 = 0.004571072749376557f;
    private static final float P4 = 1.6220177214226026e-4f;
    private static final float P5 = -2.0137856909537803e-6f;
    private static final float P6 = 1.903371241235226e-8f;
    private static final float Q1 = 0.5286996189513901f;
    private static final float Q2 = 0.12350848250190792f;
    private static final float Q3 = 0.016116037128787397f;
    private static final float Q4 = 0.0011653463955769196f;
    // N(t) = P'(t) Q(t) - P(t) Q'(t), the numerator of (P/Q)'
    private static final float[] N = derivativeNumerator();
    private static final float N0 = N[0];
    private static final float N1 = N[1];
    private static final float N2 = N[2];
    private static final float N3 = N[3];
    private static final float N4 = N[4];
    private static final float N5 = N[5];
    private static final float N6 = N[6];
    private static final float N7 = N[7];
    private static final float N8 = N[8];
    private static final float N9 = N[9];
    private static final float ERF_CLAMP = 4f;
    private static final float INV_SQRT2 = (float) (1.0 / Math.sqrt(2.0));

    private FusedKernels() {}

    /** Coefficients of {@code N = P'Q - PQ'} (degree 9), computed in double from those of P and Q. */
    private static float[] derivativeNumerator() {
        double[] p = {P0, P1, P2, P3, P4, P5, P6};
        double[] q = {1, Q1, Q2, Q3, Q4};
        double[] n = new double[p.length + q.length - 2];
        for (int i = 0; i < p.length; i++) {
            for (int k = 0; k < q.length; k++) {
                if (i > 0) {
                    n[i - 1 + k] += i * p[i] * q[k];
                }
                if (k > 0) {
                    n[i + k - 1] -= k * p[i] * q[k];
                }
            }
        }
        float[] f = new float[n.length];
        for (int i = 0; i < n.length; i++) {
            f[i] = (float) n[i];
        }
        return f;
    }

    private static int ompThreads() {
        try {
            return Nd4j.getEnvironment().maxThreads();
        } catch (RuntimeException e) {
            return Runtime.getRuntime().availableProcessors();
        }
    }

    /** Whether the Vector API kernels are wanted (not turned off by a property), whether or not the module is there. */
    public static final boolean VECTOR_WANTED = ENABLED && !"false".equalsIgnoreCase(System.getProperty("bert4j.vectorKernels"));
    /**
     * Whether the Java Vector API is there for {@link AttentionKernels}: the JVM was started with
     * {@code --add-modules jdk.incubator.vector} (an incubator module is not resolved otherwise),
     * and neither {@code -Dbert4j.fusedKernels=false} nor {@code -Dbert4j.vectorKernels=false} was given.
     */
    public static final boolean VECTOR_API = VECTOR_WANTED && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    /** Whether attention runs in {@link AttentionKernels} for arrays of this type on this backend. */
    public static boolean vectorAttention(DataType type) {
        return VECTOR_API && enabledFor(type);
    }

    /** Whether the kernels may run on arrays of this type on this backend (see the class comment). */
    public static boolean enabledFor(DataType type) {
        return ENABLED && type == DataType.FLOAT && Nd4j.getEnvironment().isCPU();
    }

    /** Whether every non-null array is float32, C-ordered, contiguous and owns its buffer, on the CPU backend. */
    public static boolean applies(INDArray... arrays) {
        if (!ENABLED || !Nd4j.getEnvironment().isCPU()) {
            return false;
        }
        for (INDArray a : arrays) {
            if (a != null && (a.dataType() != DataType.FLOAT || a.isView() || a.ordering() != 'c'
                    || a.length() != a.data().length() || a.length() >= Integer.MAX_VALUE)) {
                return false;
            }
        }
        return true;
    }

    /** Rows {@code [from, to)} of a kernel, the {@code part}-th of {@link #parts} ranges. */
    @FunctionalInterface
    interface RowRange {
        void run(int part, int from, int to);
    }

    /** How many ranges {@link #forRows} splits {@code rows} rows into. */
    public static int parts(int rows) {
        return Math.min(THREADS, Math.max(1, rows / MIN_ROWS_PER_THREAD));
    }

    /** Runs {@code body} over {@code rows} rows, split into {@link #parts} contiguous ranges over the kernel threads. */
    public static void forRows(int rows, RowRange body) {
        forParts(rows, parts(rows), body);
    }

    /** Runs {@code body} over {@code rows} rows (or work units), split into {@code parts} contiguous ranges. */
    public static void forParts(int rows, int parts, RowRange body) {
        if (parts == 1) {
            body.run(0, 0, rows);
            return;
        }
        ForkJoinTask<?> task = POOL.submit(() -> IntStream.range(0, parts).parallel()
                .forEach(i -> body.run(i, (int) ((long) rows * i / parts), (int) ((long) rows * (i + 1) / parts))));
        task.join();
    }

    /** A view of {@code a}'s memory of its own (one per thread: buffers are not for sharing), or null. */
    public static FloatBuffer buf(INDArray a) {
        return a == null ? null : a.data().asNioFloat().duplicate();
    }

    private static float[] vec(INDArray a) {
        return a == null ? null : floats(a);
    }

    /**
     * The elements of {@code a} in C order as a heap array: read straight from its buffer when it is
     * contiguous (no native copy per call), through a copy that is closed at once otherwise.
     */
    public static float[] floats(INDArray a) {
        if (a.dataType() == DataType.FLOAT && a.ordering() == 'c' && !a.isView() && a.length() == a.data().length()) {
            float[] out = new float[(int) a.length()];
            buf(a).get(0, out, 0, out.length);
            return out;
        }
        try (INDArray c = a.castTo(DataType.FLOAT).dup('c')) {
            return c.data().asFloat();
        }
    }

    /**
     * {@code y = LayerNorm(z [+ bias] [⊙ mask] [+ residual])} over the rows of {@code [N,H]}
     * arrays, as {@link Kernels#layerNorm}: biased variance, {@code rstd = 1/sqrt(var + eps)}.
     * With {@code xhat} and {@code rstd} non-null, keeps them for the backward pass ({@code
     * [N,H]}, {@code [N,1]}). {@code bias}, {@code gamma}, {@code beta}: {@code [H]}.
     */
    public static void layerNorm(INDArray z, INDArray bias, INDArray mask, INDArray residual, INDArray gamma, INDArray beta,
            double eps, INDArray xhat, INDArray rstd, INDArray y) {
        int h = (int) z.size(1);
        float[] b = vec(bias);
        float[] g = vec(gamma);
        float[] be = vec(beta);
        forRows((int) z.size(0), (part, from, to) -> {
            FloatBuffer zt = buf(z);
            FloatBuffer mt = buf(mask);
            FloatBuffer rt = buf(residual);
            FloatBuffer xt = buf(xhat);
            FloatBuffer st = buf(rstd);
            FloatBuffer yt = buf(y);
            float[] r = new float[h];
            float[] u = new float[h];
            for (int i = from; i < to; i++) {
                int off = i * h;
                zt.get(off, r, 0, h);
                if (b != null) {
                    for (int j = 0; j < h; j++) {
                        r[j] += b[j];
                    }
                }
                if (mt != null) {
                    mt.get(off, u, 0, h);
                    for (int j = 0; j < h; j++) {
                        r[j] *= u[j];
                    }
                }
                if (rt != null) {
                    rt.get(off, u, 0, h);
                    for (int j = 0; j < h; j++) {
                        r[j] += u[j];
                    }
                }
                normalize(r, u, g, be, eps, h, off, i, xt, st, yt);
            }
        });
    }

    /**
     * The LayerNorm of one row {@code r} (overwritten with {@code xhat}; {@code u} is scratch)
     * written at {@code off}: {@code y}, and {@code xhat} and {@code rstd} (row {@code i}) when
     * their buffers are non-null.
     */
    private static void normalize(float[] r, float[] u, float[] g, float[] be, double eps, int h, int off, int i,
            FloatBuffer xt, FloatBuffer st, FloatBuffer yt) {
        float mean = sum(r, h) / h;
        for (int j = 0; j < h; j++) {
            float v = r[j] - mean;
            r[j] = v;
            u[j] = v * v;
        }
        float rs = (float) (1.0 / Math.sqrt(sum(u, h) / h + eps));
        for (int j = 0; j < h; j++) {
            float v = r[j] * rs;
            r[j] = v;
            u[j] = v * g[j] + be[j];
        }
        if (xt != null) {
            xt.put(off, r, 0, h);
            st.put(i, rs);
        }
        yt.put(off, u, 0, h);
    }

    /**
     * BERT's embeddings and their LayerNorm in one pass: row {@code n} of {@code y} is {@code
     * LayerNorm(word[ids[n]] + position[n mod t] + tokenType[types[n]])}, {@code [N,H]}; ids are
     * checked by the caller. {@code xhat} and {@code rstd} as in {@link #layerNorm}.
     */
    public static void embeddingLayerNorm(INDArray word, INDArray position, INDArray tokenType, int[] ids, int[] types, int t,
            INDArray gamma, INDArray beta, double eps, INDArray xhat, INDArray rstd, INDArray y) {
        int h = (int) word.size(1);
        float[] pos = new float[t * h]; // [t*H]: the first t rows of the (contiguous, C-ordered) table
        if (applies(position)) {
            buf(position).get(0, pos, 0, pos.length);
        } else {
            System.arraycopy(floats(position), 0, pos, 0, pos.length);
        }
        float[] typ = floats(tokenType); // [types*H]
        float[] g = vec(gamma);
        float[] be = vec(beta);
        forRows(ids.length, (part, from, to) -> {
            FloatBuffer wt = buf(word);
            FloatBuffer xt = buf(xhat);
            FloatBuffer st = buf(rstd);
            FloatBuffer yt = buf(y);
            float[] r = new float[h];
            float[] u = new float[h];
            for (int i = from; i < to; i++) {
                wt.get(ids[i] * h, r, 0, h);
                int po = (i % t) * h;
                int to2 = types[i] * h;
                for (int j = 0; j < h; j++) {
                    r[j] += pos[po + j];
                }
                for (int j = 0; j < h; j++) {
                    r[j] += typ[to2 + j];
                }
                normalize(r, u, g, be, eps, h, i * h, i, xt, st, yt);
            }
        });
    }

    /**
     * LayerNorm backward, as {@link Kernels#layerNormBackward}: {@code out = rstd * (dxhat -
     * mean(dxhat) - xhat * mean(dxhat * xhat))} with {@code dxhat = dy * γ} ({@code out} may be
     * {@code dy}); returns γ's gradient {@code Σ dy ⊙ xhat} and β's {@code Σ dy}.
     */
    public static AffineGradients layerNormBackward(INDArray dy, INDArray xhat, INDArray rstd, INDArray gamma,
            INDArray out) {
        int n = (int) dy.size(0);
        int h = (int) dy.size(1);
        float[] g = vec(gamma);
        int parts = parts(n);
        double[][] dGamma = new double[parts][h];
        double[][] dBeta = new double[parts][h];
        forRows(n, (part, from, to) -> {
            FloatBuffer dt = buf(dy);
            FloatBuffer xt = buf(xhat);
            FloatBuffer st = buf(rstd);
            FloatBuffer ot = buf(out);
            float[] a = new float[h];
            float[] x = new float[h];
            float[] u = new float[h];
            float[] accGamma = new float[h];
            float[] accBeta = new float[h];
            for (int i = from; i < to; i++) {
                int off = i * h;
                dt.get(off, a, 0, h);
                xt.get(off, x, 0, h);
                float rs = st.get(i);
                for (int j = 0; j < h; j++) {
                    accBeta[j] += a[j];
                    accGamma[j] += a[j] * x[j];
                }
                for (int j = 0; j < h; j++) {
                    a[j] *= g[j];
                    u[j] = a[j] * x[j];
                }
                float m1 = sum(a, h) / h;
                float m2 = sum(u, h) / h;
                for (int j = 0; j < h; j++) {
                    a[j] = rs * (a[j] - m1 - x[j] * m2);
                }
                ot.put(off, a, 0, h);
                if ((i - from) % 64 == 63 || i == to - 1) { // flush float partial sums into double
                    flush(accGamma, dGamma[part]);
                    flush(accBeta, dBeta[part]);
                }
            }
        });
        INDArray beta = reduce(dBeta, h);
        return new AffineGradients(reduce(dGamma, h), beta);
    }

    private static void flush(float[] acc, double[] total) {
        for (int j = 0; j < acc.length; j++) {
            total[j] += acc[j];
            acc[j] = 0f;
        }
    }

    private static INDArray reduce(double[][] parts, int h) {
        float[] out = new float[h];
        for (int j = 0; j < h; j++) {
            double s = 0;
            for (double[] p : parts) {
                s += p[j];
            }
            out[j] = (float) s;
        }
        return Nd4j.createFromArray(out);
    }

    /**
     * Exact GELU with its bias: {@code act = v Φ(v)}, {@code v = f + bias}, {@code Φ(v) = (1 +
     * erf(v/√2))/2}. With {@code keep}, writes {@code v} back into {@code f} for {@link
     * #geluBackward}; otherwise {@code f} is left as it was.
     */
    public static void biasGelu(INDArray f, INDArray bias, INDArray act, boolean keep) {
        int w = (int) f.size(1);
        float[] b = vec(bias);
        forRows((int) f.size(0), (part, from, to) -> {
            FloatBuffer ft = buf(f);
            FloatBuffer at = buf(act);
            float[] v = new float[w];
            float[] phi = new float[w];
            for (int i = from; i < to; i++) {
                int off = i * w;
                ft.get(off, v, 0, w);
                cdf(v, b, phi, w);
                for (int j = 0; j < w; j++) {
                    phi[j] *= v[j];
                }
                if (keep) {
                    ft.put(off, v, 0, w);
                }
                at.put(off, phi, 0, w);
            }
        });
    }

    /**
     * {@code v += bias} (when non-null) and {@code phi = Φ(v)} through the rational erf. Kept apart
     * from the product with {@code v}: a loop with the clamp and a second store is not vectorised.
     */
    private static void cdf(float[] v, float[] bias, float[] phi, int w) {
        if (bias != null) {
            for (int j = 0; j < w; j++) {
                v[j] += bias[j];
            }
        }
        for (int j = 0; j < w; j++) {
            float x = Math.min(Math.max(v[j] * INV_SQRT2, -ERF_CLAMP), ERF_CLAMP);
            float t = x * x;
            float p = (((((P6 * t + P5) * t + P4) * t + P3) * t + P2) * t + P1) * t + P0;
            float q = (((Q4 * t + Q3) * t + Q2) * t + Q1) * t + 1f;
            phi[j] = Math.min(1f, Math.max(0f, 0.5f + 0.5f * (x * p / q))); // E(±4) is ±(1 + 1e-7)
        }
    }

    /**
     * {@code dAct *= GELU'(f) = Φ(f) + f Φ'(f)} in place, {@code f} the pre-activation (bias
     * included) that {@link #biasGelu} kept; {@code Φ'} is the derivative of the same rational
     * approximation (0 where the clamp holds).
     */
    public static void geluBackward(INDArray f, INDArray dAct) {
        int w = (int) f.size(1);
        forRows((int) f.size(0), (part, from, to) -> {
            FloatBuffer ft = buf(f);
            FloatBuffer dt = buf(dAct);
            float[] v = new float[w];
            float[] d = new float[w];
            float[] gr = new float[w];
            float[] s1 = new float[w];
            float[] s2 = new float[w];
            float[] s3 = new float[w];
            for (int i = from; i < to; i++) {
                int off = i * w;
                ft.get(off, v, 0, w);
                dt.get(off, d, 0, w);
                geluDerivative(v, gr, s1, s2, s3, w);
                for (int j = 0; j < w; j++) {
                    d[j] *= gr[j];
                }
                dt.put(off, d, 0, w);
            }
        });
    }

    /**
     * {@code out = GELU'(v) = Φ(v) + v Φ'(v)} with {@code E(x) = x R(t)}, {@code R = P/Q}, {@code t
     * = x²}: {@code E'(x) = R + 2t R'(t)}, {@code R' = N/Q²}, {@code N = P'Q - PQ'}. Split into
     * short loops over the row ({@code x}, {@code r}, {@code u} are scratch of its width): the JIT
     * vectorises each of them, and none of them as one loop.
     */
    private static void geluDerivative(float[] v, float[] out, float[] x, float[] r, float[] u, int w) {
        for (int j = 0; j < w; j++) {
            x[j] = Math.min(Math.max(v[j] * INV_SQRT2, -ERF_CLAMP), ERF_CLAMP);
        }
        for (int j = 0; j < w; j++) {
            float t = x[j] * x[j];
            float p = (((((P6 * t + P5) * t + P4) * t + P3) * t + P2) * t + P1) * t + P0;
            float q = (((Q4 * t + Q3) * t + Q2) * t + Q1) * t + 1f;
            r[j] = p / q;
        }
        for (int j = 0; j < w; j++) {
            float t = x[j] * x[j];
            u[j] = ((((((((N9 * t + N8) * t + N7) * t + N6) * t + N5) * t + N4) * t + N3) * t + N2) * t + N1) * t + N0;
        }
        for (int j = 0; j < w; j++) {
            float t = x[j] * x[j];
            float q = (((Q4 * t + Q3) * t + Q2) * t + Q1) * t + 1f;
            u[j] = r[j] + 2f * t * (u[j] / (q * q)); // E'(x)
        }
        for (int j = 0; j < w; j++) { // 0 where the clamp holds
            float xr = v[j] * INV_SQRT2;
            u[j] *= Math.min(1f, Math.max(0f, (ERF_CLAMP * ERF_CLAMP - xr * xr) * 1e30f));
        }
        for (int j = 0; j < w; j++) {
            float cdf = Math.min(1f, Math.max(0f, 0.5f + 0.5f * (x[j] * r[j])));
            out[j] = cdf + v[j] * (0.5f * INV_SQRT2) * u[j];
        }
    }

    /** Sum of {@code x[0..n)} with eight partial sums (for instruction-level parallelism). */
    private static float sum(float[] x, int n) {
        float a0 = 0;
        float a1 = 0;
        float a2 = 0;
        float a3 = 0;
        float a4 = 0;
        float a5 = 0;
        float a6 = 0;
        float a7 = 0;
        int j = 0;
        for (; j + 8 <= n; j += 8) {
            a0 += x[j];
            a1 += x[j + 1];
            a2 += x[j + 2];
            a3 += x[j + 3];
            a4 += x[j + 4];
            a5 += x[j + 5];
            a6 += x[j + 6];
            a7 += x[j + 7];
        }
        for (; j < n; j++) {
            a0 += x[j];
        }
        return ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7));
    }
}
