package io.github.bert4j.bert;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The BERT encoder (Devlin et al. 2019): embeddings → N post-LN Transformer layers → sequence
 * output {@code [B,T,H]} and pooled {@code [CLS]} output {@code [B,H]}. It owns its parameters
 * under HuggingFace's names ({@link #parameters()}) and builds its graph into a caller's {@link
 * SameDiff}, so that heads (MLM/NSP, a NER tagger) can be stacked on it.
 *
 * <h2>Stacking a head</h2>
 * The word/position/token-type lookups run outside the graph (SameDiff's {@code gather} backward
 * is broken): {@link Graph#feed} fills the placeholders {@code inputs_embeds} {@code [B*T,H]} (word +
 * position rows), {@code token_type_onehot} {@code [B*T,S]} and {@code attention_mask} {@code [B,T]}
 * (plus dropout masks in {@link Mode#TRAIN}), and {@link Graph#parameterGradients} turns the
 * gradient of {@code inputs_embeds} into the gradients of the word and position tables (a
 * scatter-add, exact for repeated ids).
 * <pre>{@code
 * BertEncoder encoder = BertEncoder.load(modelDir);             // or create(config, seed)
 * SameDiff sd = SameDiff.create();
 * BertEncoder.Graph bert = encoder.build(sd, BertEncoder.Mode.TRAIN);   // once, reuse every step
 * SDVariable h = bert.sequenceOutput();                          // [B,T,H]
 * SDVariable logits = ...my head on h, my variables...;
 * SDVariable loss = ...; sd.setLossVariables(loss.name());
 *
 * Map<String, INDArray> ph = new HashMap<>();
 * BertEncoder.Feed feed = bert.feed(ph, inputIds, tokenTypeIds, attentionMask); // [B,T] arrays
 * ph.put("my_labels", labels);
 * List<String> wrt = new ArrayList<>(bert.gradientNames());      // encoder variables + inputs_embeds
 * wrt.addAll(myHeadVariableNames);
 * Map<String, INDArray> g = sd.calculateGradients(ph, wrt);
 * Map<String, INDArray> encoderGrads = bert.parameterGradients(feed, g); // by HF name, tables included
 * }</pre>
 * If a head uses the word-embedding table itself (a tied decoder, {@link #WORD_EMBEDDINGS} as a
 * graph variable via {@link Graph#wordEmbeddings()}), its graph gradient is added to the scatter-added
 * one. Parameters are live arrays: update them in place and every graph sees the change.
 *
 * <p>Graphs accept any batch size and any length up to {@code max_position_embeddings}; build one
 * graph per mode and reuse it. {@link Mode#INFERENCE} has no dropout; in {@link Mode#TRAIN} the
 * dropout masks are drawn from {@code Nd4j.getRandom()} in {@code feed} (seed it for
 * reproducibility). Attention uses SameDiff's fused {@code dot_product_attention} where no attention
 * dropout is needed, the explicit matmul/softmax path otherwise (both gradient-checked).
 *
 * <p>SameDiff 1.0.0-M2.1 facts this class relies on (and a head writer should know): {@code
 * calculateGradients} returns a placeholder's gradient only if the op consuming it also has a
 * trainable input; its dropout ops have no gradient (dropout here is a mask placeholder); ND4J frees
 * native memory only when arrays are garbage collected, so a training loop should {@code
 * System.gc()} every step or so (see {@link BertPreTrainingModel#gcEvery}) to keep RSS flat.
 */
public final class BertEncoder implements AutoCloseable {
    /** Training (dropout on) or inference. */
    public enum Mode { TRAIN, INFERENCE }

    /** HF name of the word-embedding table {@code [V,H]} (also the tied MLM decoder). */
    public static final String WORD_EMBEDDINGS = BertEmbeddings.WORD;
    /** Placeholder names of a graph. */
    public static final String INPUTS_EMBEDS = BertEmbeddings.INPUTS_EMBEDS;
    public static final String ATTENTION_MASK = "attention_mask";

    /** Additive mask value at padded keys, as the original BERT: {@code (1 - mask) * -10000}. */
    public static final double MASK_VALUE = -10000.0;

    private final BertConfig config;
    private final Map<String, INDArray> params;
    private Graph inferenceGraph;
    private EagerEncoder eager;
    private EagerEncoder trainingEngine;
    private boolean fusedAttention = true;

    private BertEncoder(BertConfig config, Map<String, INDArray> params) {
        this.config = config;
        this.params = Collections.unmodifiableMap(params);
    }

    /**
     * A new encoder initialised as HuggingFace does: weights and embeddings N(0, {@code
     * initializer_range}) (the {@code pad_token_id} row zero), biases 0, LayerNorm γ=1, β=0.
     */
    public static BertEncoder create(BertConfig config, long seed) {
        return create(config, seed, DataType.FLOAT);
    }

    /** As {@link #create(BertConfig, long)} with parameters of type {@code dtype} (DOUBLE for gradient checks). */
    public static BertEncoder create(BertConfig config, long seed, DataType dtype) {
        return new BertEncoder(config, initialise(parameterShapes(config), config, seed, dtype));
    }

    /** Loads {@code config.json} and {@code model.safetensors} (bert4j or HuggingFace) from {@code dir}, as FLOAT. */
    public static BertEncoder load(Path dir) throws IOException {
        return load(dir, DataType.FLOAT);
    }

    /**
     * Loads a model directory. {@code cls.*} head weights are ignored here (see {@link
     * BertPreTrainingModel#load}); every encoder parameter must be present with the configured shape.
     */
    public static BertEncoder load(Path dir, DataType dtype) throws IOException {
        Path configFile = dir.resolve("config.json");
        if (!Files.isRegularFile(configFile)) {
            throw new java.nio.file.NoSuchFileException(configFile.toString(), null, Files.isDirectory(dir)
                    ? "the model directory has no config.json" : "no such model directory " + dir);
        }
        BertConfig config = BertConfig.load(dir);
        BertEncoder encoder = create(config, 0, dtype);
        Map<String, INDArray> tensors = BertCheckpoint.read(dir, dtype);
        for (String name : encoder.params.keySet()) {
            INDArray t = tensors.get(name);
            if (t == null) {
                throw new IOException("checkpoint " + dir + " has no tensor " + name);
            }
            BertCheckpoint.assign(encoder.params, name, t, dir);
        }
        return encoder;
    }

    /** Writes {@code config.json} and {@code model.safetensors} (encoder parameters only) into {@code dir}. */
    public void save(Path dir) throws IOException {
        config.save(dir);
        BertCheckpoint.write(dir, params);
    }

    /**
     * Whether float32 attention on the CPU runs in bert4j's Java Vector API kernels: the JVM was
     * started with {@code --add-modules jdk.incubator.vector} (the {@code ./bert4j} launcher does
     * this; without it attention falls back to ND4J's batched products, ~1.4× slower inference and
     * ~1.3× slower training at the seed shape). {@code -Dbert4j.vectorKernels=false} turns it off.
     */
    public static boolean vectorKernels() {
        return FusedKernels.VECTOR_API;
    }

    /** Names and shapes of every encoder parameter, in HuggingFace's order ({@code [out,in]} for Linear). */
    public static LinkedHashMap<String, long[]> parameterShapes(BertConfig c) {
        long h = c.hiddenSize();
        long i = c.intermediateSize();
        LinkedHashMap<String, long[]> s = new LinkedHashMap<>();
        s.put(BertEmbeddings.WORD, new long[] {c.vocabSize(), h});
        s.put(BertEmbeddings.POSITION, new long[] {c.maxPositionEmbeddings(), h});
        s.put(BertEmbeddings.TOKEN_TYPE, new long[] {c.typeVocabSize(), h});
        s.put(BertEmbeddings.PREFIX + ".LayerNorm.weight", new long[] {h});
        s.put(BertEmbeddings.PREFIX + ".LayerNorm.bias", new long[] {h});
        for (int l = 0; l < c.numHiddenLayers(); l++) {
            String p = BertLayer.prefix(l);
            for (String qkv : List.of("query", "key", "value")) {
                s.put(p + ".attention.self." + qkv + ".weight", new long[] {h, h});
                s.put(p + ".attention.self." + qkv + ".bias", new long[] {h});
            }
            s.put(p + ".attention.output.dense.weight", new long[] {h, h});
            s.put(p + ".attention.output.dense.bias", new long[] {h});
            s.put(p + ".attention.output.LayerNorm.weight", new long[] {h});
            s.put(p + ".attention.output.LayerNorm.bias", new long[] {h});
            s.put(p + ".intermediate.dense.weight", new long[] {i, h});
            s.put(p + ".intermediate.dense.bias", new long[] {i});
            s.put(p + ".output.dense.weight", new long[] {h, i});
            s.put(p + ".output.dense.bias", new long[] {h});
            s.put(p + ".output.LayerNorm.weight", new long[] {h});
            s.put(p + ".output.LayerNorm.bias", new long[] {h});
        }
        s.put(BertPooler.PREFIX + ".weight", new long[] {h, h});
        s.put(BertPooler.PREFIX + ".bias", new long[] {h});
        return s;
    }

    /**
     * Initial values for {@code shapes} (HuggingFace's {@code _init_weights}): LayerNorm weight 1;
     * other {@code .bias} 0; everything else N(0, initializer_range) from a generator seeded with
     * {@code seed}, in map order; the {@code pad_token_id} row of the word embeddings zero.
     */
    static LinkedHashMap<String, INDArray> initialise(Map<String, long[]> shapes, BertConfig c, long seed, DataType dtype) {
        Random rng = new Random(seed);
        LinkedHashMap<String, INDArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            String name = e.getKey();
            long[] shape = e.getValue();
            INDArray a;
            if (name.contains("LayerNorm") && name.endsWith(".weight")) {
                a = Nd4j.ones(dtype, shape);
            } else if (name.endsWith("bias")) {
                a = Nd4j.zeros(dtype, shape);
            } else {
                int n = Math.toIntExact(lengthOf(shape));
                double[] v = new double[n];
                for (int k = 0; k < n; k++) {
                    v[k] = rng.nextGaussian() * c.initializerRange();
                }
                a = Nd4j.create(v, shape, DataType.DOUBLE).castTo(dtype);
                if (name.equals(BertEmbeddings.WORD)) {
                    a.getRow(c.padTokenId()).assign(0);
                }
            }
            out.put(name, a);
        }
        return out;
    }

    private static long lengthOf(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    public BertConfig config() {
        return config;
    }

    /** The live parameter arrays by HF name, in {@link #parameterShapes} order (unmodifiable map). */
    public Map<String, INDArray> parameters() {
        return params;
    }

    /** The data type of the parameters (FLOAT normally, DOUBLE for gradient checks). */
    public DataType dataType() {
        return params.get(BertEmbeddings.WORD).dataType();
    }

    /** A copy of this encoder with parameters of type {@code dtype}. */
    public BertEncoder castTo(DataType dtype) {
        LinkedHashMap<String, INDArray> copy = new LinkedHashMap<>();
        params.forEach((k, v) -> copy.put(k, v.castTo(dtype).dup()));
        return new BertEncoder(config, copy);
    }

    /**
     * Builds the encoder into {@code sd}: placeholders {@code inputs_embeds} {@code [B*T,H]}, {@code
     * token_type_onehot} {@code [B*T,S]} and {@code attention_mask} {@code [B,T]} (1 real, 0
     * padding), variables named by HF names.
     * Call once per SameDiff.
     */
    public Graph build(SameDiff sd, Mode mode) {
        GraphContext g = new GraphContext(sd, config, mode, dataType(), params::get);
        g.fusedAttention = fusedAttention;
        SDVariable embeds = sd.placeHolder(INPUTS_EMBEDS, g.dtype, -1, config.hiddenSize());
        SDVariable types = sd.placeHolder(BertEmbeddings.TOKEN_TYPE_ONEHOT, g.dtype, -1, config.typeVocabSize());
        SDVariable mask = sd.placeHolder(ATTENTION_MASK, g.dtype, -1, -1);
        g.setBatchAndLength(mask);
        SDVariable additive = sd.expandDims(sd.expandDims(mask.rsub(1.0).mul(MASK_VALUE), 1), 1); // [B,1,1,T]
        SDVariable x = BertEmbeddings.build(g, embeds, types); // [N,H]
        for (int l = 0; l < config.numHiddenLayers(); l++) {
            x = BertLayer.build(g, l, x, additive);
        }
        SDVariable sequence = sd.reshape(x, g.shapeBT(config.hiddenSize())).rename("bert.sequence_output"); // [B,T,H]
        return new Graph(this, g, x, sequence);
    }

    /**
     * Whether graphs built from now on use SameDiff's fused attention op where no attention dropout
     * is needed (inference; training with {@code attention_probs_dropout_prob = 0}). Default true;
     * false forces the explicit matmul/softmax path (tests check both).
     */
    public BertEncoder fusedAttention(boolean on) {
        this.fusedAttention = on;
        return this;
    }

    /** Sequence and pooled outputs of an inference forward pass. */
    public record Outputs(INDArray sequenceOutput, INDArray pooledOutput) {}

    /**
     * Inference forward pass (no dropout) on {@code [B,T]} ids, type ids (null = all 0) and
     * attention mask (null = all 1). Runs the eager engine (ND4J ops on buffers reused between
     * calls of the same shape; the same function as the graph, see {@link Engine});
     * the returned arrays are the caller's.
     */
    public synchronized Outputs encode(INDArray inputIds, INDArray tokenTypeIds, INDArray attentionMask) {
        if (eager == null) {
            eager = new EagerEncoder(this);
        }
        EagerEncoder.State s = forward(eager, inputIds, tokenTypeIds, attentionMask, false, true);
        return new Outputs(s.sequence().dup().reshape(s.b, s.t, config.hiddenSize()), s.pooled.dup());
    }

    /**
     * An inference forward pass (no dropout, no pooler) that hands the last layer's hidden states
     * {@code [B*T,H]} (row {@code b*T + t}) to {@code reader} and returns what it returns. The
     * array is the engine's own buffer, reused by the next pass: read it (or copy what you need)
     * inside {@code reader}, do not keep or modify it. Unlike {@link #encode} nothing is copied or
     * allocated per call, so a tagger's native memory stays that of the engine's buffers. Runs
     * under the encoder's lock.
     */
    public synchronized <R> R withHiddenStates(INDArray inputIds, INDArray tokenTypeIds, INDArray attentionMask,
            java.util.function.Function<INDArray, R> reader) {
        if (eager == null) {
            eager = new EagerEncoder(this);
        }
        return reader.apply(forward(eager, inputIds, tokenTypeIds, attentionMask, false, false).sequence());
    }

    /** Native bytes held by the eager engines' reusable buffers (inference and training). */
    public synchronized long engineBufferBytes() {
        return (eager == null ? 0 : eager.bufferBytes()) + (trainingEngine == null ? 0 : trainingEngine.bufferBytes());
    }

    /**
     * A training-mode forward pass (dropout on, masks drawn from {@code Nd4j.getRandom()}) of the
     * eager engine, for a head computed outside SameDiff: read {@link TrainingPass#hiddenStates},
     * compute the head and its gradient, then call {@link TrainingPass#backward} once. The pass
     * lives in buffers the next pass reuses.
     * <pre>{@code
     * BertEncoder.TrainingPass pass = encoder.trainingPass(inputIds, null, attentionMask);
     * INDArray h = pass.hiddenStates();                       // [B*T,H], row b*T + t
     * INDArray dH = ...my head's forward and backward...;    // dLoss/dh, [B*T,H]
     * Map<String, INDArray> grads = pass.backward(dH);       // every encoder parameter used, by HF name
     * }</pre>
     */
    public synchronized TrainingPass trainingPass(INDArray inputIds, INDArray tokenTypeIds, INDArray attentionMask) {
        if (trainingEngine == null) {
            trainingEngine = new EagerEncoder(this);
        }
        return new TrainingPass(trainingEngine, forward(trainingEngine, inputIds, tokenTypeIds, attentionMask, true, false));
    }

    /** An eager forward pass on {@code [B,T]} arrays, in training or inference mode, with or without the pooler. */
    private static EagerEncoder.State forward(EagerEncoder engine, INDArray inputIds, INDArray tokenTypeIds,
            INDArray attentionMask, boolean train, boolean pooled) {
        if (inputIds.rank() != 2) {
            throw new IllegalArgumentException("input_ids must be [B,T], got rank " + inputIds.rank());
        }
        int b = (int) inputIds.size(0);
        int t = (int) inputIds.size(1);
        int[] ids = EmbeddingLookup.flatInts(inputIds);
        int[] types = tokenTypeIds == null ? new int[ids.length] : EmbeddingLookup.flatInts(tokenTypeIds);
        return engine.forward(ids, types, attentionMask, b, t, train, pooled);
    }

    /** See {@link #trainingPass}. */
    public final class TrainingPass {
        private final EagerEncoder engine;
        private final EagerEncoder.State state;
        private boolean done;

        private TrainingPass(EagerEncoder engine, EagerEncoder.State state) {
            this.engine = engine;
            this.state = state;
        }

        /** Last layer's hidden states {@code [B*T,H]} (row {@code b*T + t}); do not modify. */
        public INDArray hiddenStates() {
            return state.sequence();
        }

        /**
         * Back-propagates {@code dHidden} ({@code [B*T,H]}, overwritten) and returns the gradient
         * of every encoder parameter except the pooler's, by HuggingFace name, in {@link
         * #parameters()} order.
         */
        public Map<String, INDArray> backward(INDArray dHidden) {
            if (done) {
                throw new IllegalStateException("backward was already called for this pass");
            }
            done = true;
            Map<String, INDArray> grads = new HashMap<>();
            synchronized (BertEncoder.this) {
                engine.backward(state, dHidden, null, grads);
            }
            LinkedHashMap<String, INDArray> ordered = new LinkedHashMap<>();
            for (String n : params.keySet()) {
                if (grads.containsKey(n)) {
                    ordered.put(n, grads.get(n));
                }
            }
            return ordered;
        }
    }

    /** As {@link #encode} through the SameDiff inference graph (built once and cached). */
    public synchronized Outputs encodeWithGraph(INDArray inputIds, INDArray tokenTypeIds, INDArray attentionMask) {
        if (inferenceGraph == null) {
            inferenceGraph = build(SameDiff.create(), Mode.INFERENCE);
            inferenceGraph.pooledOutput();
        }
        Map<String, INDArray> ph = new HashMap<>();
        inferenceGraph.feed(ph, inputIds, tokenTypeIds, attentionMask);
        String seq = inferenceGraph.sequenceOutput().name();
        String pooled = inferenceGraph.pooledOutput().name();
        Map<String, INDArray> out = inferenceGraph.sd().output(ph, seq, pooled);
        return new Outputs(out.get(seq), out.get(pooled));
    }

    @Override
    public synchronized void close() {
        inferenceGraph = null;
        if (eager != null) {
            eager.close();
        }
        if (trainingEngine != null) {
            trainingEngine.close();
        }
        eager = null;
        trainingEngine = null;
        params.values().forEach(INDArray::close);
    }

    /** What {@link Graph#feed} looked up, kept for {@link Graph#parameterGradients}. */
    public record Feed(int[] inputIds, int[] tokenTypeIds, int batchSize, int length) {}

    /** The encoder built into one {@link SameDiff}; see the class javadoc for its use. */
    public static final class Graph {
        private final BertEncoder encoder;
        private final GraphContext g;
        private final SDVariable hidden;
        private final SDVariable sequence;
        private SDVariable pooled;

        private Graph(BertEncoder encoder, GraphContext g, SDVariable hidden, SDVariable sequence) {
            this.encoder = encoder;
            this.g = g;
            this.hidden = hidden;
            this.sequence = sequence;
        }

        public SameDiff sd() {
            return g.sd;
        }

        public Mode mode() {
            return g.mode;
        }

        public BertConfig config() {
            return g.config;
        }

        /** Last layer's hidden states {@code [B,T,H]}. */
        public SDVariable sequenceOutput() {
            return sequence;
        }

        /** The same hidden states flattened to {@code [B*T,H]} (row {@code b*T + t}). */
        public SDVariable hiddenStates() {
            return hidden;
        }

        /** Pooled {@code [CLS]} output {@code [B,H]} (built on first call). */
        public SDVariable pooledOutput() {
            if (pooled == null) {
                pooled = BertPooler.build(g, sequence).rename("bert.pooled_output");
            }
            return pooled;
        }

        /** The word-embedding table as a graph variable {@code [V,H]}, for a tied decoder. */
        public SDVariable wordEmbeddings() {
            return g.param(WORD_EMBEDDINGS);
        }

        /** The dropout placeholders of this graph (empty in inference mode). */
        List<DropoutSite> dropoutSites() {
            return g.dropoutSites();
        }

        GraphContext context() {
            return g;
        }

        /**
         * Fills the encoder's placeholders for a batch: {@code inputs_embeds} (looked up here),
         * {@code attention_mask}, and in training mode fresh dropout masks drawn from {@code
         * Nd4j.getRandom()}.
         *
         * @param inputIds {@code [B,T]} integer ids
         * @param tokenTypeIds {@code [B,T]} segment ids, or null for all 0
         * @param attentionMask {@code [B,T]} 1 real / 0 padding, or null for all 1
         */
        public Feed feed(Map<String, INDArray> placeholders, INDArray inputIds, INDArray tokenTypeIds,
                INDArray attentionMask) {
            BertConfig c = g.config;
            if (inputIds.rank() != 2) {
                throw new IllegalArgumentException("input_ids must be [B,T], got rank " + inputIds.rank());
            }
            int b = (int) inputIds.size(0);
            int t = (int) inputIds.size(1);
            if (t > c.maxPositionEmbeddings()) {
                throw new IllegalArgumentException("sequence length " + t + " exceeds max_position_embeddings "
                        + c.maxPositionEmbeddings());
            }
            int[] ids = EmbeddingLookup.flatInts(inputIds);
            int[] types = tokenTypeIds == null ? new int[ids.length] : EmbeddingLookup.flatInts(tokenTypeIds);
            if (types.length != ids.length) {
                throw new IllegalArgumentException("token_type_ids must have the shape of input_ids [" + b + "," + t + "]");
            }
            Map<String, INDArray> p = encoder.params;
            placeholders.put(INPUTS_EMBEDS, EmbeddingLookup.forward(p.get(BertEmbeddings.WORD),
                    p.get(BertEmbeddings.POSITION), ids, b, t));
            placeholders.put(BertEmbeddings.TOKEN_TYPE_ONEHOT, EmbeddingLookup.oneHot(types, c.typeVocabSize(), g.dtype));
            INDArray mask = attentionMask == null ? Nd4j.ones(g.dtype, b, t) : attentionMask.castTo(g.dtype);
            if (mask.size(0) != b || mask.size(1) != t) {
                throw new IllegalArgumentException("attention_mask must have the shape of input_ids [" + b + "," + t + "]");
            }
            placeholders.put(ATTENTION_MASK, mask);
            g.fillDropout(placeholders, b, t);
            return new Feed(ids, types, b, t);
        }

        /** Convenience overload for Java arrays {@code [B][T]} (types and mask may be null). */
        public Feed feed(Map<String, INDArray> placeholders, int[][] inputIds, int[][] tokenTypeIds, int[][] attentionMask) {
            return feed(placeholders, Nd4j.createFromArray(inputIds),
                    tokenTypeIds == null ? null : Nd4j.createFromArray(tokenTypeIds),
                    attentionMask == null ? null : Nd4j.createFromArray(attentionMask));
        }

        /**
         * Names to pass to {@code calculateGradients} for the encoder: {@code inputs_embeds} and
         * every encoder parameter that is a variable of this graph (the pooler only once {@link
         * #pooledOutput()} was built, the word table only if {@link #wordEmbeddings()} was used).
         */
        public List<String> gradientNames() {
            List<String> names = new ArrayList<>();
            names.add(INPUTS_EMBEDS);
            for (String n : encoder.params.keySet()) {
                if (g.sd.hasVariable(n)) {
                    names.add(n);
                }
            }
            return names;
        }

        /**
         * Encoder parameter gradients by HF name from the result of {@code calculateGradients}: the
         * word and position tables from {@code inputs_embeds}' gradient (plus the graph gradient of
         * the word table if a tied head used it), the others as computed by SameDiff. Parameters
         * the loss does not depend on are absent (zero gradient).
         */
        public Map<String, INDArray> parameterGradients(Feed feed, Map<String, INDArray> grads) {
            BertConfig c = g.config;
            INDArray gEmb = grads.get(INPUTS_EMBEDS);
            if (gEmb == null) {
                throw new IllegalArgumentException("gradients do not contain " + INPUTS_EMBEDS + "; request gradientNames()");
            }
            LinkedHashMap<String, INDArray> out = new LinkedHashMap<>();
            INDArray word = EmbeddingLookup.scatterAdd(feed.inputIds(), gEmb, c.vocabSize(), g.dtype);
            INDArray tied = grads.get(WORD_EMBEDDINGS);
            if (tied != null) {
                word.addi(tied);
            }
            out.put(BertEmbeddings.WORD, word);
            out.put(BertEmbeddings.POSITION, EmbeddingLookup.positionGradient(gEmb, feed.batchSize(), feed.length(),
                    c.maxPositionEmbeddings()));
            for (String n : encoder.params.keySet()) {
                if (!out.containsKey(n) && grads.get(n) != null) {
                    out.put(n, grads.get(n));
                }
            }
            return out;
        }
    }
}
