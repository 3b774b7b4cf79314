package io.github.bert4j.bert.eager;

import io.github.bert4j.bert.BertConfig;
import io.github.bert4j.bert.BertEncoder;
import io.github.bert4j.bert.EncoderEngine;
import io.github.bert4j.bert.EncoderInputs;
import io.github.bert4j.bert.EncoderPass;
import io.github.bert4j.bert.HfNames;
import io.github.bert4j.bert.HiddenAct;
import io.github.bert4j.bert.eager.kernels.AffineGradients;
import io.github.bert4j.bert.eager.kernels.AttentionKernels;
import io.github.bert4j.bert.eager.kernels.EmbeddingLookup;
import io.github.bert4j.bert.eager.kernels.FusedKernels;
import io.github.bert4j.bert.eager.kernels.KernelBackend;
import io.github.bert4j.bert.eager.kernels.Kernels;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The BERT encoder (and pooler) computed eagerly with ND4J ops on buffers that are allocated once
 * per batch shape and reused: forward, and a hand-derived backward pass. It computes exactly what
 * the SameDiff graph of {@link BertEncoder#build} computes (the tests compare the two in double
 * precision, dropout masks included, and against PyTorch), several times faster: SameDiff
 * 1.0.0-M2.1 allocates fresh native memory for every op of every step and frees it only at garbage
 * collection, so a step there is dominated by page faults, not arithmetic.
 *
 * <p>Use it through {@link BertEncoder#forward} (or {@code Engine.EAGER.create(encoder)}): {@link
 * #forward} hands out an {@link EncoderPass} whose arrays are the engine's buffers, valid until
 * the next forward pass, which reuses them. Not thread-safe. Dropout masks are drawn from {@code
 * Nd4j.getRandom()} in the order and shapes the graph's dropout sites use (embeddings, then per
 * layer attention probabilities, attention output, output), so the same seed gives the same masks
 * on both engines.
 *
 * <p>Kernels ({@code eager.kernels}) compute on arrays and return gradient arrays; this class is
 * the only place in the engine that knows which parameter (by {@link HfNames}) each one is.
 */
public final class EagerEngine implements EncoderEngine {
    /** Whether the note on the missing Vector API was logged (once per JVM). */
    private static final AtomicBoolean noVectorApiLogged = new AtomicBoolean();
    private final BertEncoder encoder;
    private final BertConfig c;
    private final HiddenAct act;
    /** Parameter name prefixes per layer. */
    private final HfNames.Layer[] names;
    private final Map<String, INDArray> p;
    private final NativeBuffers buffers = new NativeBuffers();
    private State state;
    /** Counts forward passes: a pass is current while its number is the latest. */
    private long passes;

    public EagerEngine(BertEncoder encoder) {
        this.encoder = encoder;
        this.c = encoder.config();
        this.p = encoder.parameters();
        this.act = c.activation();
        this.names = new HfNames.Layer[c.numHiddenLayers()];
        for (int l = 0; l < names.length; l++) {
            names[l] = HfNames.layerNames(l);
        }
        if (Kernels.backend(encoder.dataType()) == KernelBackend.FUSED && FusedKernels.VECTOR_WANTED
                && !noVectorApiLogged.getAndSet(true)) {
            System.getLogger(EagerEngine.class.getName()).log(System.Logger.Level.INFO, "attention runs in ND4J's "
                    + "batched matmul, ~1.4x slower; start the JVM with --add-modules jdk.incubator.vector for bert4j's "
                    + "Vector API kernels");
        }
    }

    /** Frees the native memory of the buffers (the engine may be used again: it allocates anew). */
    @Override
    public void close() {
        State s = state;
        state = null;
        if (s != null) {
            s.closeOwned();
        }
        buffers.close();
    }

    /** Native bytes the engine's reusable buffers hold (for tests and diagnostics). */
    @Override
    public long bufferBytes() {
        return buffers.bytes();
    }

    /** What one layer keeps from the forward pass for the backward pass. */
    private static final class LayerState {
        INDArray input; // [N,H], the previous layer's output (not owned)
        INDArray q, k, v; // [N,H] projections, q already scaled by 1/sqrt(d); read as [B,h,T,d] views (heads)
        INDArray scores; // masked scores [B*h,T,T] (train, ND4J attention only: its softmax_bp takes them)
        INDArray probs; // softmax [B*h,T,T] (train, or ND4J attention)
        INDArray probsDropped; // probs * attention dropout mask (== probs in inference)
        INDArray attnMask; // attention dropout mask [B,h,T,T] (train only)
        INDArray ctx; // [N,H] merged context
        INDArray mask1, xhat1, rstd1, x1; // attention output dropout, LayerNorm
        INDArray f, act; // [N,I] pre-activation and activation
        INDArray phi; // [N,I] Φ(f) of the exact GELU (train only, for the ND4J backward pass; null when fused)
        INDArray mask2, xhat2, rstd2, x2; // output dropout, LayerNorm; x2 is the layer output
    }

    /** Forward state of one batch (buffers reused by the next batch of the same shape and mode). */
    private static final class State {
        final int b;
        final int t;
        final boolean train;
        final DataType dtype;
        final boolean vectorAttention; // attention in AttentionKernels (no scores or scratch [B*h,T,T] buffers)
        int[] ids;
        int[] types;
        final INDArray additive; // [B,T] 0 / -10000
        boolean padded; // the additive mask has a nonzero entry (otherwise adding it, all zeros, is skipped)
        INDArray xhat0, rstd0, mask0, x0;
        final LayerState[] layers;
        INDArray cls, pooled; // [B,H] (pooler, when requested)
        // scratch
        final INDArray nh1, nh2, nh3, nh4, ni, ni2; // [N,H] x4, [N,I] x2
        final INDArray att1, att2; // [B*h,T,T]

        State(BertConfig c, DataType dtype, int b, int t, boolean train, NativeBuffers mem) {
            this.b = b;
            this.t = t;
            this.train = train;
            this.dtype = dtype;
            long n = (long) b * t;
            // the kernels index buffers with ints: [B*h,T,T] must stay below 2^31 elements
            this.vectorAttention = Kernels.backend(dtype) == KernelBackend.VECTOR_API
                    && (long) b * c.numAttentionHeads() * t * t < Integer.MAX_VALUE && n * c.hiddenSize() < Integer.MAX_VALUE;
            int h = c.hiddenSize();
            int heads = c.numAttentionHeads();
            int d = c.headSize();
            additive = mem.take(dtype, b, t);
            xhat0 = mem.take(dtype, n, h);
            rstd0 = mem.take(dtype, n, 1);
            x0 = mem.take(dtype, n, h);
            mask0 = train ? mem.take(dtype, n, h) : null;
            layers = new LayerState[c.numHiddenLayers()];
            for (int l = 0; l < layers.length; l++) {
                LayerState s = new LayerState();
                s.q = mem.take(dtype, n, h);
                s.k = mem.take(dtype, n, h);
                s.v = mem.take(dtype, n, h);
                s.probs = train || !vectorAttention ? mem.take(dtype, (long) b * heads, t, t) : null;
                s.scores = train && !vectorAttention ? mem.take(dtype, (long) b * heads, t, t) : null;
                s.attnMask = train ? mem.take(dtype, b, heads, t, t) : null;
                s.probsDropped = train ? mem.take(dtype, (long) b * heads, t, t) : s.probs;
                s.ctx = mem.take(dtype, n, h);
                s.mask1 = train ? mem.take(dtype, n, h) : null;
                s.xhat1 = mem.take(dtype, n, h);
                s.rstd1 = mem.take(dtype, n, 1);
                s.x1 = mem.take(dtype, n, h);
                s.f = mem.take(dtype, n, c.intermediateSize());
                s.act = mem.take(dtype, n, c.intermediateSize());
                s.phi = train && c.activation() == HiddenAct.GELU && Kernels.backend(dtype) == KernelBackend.ND4J
                        ? mem.take(dtype, n, c.intermediateSize()) : null; // the fused backward recomputes Φ
                s.mask2 = train ? mem.take(dtype, n, h) : null;
                s.xhat2 = mem.take(dtype, n, h);
                s.rstd2 = mem.take(dtype, n, 1);
                s.x2 = mem.take(dtype, n, h);
                layers[l] = s;
            }
            nh1 = mem.take(dtype, n, h);
            nh2 = mem.take(dtype, n, h);
            nh3 = mem.take(dtype, n, h);
            nh4 = mem.take(dtype, n, h);
            ni = mem.take(dtype, n, c.intermediateSize());
            ni2 = mem.take(dtype, n, c.intermediateSize());
            att1 = vectorAttention ? null : mem.take(dtype, (long) b * heads, t, t);
            att2 = vectorAttention ? null : mem.take(dtype, (long) b * heads, t, t);
        }

        /** Frees the arrays this state owns outside the engine's blocks (the pooler's). */
        void closeOwned() {
            if (cls != null) {
                cls.close();
                pooled.close();
                cls = null;
                pooled = null;
            }
        }

        /** The last layer's output {@code [N,H]} (row {@code b*T + t}). */
        INDArray sequence() {
            return layers.length == 0 ? x0 : layers[layers.length - 1].x2;
        }

        int tokens() {
            return b * t;
        }
    }

    @Override
    public EncoderPass forward(EncoderInputs inputs, BertEncoder.Mode mode) {
        State s = forward(inputs.inputIds(), inputs.tokenTypeIds(), inputs.attentionMask(), inputs.batchSize(),
                inputs.length(), mode == BertEncoder.Mode.TRAIN);
        return new Pass(inputs, mode, s, ++passes);
    }

    /** A pass of this engine: the state's arrays while it is the latest forward pass. */
    private final class Pass implements EncoderPass {
        private final EncoderInputs inputs;
        private final BertEncoder.Mode mode;
        private final State s;
        private final long number;
        private boolean done;

        Pass(EncoderInputs inputs, BertEncoder.Mode mode, State s, long number) {
            this.inputs = inputs;
            this.mode = mode;
            this.s = s;
            this.number = number;
        }

        private void checkCurrent() {
            if (number != passes || s != state) {
                throw new IllegalStateException("a later forward pass of this engine has reused this pass's buffers");
            }
        }

        @Override
        public EncoderInputs inputs() {
            return inputs;
        }

        @Override
        public BertEncoder.Mode mode() {
            return mode;
        }

        @Override
        public INDArray hidden() {
            checkCurrent();
            return s.sequence();
        }

        @Override
        public INDArray pooled() {
            checkCurrent();
            if (s.pooled == null) {
                poolerForward(s);
            }
            return s.pooled;
        }

        @Override
        public Map<String, INDArray> backward(INDArray dHidden, INDArray dPooled) {
            checkCurrent();
            if (mode != BertEncoder.Mode.TRAIN) {
                throw new IllegalStateException("backward needs a training-mode forward pass");
            }
            if (done) {
                throw new IllegalStateException("backward was already called for this pass");
            }
            done = true;
            INDArray dh = dHidden != null ? dHidden : Nd4j.zeros(s.dtype, s.tokens(), c.hiddenSize());
            Map<String, INDArray> grads = new HashMap<>();
            EagerEngine.this.backward(s, dh, dPooled, grads);
            LinkedHashMap<String, INDArray> ordered = new LinkedHashMap<>();
            for (String n : p.keySet()) {
                INDArray g = grads.get(n);
                if (g != null) {
                    ordered.put(n, g);
                }
            }
            return ordered;
        }
    }

    /**
     * Forward pass. {@code ids} and {@code types} are {@code [B*T]} row-major, {@code attentionMask}
     * {@code [B,T]} (1 real, 0 padding; null = all real). In training mode dropout masks are drawn.
     */
    private State forward(int[] ids, int[] types, INDArray attentionMask, int b, int t, boolean train) {
        if (t > c.maxPositionEmbeddings()) {
            throw new IllegalArgumentException("sequence length " + t + " exceeds max_position_embeddings "
                    + c.maxPositionEmbeddings());
        }
        DataType dt = encoder.dataType();
        State s = state;
        if (s != null) {
            s.closeOwned(); // the pooled output of the pass before
        }
        if (s == null || s.b != b || s.t != t || s.train != train || s.dtype != dt) {
            // a new shape: the same native blocks, cut to it (they grow to the largest batch seen)
            state = null;
            buffers.reset();
            s = new State(c, dt, b, t, train, buffers);
            state = s;
        }
        s.ids = ids;
        s.types = types;
        // additive = (1 - mask) * MASK_VALUE, in the state's buffer (no per-call arrays)
        if (attentionMask == null) {
            s.additive.assign(0.0);
        } else {
            INDArray m = attentionMask.dataType() == dt ? attentionMask : attentionMask.castTo(dt);
            s.additive.assign(m).rsubi(1.0).muli(BertEncoder.MASK_VALUE);
            if (m != attentionMask) {
                m.close();
            }
        }
        s.padded = attentionMask != null && hasNonZero(s.additive); // read on the heap: no scalar array per call

        // embeddings: word + position + token type → LayerNorm → dropout
        INDArray word = p.get(HfNames.WORD_EMBEDDINGS);
        INDArray gamma0 = p.get(HfNames.weight(HfNames.EMBEDDINGS_LAYER_NORM));
        INDArray beta0 = p.get(HfNames.bias(HfNames.EMBEDDINGS_LAYER_NORM));
        Kernels.embeddingLayerNorm(word, p.get(HfNames.POSITION_EMBEDDINGS), p.get(HfNames.TOKEN_TYPE_EMBEDDINGS), ids,
                types, b, t, gamma0, beta0, c.layerNormEps(), s.xhat0, s.rstd0, s.x0, s.nh1, train);
        if (train) {
            Kernels.dropoutMask(s.mask0, c.hiddenDropoutProb());
            s.x0.muli(s.mask0);
        }
        INDArray x = s.x0;
        for (int l = 0; l < s.layers.length; l++) {
            layerForward(s, l, x);
            x = s.layers[l].x2;
        }
        return s;
    }

    private static boolean hasNonZero(INDArray a) {
        for (double v : a.data().asDouble()) {
            if (v != 0.0) {
                return true;
            }
        }
        return false;
    }

    private void layerForward(State s, int l, INDArray x) {
        LayerState ls = s.layers[l];
        HfNames.Layer n = names[l];
        int heads = c.numAttentionHeads();
        int d = c.headSize();
        double scale = 1.0 / Math.sqrt(d);
        ls.input = x;
        // Q, K, V projections [N,H]; the batched products read them as heads [B,h,T,d] in place
        Kernels.linear(x, weight(n.query()), bias(n.query()), ls.q);
        ls.q.muli(scale);
        Kernels.linear(x, weight(n.key()), bias(n.key()), ls.k);
        Kernels.linear(x, weight(n.value()), bias(n.value()), ls.v);
        // scores + additive mask → softmax → dropout → context (written into [N,H] through a heads view)
        if (s.vectorAttention) {
            if (s.train) {
                Kernels.dropoutMask(ls.attnMask, c.attentionProbsDropoutProb());
            }
            AttentionKernels.forward(ls.q, ls.k, ls.v, s.padded ? s.additive : null, s.train ? ls.attnMask : null,
                    s.train ? ls.probs : null, s.train ? ls.probsDropped : null, ls.ctx, s.b, s.t, heads, d);
        } else {
            nd4jAttention(s, ls, heads);
        }
        // output projection (its bias added with) → dropout → residual → LayerNorm
        Nd4j.gemm(ls.ctx, weight(n.attentionOutputDense()), s.nh1, false, true, 1.0, 0.0);
        if (s.train) {
            Kernels.dropoutMask(ls.mask1, c.hiddenDropoutProb());
        }
        Kernels.layerNorm(s.nh1, bias(n.attentionOutputDense()), s.train ? ls.mask1 : null, x,
                weight(n.attentionOutputLayerNorm()), bias(n.attentionOutputLayerNorm()), c.layerNormEps(),
                ls.xhat1, ls.rstd1, ls.x1, s.nh2, s.train);
        // feed-forward
        if (act == HiddenAct.GELU) {
            Kernels.linearGelu(ls.x1, weight(n.intermediateDense()), bias(n.intermediateDense()),
                    ls.f, ls.act, s.train ? ls.phi : s.ni2, s.train);
        } else {
            Kernels.linear(ls.x1, weight(n.intermediateDense()), bias(n.intermediateDense()), ls.f);
            Kernels.activation(act, ls.f, ls.act);
        }
        Nd4j.gemm(ls.act, weight(n.outputDense()), s.nh1, false, true, 1.0, 0.0);
        if (s.train) {
            Kernels.dropoutMask(ls.mask2, c.hiddenDropoutProb());
        }
        Kernels.layerNorm(s.nh1, bias(n.outputDense()), s.train ? ls.mask2 : null, ls.x1,
                weight(n.outputLayerNorm()), bias(n.outputLayerNorm()), c.layerNormEps(),
                ls.xhat2, ls.rstd2, ls.x2, s.nh2, s.train);
    }

    /** Attention with ND4J's batched products (double precision, other backends, or no Vector API). */
    private void nd4jAttention(State s, LayerState ls, int heads) {
        INDArray scores = s.train ? ls.scores : s.att1;
        Kernels.bmm(heads(s, ls.q), heads(s, ls.k), perHead(s, scores), false, true);
        if (s.padded) {
            Kernels.addKeyMask(scores, s.additive, s.b, heads, s.t);
        }
        Kernels.softmaxLastDim(scores, ls.probs);
        if (s.train) {
            Kernels.dropoutMask(ls.attnMask, c.attentionProbsDropoutProb());
            ls.probs.mul(ls.attnMask.reshape(ls.probs.shape()), ls.probsDropped);
        }
        Kernels.bmm(perHead(s, ls.probsDropped), heads(s, ls.v), heads(s, ls.ctx), false, false);
    }

    private void poolerForward(State s) {
        int[] rows = new int[s.b];
        for (int i = 0; i < s.b; i++) {
            rows[i] = i * s.t;
        }
        s.cls = Nd4j.pullRows(s.sequence(), 1, rows); // [B,H]
        s.pooled = Nd4j.create(s.dtype, s.b, c.hiddenSize());
        Kernels.linear(s.cls, weight(HfNames.POOLER_DENSE), bias(HfNames.POOLER_DENSE), s.pooled);
        org.nd4j.linalg.ops.transforms.Transforms.tanh(s.pooled, false);
    }

    /**
     * Backward pass of the last {@link #forward} (training mode). {@code dSequence} {@code [N,H]} is
     * the gradient of the sequence output (it is overwritten); {@code dPooled} {@code [B,H]} that of
     * the pooled output, or null. Encoder parameter gradients are put into {@code grads} under HF
     * names (the word table's scatter-added; a tied head adds its own part afterwards).
     */
    private void backward(State s, INDArray dSequence, INDArray dPooled, Map<String, INDArray> grads) {
        if (s != state) {
            throw new IllegalStateException("backward must follow its own forward pass");
        }
        if (!s.train) {
            throw new IllegalStateException("backward needs a training-mode forward pass");
        }
        INDArray dx = dSequence;
        if (dPooled != null) {
            if (s.pooled == null) {
                poolerForward(s);
            }
            // pooled = tanh(cls · Wᵀ + b)
            INDArray dPre = s.pooled.mul(s.pooled).rsubi(1.0).muli(dPooled);
            grads.put(HfNames.weight(HfNames.POOLER_DENSE), Kernels.weightGrad(dPre, s.cls));
            grads.put(HfNames.bias(HfNames.POOLER_DENSE), Kernels.columnSums(dPre));
            INDArray dCls = Nd4j.gemm(dPre, weight(HfNames.POOLER_DENSE), false, false); // [B,H]
            long h = c.hiddenSize();
            // row b*T of [N,H] is the first H entries of row b of [B, T*H]
            dx.reshape('c', s.b, (long) s.t * h).get(NDArrayIndex.all(), NDArrayIndex.interval(0, h)).addi(dCls);
        }
        for (int l = s.layers.length - 1; l >= 0; l--) {
            dx = layerBackward(s, l, dx, grads);
        }
        // embeddings: dropout → LayerNorm → lookups
        if (s.train) {
            dx.muli(s.mask0);
        }
        INDArray dE = dx;
        put(grads, HfNames.EMBEDDINGS_LAYER_NORM, Kernels.layerNormBackward(dx, s.xhat0, s.rstd0,
                weight(HfNames.EMBEDDINGS_LAYER_NORM), dE, s.nh4));
        grads.put(HfNames.WORD_EMBEDDINGS, EmbeddingLookup.scatterAdd(s.ids, dE, c.vocabSize(), s.dtype));
        grads.put(HfNames.POSITION_EMBEDDINGS, EmbeddingLookup.positionGradient(dE, s.b, s.t, c.maxPositionEmbeddings()));
        grads.put(HfNames.TOKEN_TYPE_EMBEDDINGS, EmbeddingLookup.scatterAdd(s.types, dE, c.typeVocabSize(), s.dtype));
    }

    /** Backward of layer {@code l}: {@code dy} = dL/d(layer output) → dL/d(layer input) (a scratch buffer). */
    private INDArray layerBackward(State s, int l, INDArray dy, Map<String, INDArray> grads) {
        LayerState ls = s.layers[l];
        HfNames.Layer n = names[l];
        double scale = 1.0 / Math.sqrt(c.headSize());
        // buffers: dy may be the caller's array or one of nh1..nh3 from the layer above
        INDArray a = dy;
        INDArray bBuf = dy == s.nh1 ? s.nh2 : s.nh1;
        INDArray cBuf = dy == s.nh3 ? s.nh2 : s.nh3;
        if (cBuf == bBuf) {
            cBuf = s.nh3 == bBuf ? s.nh2 : s.nh3;
        }
        INDArray scratchNH = s.nh4;

        // output LayerNorm (in place: a = dL/d(residual 2))
        put(grads, n.outputLayerNorm(), Kernels.layerNormBackward(a, ls.xhat2, ls.rstd2, weight(n.outputLayerNorm()), a,
                scratchNH));
        // output dense (after dropout): bBuf = d(dense out), s.ni = d act [N,I]
        dropoutBackward(s, a, ls.mask2, bBuf);
        denseBackward(n.outputDense(), bBuf, ls.act, s.ni, 0.0, grads);
        if (act == HiddenAct.GELU) {
            Kernels.geluBackward(ls.f, ls.phi, s.ni, ls.act); // s.ni = d f (ls.act used as scratch)
        } else {
            Kernels.activationBackward(act, ls.f, s.ni, ls.act, s.ni2);
        }
        denseBackward(n.intermediateDense(), s.ni, ls.x1, a, 1.0, grads); // a = dL/dx1
        // attention output LayerNorm: cBuf = dL/d(residual 1) = dL/dx (residual part)
        put(grads, n.attentionOutputLayerNorm(), Kernels.layerNormBackward(a, ls.xhat1, ls.rstd1,
                weight(n.attentionOutputLayerNorm()), cBuf, scratchNH));
        dropoutBackward(s, cBuf, ls.mask1, bBuf);
        denseBackward(n.attentionOutputDense(), bBuf, ls.ctx, a, 0.0, grads); // a = d ctx
        if (s.vectorAttention) {
            // a = d ctx → a = d q (scaled), bBuf = d v, scratchNH = d k
            AttentionKernels.backward(a, ls.q, ls.k, ls.v, ls.probs, ls.attnMask, ls.probsDropped, a, scratchNH, bBuf,
                    s.b, s.t, c.numAttentionHeads(), c.headSize());
            projectionBackward(n.value(), bBuf, ls.input, cBuf, grads, 1.0);
            projectionBackward(n.key(), scratchNH, ls.input, cBuf, grads, 1.0);
        } else {
            nd4jAttentionBackward(s, ls, n, a, bBuf, cBuf, grads);
        }
        projectionBackward(n.query(), a, ls.input, cBuf, grads, scale);
        return cBuf;
    }

    /**
     * Attention backward with ND4J's batched products: {@code a} = d ctx in, d q (scaled) out; adds
     * the value and key projections' input gradients into {@code cBuf}; {@code bBuf} is scratch.
     */
    private void nd4jAttentionBackward(State s, LayerState ls, HfNames.Layer n, INDArray a, INDArray bBuf, INDArray cBuf,
            Map<String, INDArray> grads) {
        // context = P_dropped · V, per head; heads are [B,h,T,d] views of [N,H] buffers
        INDArray dCtx = heads(s, a);
        Kernels.bmm(dCtx, heads(s, ls.v), perHead(s, s.att1), false, true); // d P_dropped
        Kernels.bmm(perHead(s, ls.probsDropped), dCtx, heads(s, bBuf), true, false); // bBuf = d v
        if (s.train) {
            s.att1.muli(ls.attnMask.reshape(s.att1.shape()));
        }
        Kernels.softmaxBackward(ls.scores, s.att1, s.att2); // att2 = d scores
        projectionBackward(n.value(), bBuf, ls.input, cBuf, grads, 1.0);
        Kernels.bmm(perHead(s, s.att2), heads(s, ls.k), dCtx, false, false); // a = d q (scaled); d ctx is used up
        Kernels.bmm(perHead(s, s.att2), heads(s, ls.q), heads(s, bBuf), true, false); // bBuf = d k
        projectionBackward(n.key(), bBuf, ls.input, cBuf, grads, 1.0);
    }

    /** {@code [N,H]} as heads {@code [B,h,T,d]}: a view, no copy (the batched products take strided operands). */
    private INDArray heads(State s, INDArray nh) {
        return nh.reshape('c', s.b, s.t, c.numAttentionHeads(), c.headSize()).permute(0, 2, 1, 3);
    }

    /** {@code [B*h,T,T]} as {@code [B,h,T,T]} (a view). */
    private INDArray perHead(State s, INDArray att) {
        return att.reshape('c', s.b, c.numAttentionHeads(), s.t, s.t);
    }

    /** {@code y = (x·Wᵀ + b)·scale}, given dL/dy in {@code dy}: W and b gradients, and {@code dx += dL/dx}. */
    private void projectionBackward(String prefix, INDArray dy, INDArray x, INDArray dx, Map<String, INDArray> grads,
            double scale) {
        if (scale != 1.0) {
            dy.muli(scale);
        }
        denseBackward(prefix, dy, x, dx, 1.0, grads);
    }

    /**
     * {@code y = x·Wᵀ + b} given dL/dy: puts the W and b gradients and writes {@code dx = dy·W}
     * ({@code beta} 0) or adds it ({@code beta} 1).
     */
    private void denseBackward(String prefix, INDArray dy, INDArray x, INDArray dx, double beta, Map<String, INDArray> grads) {
        grads.put(HfNames.weight(prefix), Kernels.weightGrad(dy, x));
        grads.put(HfNames.bias(prefix), Kernels.columnSums(dy));
        Nd4j.gemm(dy, weight(prefix), dx, false, false, 1.0, beta);
    }

    private INDArray weight(String prefix) {
        return p.get(HfNames.weight(prefix));
    }

    private INDArray bias(String prefix) {
        return p.get(HfNames.bias(prefix));
    }

    /** Names a kernel's two gradients: {@code prefix.weight} and {@code prefix.bias}. */
    private static void put(Map<String, INDArray> grads, String prefix, AffineGradients g) {
        grads.put(HfNames.weight(prefix), g.weight());
        grads.put(HfNames.bias(prefix), g.bias());
    }

    /** {@code out = dy ⊙ mask} in training, a copy of {@code dy} otherwise. */
    private static void dropoutBackward(State s, INDArray dy, INDArray mask, INDArray out) {
        if (s.train) {
            dy.mul(mask, out);
        } else {
            out.assign(dy);
        }
    }
}
