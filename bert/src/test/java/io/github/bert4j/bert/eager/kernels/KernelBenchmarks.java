package io.github.bert4j.bert.eager.kernels;

import io.github.bert4j.bert.HiddenAct;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH benchmarks of the eager engine's hot kernels at the seed pretraining shape (64 × 128 tokens,
 * hidden 256, 8 heads, FFN 512, 1,280 MLM rows over a 12k vocabulary), with the alternatives they
 * replaced where there was one ({@code ...Nd4j} against {@code ...Fused} for {@link FusedKernels}, against {@code ...Vector} for {@link AttentionKernels}). Not tests; run by hand from the bert module's test class path:
 * <pre>{@code java --add-modules jdk.incubator.vector -cp <test class path> org.openjdk.jmh.Main KernelBenchmarks}</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx4g", "--add-modules", "jdk.incubator.vector"})
public class KernelBenchmarks {
    static final int B = 64;
    static final int T = 128;
    static final int N = B * T;
    static final int H = 256;
    static final int I = 512;
    static final int HEADS = 8;
    static final int D = H / HEADS;
    static final int M = 1280;
    static final int V = 12_000;

    INDArray x;
    INDArray w;
    INDArray bias;
    INDArray y;
    INDArray f;
    INDArray act;
    INDArray s1;
    INDArray s2;
    INDArray qh;
    INDArray kh;
    INDArray scores;
    INDArray probs;
    INDArray dProbs;
    INDArray out;
    INDArray additive;
    INDArray gamma;
    INDArray xhat;
    INDArray rstd;
    INDArray scratch;
    INDArray u;
    INDArray word;
    INDArray vocabBias;
    INDArray logits;
    INDArray u2;
    INDArray s3;
    INDArray biasI;
    INDArray position;
    INDArray tokenType;
    int[] ids;
    int[] types;
    INDArray q;
    INDArray k;
    INDArray v;
    INDArray ctx;
    INDArray dCtx;
    INDArray dq;
    INDArray dk;
    INDArray dv;
    INDArray attScores;
    INDArray attProbs;
    INDArray att1;
    INDArray att2;
    final Map<String, INDArray> grads = new HashMap<>();

    @Setup
    public void setUp() {
        DataType t = DataType.FLOAT;
        Nd4j.getRandom().setSeed(1);
        x = Nd4j.randn(t, N, H);
        w = Nd4j.randn(t, H, H).muli(0.05);
        bias = Nd4j.randn(t, H);
        y = Nd4j.create(t, N, H);
        f = Nd4j.randn(t, N, I);
        act = Nd4j.create(t, N, I);
        s1 = Nd4j.create(t, N, I);
        s2 = Nd4j.create(t, N, I);
        Kernels.geluForward(f, act, s2);
        qh = Nd4j.randn(t, B * HEADS, T, D);
        kh = Nd4j.randn(t, B * HEADS, T, D);
        scores = Nd4j.randn(t, B * HEADS, T, T);
        probs = Nd4j.create(t, B * HEADS, T, T);
        Kernels.softmaxLastDim(scores, probs);
        dProbs = Nd4j.randn(t, B * HEADS, T, T);
        out = Nd4j.create(t, B * HEADS, T, T);
        additive = Nd4j.zeros(t, B, T);
        gamma = Nd4j.ones(t, H);
        xhat = Nd4j.create(t, N, H);
        rstd = Nd4j.create(t, N, 1);
        scratch = Nd4j.create(t, N, H);
        u = Nd4j.randn(t, M, H);
        word = Nd4j.randn(t, V, H).muli(0.02);
        vocabBias = Nd4j.zeros(t, V);
        logits = Nd4j.create(t, M, V);
        u2 = Nd4j.create(t, N, H);
        s3 = Nd4j.create(t, N, H);
        biasI = Nd4j.randn(t, I);
        position = Nd4j.randn(t, 512, H).muli(0.02);
        tokenType = Nd4j.randn(t, 2, H).muli(0.02);
        q = Nd4j.randn(t, N, H).muli(1.0 / Math.sqrt(D));
        k = Nd4j.randn(t, N, H);
        v = Nd4j.randn(t, N, H);
        ctx = Nd4j.create(t, N, H);
        dCtx = Nd4j.randn(t, N, H);
        dq = Nd4j.create(t, N, H);
        dk = Nd4j.create(t, N, H);
        dv = Nd4j.create(t, N, H);
        attScores = Nd4j.create(t, B * HEADS, T, T);
        attProbs = Nd4j.create(t, B * HEADS, T, T);
        att1 = Nd4j.create(t, B * HEADS, T, T);
        att2 = Nd4j.create(t, B * HEADS, T, T);
        Kernels.bmm(heads(q), heads(k), perHead(attScores), false, true);
        Kernels.softmaxLastDim(attScores, attProbs);
        java.util.SplittableRandom r = new java.util.SplittableRandom(1);
        ids = new int[N];
        types = new int[N];
        for (int n = 0; n < N; n++) {
            ids[n] = r.nextInt(V);
            types[n] = (n % T) >= T / 2 ? 1 : 0;
        }
    }

    /** Embeddings as ND4J ops: word and token-type row lookups, position rows added, then the LayerNorm. */
    @Benchmark
    public INDArray embeddingsNd4j() {
        INDArray e = EmbeddingLookup.forward(word, position, ids, B, T);
        e.addi(EmbeddingLookup.rows(tokenType, types));
        Kernels.layerNormNd4j(e, null, null, null, gamma, bias, 1e-12, xhat, rstd, u2, s3);
        return u2;
    }

    /** The same in one pass over the rows ({@link FusedKernels#embeddingLayerNorm}). */
    @Benchmark
    public INDArray embeddingsFused() {
        FusedKernels.embeddingLayerNorm(word, position, tokenType, ids, types, T, gamma, bias, 1e-12, xhat, rstd, u2);
        return u2;
    }

    @Benchmark
    public INDArray linear() {
        Kernels.linear(x, w, bias, y);
        return y;
    }

    @Benchmark
    public INDArray weightGradient() {
        return Kernels.weightGrad(y, x);
    }

    @Benchmark
    public INDArray biasGradientAsGemv() {
        return Kernels.columnSums(x);
    }

    /** What {@link #biasGradientAsGemv} replaced. */
    @Benchmark
    public INDArray biasGradientAsReduction() {
        return x.sum(0);
    }

    @Benchmark
    public INDArray attentionScoresBatchedMatmul() {
        Kernels.bmm(qh, kh, out, false, true);
        return out;
    }

    @Benchmark
    public INDArray paddingMaskBroadcast() {
        Kernels.addKeyMask(out, additive, B, HEADS, T);
        return out;
    }

    @Benchmark
    public INDArray softmax() {
        Kernels.softmaxLastDim(scores, probs);
        return probs;
    }

    @Benchmark
    public INDArray softmaxBackward() {
        Kernels.softmaxBackward(scores, dProbs, out);
        return out;
    }

    /** A layer's output LayerNorm as ND4J ops: dense bias, residual, then the LayerNorm ({@code x} left as it was). */
    @Benchmark
    public INDArray layerNormNd4j() {
        scratch.assign(x);
        Kernels.layerNormNd4j(scratch, bias, null, y, gamma, bias, 1e-12, xhat, rstd, u2, s3);
        return u2;
    }

    /** The same as one fused pass over the rows ({@link FusedKernels#layerNorm}). */
    @Benchmark
    public INDArray layerNormFused() {
        FusedKernels.layerNorm(x, bias, null, y, gamma, bias, 1e-12, xhat, rstd, u2);
        return u2;
    }

    @Benchmark
    public INDArray layerNormBackwardNd4j() {
        Kernels.layerNormBackwardNd4j(x, xhat, rstd, gamma, y, scratch);
        return y;
    }

    @Benchmark
    public INDArray layerNormBackwardFused() {
        FusedKernels.layerNormBackward(x, xhat, rstd, gamma, y);
        return y;
    }

    /** Exact GELU as ND4J ops, as the encoder ran it in training: keeps Φ(f) for the backward pass. */
    @Benchmark
    public INDArray geluNd4j() {
        Kernels.geluForward(f, act, s2);
        return act;
    }

    /** The fused GELU with its bias (rational erf), keeping the pre-activation for the backward pass. */
    @Benchmark
    public INDArray geluFused() {
        s1.assign(f);
        FusedKernels.biasGelu(s1, biasI, act, true);
        return act;
    }

    /** The ND4J backward pass from the kept Φ (no second erf). */
    @Benchmark
    public INDArray geluBackwardNd4j() {
        act.assign(f);
        Kernels.geluBackwardNd4j(f, s2, act, s1);
        return act;
    }

    /** The fused backward pass (recomputes Φ and Φ' by the rational erf). */
    @Benchmark
    public INDArray geluBackwardFused() {
        act.assign(f);
        FusedKernels.geluBackward(f, act);
        return act;
    }

    /** The generic activation path (what the training layers used before keeping Φ). */
    @Benchmark
    public INDArray geluGeneric() {
        Kernels.activation(HiddenAct.GELU, f, act);
        return act;
    }

    /** The generic backward: recomputes erf. */
    @Benchmark
    public INDArray geluBackwardGeneric() {
        act.assign(f);
        Kernels.activationBackward(HiddenAct.GELU, f, act, s1, s2);
        return act;
    }

    @Benchmark
    public INDArray mlmLogits() {
        Kernels.linear(u, word, vocabBias, logits);
        return logits;
    }

    @Benchmark
    public INDArray mlmSoftmax() {
        Kernels.softmaxLastDim(logits, logits);
        return logits;
    }

    private static INDArray heads(INDArray nh) {
        return nh.reshape('c', B, T, HEADS, D).permute(0, 2, 1, 3);
    }

    private static INDArray perHead(INDArray att) {
        return att.reshape('c', B, HEADS, T, T);
    }

    /** Attention forward (inference) with ND4J ops, as the eager engine falls back to: batched products on head views, softmax. */
    @Benchmark
    public INDArray attentionNd4j() {
        Kernels.bmm(heads(q), heads(k), perHead(att1), false, true);
        Kernels.softmaxLastDim(att1, att2);
        Kernels.bmm(perHead(att2), heads(v), heads(ctx), false, false);
        return ctx;
    }

    /** The same in {@link AttentionKernels} (Vector API; one (sequence, head) at a time in the caches). */
    @Benchmark
    public INDArray attentionVector() {
        AttentionKernels.forward(q, k, v, null, null, null, null, ctx, B, T, HEADS, D);
        return ctx;
    }

    /** Attention backward with ND4J ops (no dropout): four batched products and {@code softmax_bp}. */
    @Benchmark
    public INDArray attentionBackwardNd4j() {
        INDArray o = heads(dCtx);
        Kernels.bmm(o, heads(v), perHead(att1), false, true);
        Kernels.bmm(perHead(attProbs), o, heads(dv), true, false);
        Kernels.softmaxBackward(attScores, att1, att2);
        Kernels.bmm(perHead(att2), heads(k), heads(dq), false, false);
        Kernels.bmm(perHead(att2), heads(q), heads(dk), true, false);
        return dk;
    }

    /** The same in {@link AttentionKernels}. */
    @Benchmark
    public INDArray attentionBackwardVector() {
        AttentionKernels.backward(dCtx, q, k, v, attProbs, null, null, dq, dk, dv, B, T, HEADS, D);
        return dk;
    }
}
