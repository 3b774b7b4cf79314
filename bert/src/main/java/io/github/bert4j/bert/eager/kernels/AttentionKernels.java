package io.github.bert4j.bert.eager.kernels;

import java.nio.FloatBuffer;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Multi-head self-attention of one layer, forward and backward, in float32 Java on the CPU, written
 * with the Java Vector API ({@code jdk.incubator.vector}). ND4J 1.0.0-M2.1 runs the batched {@code
 * [B,h,T,d]} matrix products of attention in a generic element-by-element loop (its oneDNN and
 * BLAS paths take rank-2 products only): ~17 GFLOP/s, half of a layer's time at the seed shape.
 * Here each (sequence, head) pair is one unit of work done in the caches: its Q, K and V slices are
 * copied into small zero-padded heap arrays, the products run in a register-blocked kernel (8 rows
 * × 2 vectors of accumulators, fused multiply-add; ~150 GFLOP/s per core with 512-bit vectors),
 * the key mask, softmax (a vector {@code exp} of exact lane operations) and dropout are applied to each score row while it is
 * in L1, and only the results go back to ND4J's buffers. Units are split over {@link
 * FusedKernels#THREADS} threads.
 *
 * <p>This class links against an incubator module and may only be loaded when {@link
 * FusedKernels#vectorAttention} says so (the JVM was started with {@code --add-modules
 * jdk.incubator.vector}); the eager engine falls back to ND4J's batched products otherwise.
 * Layouts are those of the eager engine: Q, K, V and the context are {@code [B*T, h*d]}
 * (head {@code j} is columns {@code j*d .. j*d+d-1}), Q already scaled by {@code 1/sqrt(d)};
 * probabilities and dropout masks are {@code [B*h, T, T]}; the additive key mask is {@code [B,T]}.
 */
public final class AttentionKernels {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();
    /** Columns of one micro-kernel tile: two vectors. */
    private static final int BLOCK = 2 * L;
    /** Rows of one micro-kernel tile (16 accumulators: 8 × 2 vectors, ~20% faster than 4 × 2 here). */
    private static final int ROWS = 8;
    /** Padded sizes are multiples of this, hence of the tile's width and height (both powers of two). */
    private static final int PAD = Math.max(BLOCK, ROWS);

    private AttentionKernels() {}

    /** {@code n} rounded up to a multiple of the tile's width and height. */
    public static int padded(int n) {
        return (n + PAD - 1) / PAD * PAD;
    }

    /**
     * Forward pass: {@code ctx = dropout(softmax(Q Kᵀ + additive)) V} per sequence and head. {@code
     * additive} {@code [B,T]} may be null (no padding); {@code dropMask} null in inference. {@code
     * probs} and {@code probsDropped} (the softmax, and it times the dropout mask) are written when
     * non-null, for the backward pass.
     */
    public static void forward(INDArray q, INDArray k, INDArray v, INDArray additive, INDArray dropMask, INDArray probs,
            INDArray probsDropped, INDArray ctx, int batch, int t, int heads, int d) {
        int width = heads * d;
        int tp = padded(t);
        int dp = padded(d);
        float[] add = additive == null ? null : FusedKernels.floats(additive); // [B*T]
        int units = batch * heads;
        FusedKernels.forParts(units, Math.min(FusedKernels.THREADS, units), (part, from, to) -> {
            FloatBuffer qb = FusedKernels.buf(q);
            FloatBuffer kb = FusedKernels.buf(k);
            FloatBuffer vb = FusedKernels.buf(v);
            FloatBuffer cb = FusedKernels.buf(ctx);
            FloatBuffer pb = FusedKernels.buf(probs);
            FloatBuffer mb = FusedKernels.buf(dropMask);
            FloatBuffer db = FusedKernels.buf(probsDropped);
            float[] qa = new float[tp * dp];
            float[] kt = new float[dp * tp];
            float[] va = new float[tp * dp];
            float[] s = new float[tp * tp];
            float[] ca = new float[tp * dp];
            float[] keyRow = new float[tp];
            float[] maskRow = new float[tp];
            float[] tmp = new float[dp];
            float[] lanes = new float[L];
            for (int u = from; u < to; u++) {
                int bi = u / heads;
                int base = bi * t * width + (u % heads) * d;
                load(qb, base, width, qa, dp, t, d);
                loadTransposed(kb, base, width, kt, tp, t, d, tmp);
                load(vb, base, width, va, dp, t, d);
                gemm(qa, dp, 1, kt, tp, s, tp, tp, d, tp);
                for (int j = 0; j < tp; j++) {
                    keyRow[j] = j >= t ? Float.NEGATIVE_INFINITY : add == null ? 0f : add[bi * t + j];
                }
                int pbase = u * t * t;
                for (int i = 0; i < t; i++) {
                    int off = i * tp;
                    softmaxRow(s, off, keyRow, tp, lanes);
                    if (pb != null) {
                        pb.put(pbase + i * t, s, off, t);
                    }
                    if (mb != null) {
                        mb.get(pbase + i * t, maskRow, 0, t);
                        for (int j = 0; j < tp; j += L) {
                            FloatVector.fromArray(F, s, off + j).mul(FloatVector.fromArray(F, maskRow, j)).intoArray(s, off + j);
                        }
                        if (db != null) {
                            db.put(pbase + i * t, s, off, t);
                        }
                    }
                }
                gemm(s, tp, 1, va, dp, ca, dp, tp, t, dp);
                store(cb, base, width, ca, dp, t, d);
            }
        });
    }

    /**
     * Backward pass of {@link #forward} in training: given {@code dCtx}, writes the gradients of
     * (scaled) Q, K and V into {@code dq}, {@code dk}, {@code dv} ({@code [B*T, h*d]}; {@code dq}
     * may be {@code dCtx}). {@code probs}, {@code dropMask} and {@code probsDropped} are what the
     * forward pass kept ({@code dropMask} null: no dropout, {@code probsDropped} then unused).
     */
    public static void backward(INDArray dCtx, INDArray q, INDArray k, INDArray v, INDArray probs, INDArray dropMask,
            INDArray probsDropped, INDArray dq, INDArray dk, INDArray dv, int batch, int t, int heads, int d) {
        int width = heads * d;
        int tp = padded(t);
        int dp = padded(d);
        int units = batch * heads;
        FusedKernels.forParts(units, Math.min(FusedKernels.THREADS, units), (part, from, to) -> {
            FloatBuffer ob = FusedKernels.buf(dCtx);
            FloatBuffer qb = FusedKernels.buf(q);
            FloatBuffer kb = FusedKernels.buf(k);
            FloatBuffer vb = FusedKernels.buf(v);
            FloatBuffer pb = FusedKernels.buf(probs);
            FloatBuffer mb = FusedKernels.buf(dropMask);
            FloatBuffer db = FusedKernels.buf(probsDropped);
            FloatBuffer dqb = FusedKernels.buf(dq);
            FloatBuffer dkb = FusedKernels.buf(dk);
            FloatBuffer dvb = FusedKernels.buf(dv);
            float[] oa = new float[tp * dp];
            float[] vt = new float[dp * tp];
            float[] qa = new float[tp * dp];
            float[] ka = new float[tp * dp];
            float[] pa = new float[tp * tp];
            float[] pd = mb == null ? pa : new float[tp * tp];
            float[] g = new float[tp * tp];
            float[] out = new float[tp * dp];
            float[] maskRow = new float[tp];
            float[] tmp = new float[dp];
            float[] lanes = new float[L];
            for (int u = from; u < to; u++) {
                int base = (u / heads) * t * width + (u % heads) * d;
                int pbase = u * t * t;
                load(ob, base, width, oa, dp, t, d);
                loadTransposed(vb, base, width, vt, tp, t, d, tmp);
                load(qb, base, width, qa, dp, t, d);
                load(kb, base, width, ka, dp, t, d);
                for (int i = 0; i < t; i++) {
                    pb.get(pbase + i * t, pa, i * tp, t);
                    if (mb != null) {
                        db.get(pbase + i * t, pd, i * tp, t);
                    }
                }
                // d(P dropped) = dCtx Vᵀ;  dV = (P dropped)ᵀ dCtx
                gemm(oa, dp, 1, vt, tp, g, tp, tp, d, tp);
                gemm(pd, 1, tp, oa, dp, out, dp, tp, t, dp);
                store(dvb, base, width, out, dp, t, d);
                // dP = d(P dropped) ⊙ mask;  dS = P ⊙ (dP - Σ_j dP ⊙ P)
                for (int i = 0; i < t; i++) {
                    int off = i * tp;
                    if (mb != null) {
                        mb.get(pbase + i * t, maskRow, 0, t);
                        for (int j = 0; j < tp; j += L) {
                            FloatVector.fromArray(F, g, off + j).mul(FloatVector.fromArray(F, maskRow, j)).intoArray(g, off + j);
                        }
                    }
                    FloatVector acc = FloatVector.zero(F);
                    for (int j = 0; j < tp; j += L) {
                        acc = FloatVector.fromArray(F, g, off + j).fma(FloatVector.fromArray(F, pa, off + j), acc);
                    }
                    FloatVector dot = FloatVector.broadcast(F, sumLanes(acc, lanes));
                    for (int j = 0; j < tp; j += L) {
                        FloatVector.fromArray(F, g, off + j).sub(dot).mul(FloatVector.fromArray(F, pa, off + j))
                                .intoArray(g, off + j);
                    }
                }
                // dQ = dS K;  dK = dSᵀ Q
                gemm(g, tp, 1, ka, dp, out, dp, tp, t, dp);
                store(dqb, base, width, out, dp, t, d);
                gemm(g, 1, tp, qa, dp, out, dp, tp, t, dp);
                store(dkb, base, width, out, dp, t, d);
            }
        });
    }

    /**
     * {@code c[i,j] = Σ_k A[i,k] b[k,j]} for {@code i < m}, {@code j < n} ({@code m}, {@code n}
     * multiples of {@link #PAD}), {@code k < kdim}, where {@code A[i,k] = a[i*ars + k*acs]} (so a
     * transposed A is {@code ars = 1}), {@code b} and {@code c} row-major with leading dimensions
     * {@code ldb}, {@code ldc}. Tiles of 8 rows × 2 vectors stay in registers over the whole sum.
     */
    public static void gemm(float[] a, int ars, int acs, float[] b, int ldb, float[] c, int ldc, int m, int kdim, int n) {
        for (int i = 0; i < m; i += ROWS) {
            int r0 = i * ars;
            for (int j = 0; j < n; j += BLOCK) {
                FloatVector c00 = FloatVector.zero(F);
                FloatVector c01 = c00;
                FloatVector c10 = c00;
                FloatVector c11 = c00;
                FloatVector c20 = c00;
                FloatVector c21 = c00;
                FloatVector c30 = c00;
                FloatVector c31 = c00;
                FloatVector c40 = c00;
                FloatVector c41 = c00;
                FloatVector c50 = c00;
                FloatVector c51 = c00;
                FloatVector c60 = c00;
                FloatVector c61 = c00;
                FloatVector c70 = c00;
                FloatVector c71 = c00;
                for (int kk = 0; kk < kdim; kk++) {
                    int bo = kk * ldb + j;
                    FloatVector b0 = FloatVector.fromArray(F, b, bo);
                    FloatVector b1 = FloatVector.fromArray(F, b, bo + L);
                    int ak = r0 + kk * acs;
                    FloatVector x = FloatVector.broadcast(F, a[ak]);
                    c00 = b0.fma(x, c00);
                    c01 = b1.fma(x, c01);
                    x = FloatVector.broadcast(F, a[ak += ars]);
                    c10 = b0.fma(x, c10);
                    c11 = b1.fma(x, c11);
                    x = FloatVector.broadcast(F, a[ak += ars]);
                    c20 = b0.fma(x, c20);
                    c21 = b1.fma(x, c21);
                    x = FloatVector.broadcast(F, a[ak += ars]);
                    c30 = b0.fma(x, c30);
                    c31 = b1.fma(x, c31);
                    x = FloatVector.broadcast(F, a[ak += ars]);
                    c40 = b0.fma(x, c40);
                    c41 = b1.fma(x, c41);
                    x = FloatVector.broadcast(F, a[ak += ars]);
                    c50 = b0.fma(x, c50);
                    c51 = b1.fma(x, c51);
                    x = FloatVector.broadcast(F, a[ak += ars]);
                    c60 = b0.fma(x, c60);
                    c61 = b1.fma(x, c61);
                    x = FloatVector.broadcast(F, a[ak + ars]);
                    c70 = b0.fma(x, c70);
                    c71 = b1.fma(x, c71);
                }
                int co = i * ldc + j;
                c00.intoArray(c, co);
                c01.intoArray(c, co + L);
                c10.intoArray(c, co += ldc);
                c11.intoArray(c, co + L);
                c20.intoArray(c, co += ldc);
                c21.intoArray(c, co + L);
                c30.intoArray(c, co += ldc);
                c31.intoArray(c, co + L);
                c40.intoArray(c, co += ldc);
                c41.intoArray(c, co + L);
                c50.intoArray(c, co += ldc);
                c51.intoArray(c, co + L);
                c60.intoArray(c, co += ldc);
                c61.intoArray(c, co + L);
                c70.intoArray(c, co += ldc);
                c71.intoArray(c, co + L);
            }
        }
    }

    /**
     * Softmax of {@code s[off .. off+n)} plus {@code keyRow} (the additive key mask; {@code -∞}
     * over the padding, which so gets probability 0), in place. {@code lanes} is scratch of {@link
     * #L} floats. Every step is an IEEE-exact lane operation or a reduction in a fixed order
     * ({@link #exp}, {@link #maxLanes}, {@link #sumLanes}), so a row gives the same bits whether the
     * JVM interprets this code or runs it compiled by C1 or C2.
     */
    private static void softmaxRow(float[] s, int off, float[] keyRow, int n, float[] lanes) {
        FloatVector max = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        for (int j = 0; j < n; j += L) {
            FloatVector x = FloatVector.fromArray(F, s, off + j).add(FloatVector.fromArray(F, keyRow, j));
            x.intoArray(s, off + j);
            max = max.max(x);
        }
        FloatVector m = FloatVector.broadcast(F, maxLanes(max, lanes));
        FloatVector sum = FloatVector.zero(F);
        for (int j = 0; j < n; j += L) {
            FloatVector e = exp(FloatVector.fromArray(F, s, off + j).sub(m));
            e.intoArray(s, off + j);
            sum = sum.add(e);
        }
        FloatVector inv = FloatVector.broadcast(F, 1f / sumLanes(sum, lanes));
        for (int j = 0; j < n; j += L) {
            FloatVector.fromArray(F, s, off + j).mul(inv).intoArray(s, off + j);
        }
    }

    private static final float LOG2E = 1.442695040888963f;
    /** ln 2 rounded to float, and the rest: {@code LN2_HI + LN2_LO} is ln 2 to ~1e-16. */
    private static final float LN2_HI = 0.6931471824645996f;
    private static final float LN2_LO = -1.904654323148236e-9f;
    /** 1.5 · 2^23: adding it rounds a float of magnitude below 2^22 to an integer (to nearest, ties to even). */
    private static final float ROUND = 12582912f;
    /** Below it {@link #exp} is 0, above {@link #EXP_HI} +∞. */
    private static final float EXP_LO = -87.33654f;
    private static final float EXP_HI = 88.72283f;
    // e^r ≈ 1 + r + r² P(r) on |r| ≤ ln2/2 (the Cephes expf polynomial)
    private static final float E0 = 5.0000001201e-1f;
    private static final float E1 = 1.6666665459e-1f;
    private static final float E2 = 4.1665795894e-2f;
    private static final float E3 = 8.3334519073e-3f;
    private static final float E4 = 1.3981999507e-3f;
    private static final float E5 = 1.9875691500e-4f;

    /**
     * {@code e^x} per lane, built only from lane operations that IEEE 754 specifies exactly
     * (add, multiply, fused multiply-add, compare and blend, integer add and shift), so every call gives the same
     * bits in the interpreter and in C1- or C2-compiled code. {@code lanewise(EXP)} does not: it is
     * specified to 1 ulp, runs {@code Math.exp} lane by lane until C2 compiles it and a vector math
     * library afterwards, and the two differ in the last bit for some inputs (which made the first
     * {@code encode()} of a JVM differ from later ones, and two training runs from each other).
     *
     * <p>{@code x = n ln2 + r} with {@code n} the nearest integer to {@code x log2 e} (Cody–Waite
     * reduction in two fused steps), {@code e^r} by a degree-7 polynomial, scaled by {@code 2^n}
     * built in the exponent bits. Max relative error 8.4e-8 (1.01 ulp) against double-precision
     * {@code Math.exp} for {@code -86.98 ≤ x ≤ 88.72} ({@code AttentionKernelsTest}); below that the
     * result is 0 (the true value is under 2.2e-38: subnormals are flushed), above it +∞; NaN stays
     * NaN. About 1.4× the time of {@code lanewise(EXP)} in a single-thread loop.
     */
    public static FloatVector exp(FloatVector x) {
        // no clamp (Java's min/max semantics cost several instructions a lane): out-of-range lanes
        // compute garbage that the two blends at the end replace
        FloatVector y = x.fma(FloatVector.broadcast(F, LOG2E), FloatVector.broadcast(F, ROUND)); // ROUND + n
        FloatVector n = y.sub(ROUND);
        FloatVector r = n.fma(FloatVector.broadcast(F, -LN2_HI), x);
        r = n.fma(FloatVector.broadcast(F, -LN2_LO), r);
        FloatVector p = r.fma(FloatVector.broadcast(F, E5), FloatVector.broadcast(F, E4));
        p = p.fma(r, FloatVector.broadcast(F, E3));
        p = p.fma(r, FloatVector.broadcast(F, E2));
        p = p.fma(r, FloatVector.broadcast(F, E1));
        p = p.fma(r, FloatVector.broadcast(F, E0));
        FloatVector e = p.fma(r.mul(r), r).add(1f); // e^r, in [0.7, 1.42]
        // 2^(n-1) from the low bits of y (they hold 2^22 + n; shifting by 23 drops all but n + 126's):
        // 2^(n-1), not 2^n, so that n = 128 fits the exponent field; n = -126 gives 0
        FloatVector half = ((IntVector) y.reinterpretAsInts()).add(126).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return e.add(e).mul(half)
                .blend(0f, x.compare(VectorOperators.LT, EXP_LO))
                .blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.GT, EXP_HI));
    }

    /** The largest lane of {@code v}, lanes compared in a fixed order ({@code lanes}: scratch of {@link #L} floats). */
    public static float maxLanes(FloatVector v, float[] lanes) {
        v.intoArray(lanes, 0);
        for (int w = L / 2; w > 0; w /= 2) {
            for (int i = 0; i < w; i++) {
                lanes[i] = Math.max(lanes[i], lanes[i + w]);
            }
        }
        return lanes[0];
    }

    /**
     * The sum of {@code v}'s lanes, added pairwise in a fixed order. {@code reduceLanes(ADD)} is
     * not: its order (and so its rounding) is left to the implementation and differs between the
     * interpreter and C2.
     */
    public static float sumLanes(FloatVector v, float[] lanes) {
        v.intoArray(lanes, 0);
        for (int w = L / 2; w > 0; w /= 2) {
            for (int i = 0; i < w; i++) {
                lanes[i] += lanes[i + w];
            }
        }
        return lanes[0];
    }

    /** Rows {@code 0..t-1} of a head ({@code d} floats at {@code base + i*width}) into {@code dst} with row stride {@code ld}. */
    private static void load(FloatBuffer src, int base, int width, float[] dst, int ld, int t, int d) {
        for (int i = 0; i < t; i++) {
            src.get(base + i * width, dst, i * ld, d);
        }
    }

    /** As {@link #load}, transposed: {@code dst[k*ld + i]} = element {@code k} of row {@code i}. */
    private static void loadTransposed(FloatBuffer src, int base, int width, float[] dst, int ld, int t, int d, float[] tmp) {
        for (int i = 0; i < t; i++) {
            src.get(base + i * width, tmp, 0, d);
            for (int kk = 0; kk < d; kk++) {
                dst[kk * ld + i] = tmp[kk];
            }
        }
    }

    /** The inverse of {@link #load}. */
    private static void store(FloatBuffer dst, int base, int width, float[] src, int ld, int t, int d) {
        for (int i = 0; i < t; i++) {
            dst.put(base + i * width, src, i * ld, d);
        }
    }
}
