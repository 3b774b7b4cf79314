package io.github.bert4j.bert;

import io.github.bert4j.bert.eager.kernels.KernelBackend;
import io.github.bert4j.bert.eager.kernels.Kernels;
import io.github.bert4j.bert.graph.EncoderGraph;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The BERT encoder (Devlin et al. 2019): embeddings → N post-LN Transformer layers → hidden states
 * {@code [B*T,H]} and the pooled {@code [CLS]} output {@code [B,H]}. It owns its parameters under
 * HuggingFace's names ({@link #parameters()}, {@link HfNames}), their initialisation, loading and
 * saving, and computes forward passes with an {@link Engine} ({@link Engine#EAGER} by default).
 *
 * <h2>A head on the encoder</h2>
 * Every head of the library (MLM, NSP, token and sequence classification, in {@code bert.heads})
 * is written once on {@link EncoderPass} and runs on either engine:
 * <pre>{@code
 * BertEncoder encoder = BertEncoder.load(modelDir);                     // or create(config, seed)
 * EncoderPass pass = encoder.forward(EncoderInputs.of(ids, types, mask), BertEncoder.Mode.TRAIN);
 * INDArray h = pass.hidden();                                           // [B*T,H]
 * INDArray pooled = pass.pooled();                                      // [B,H]
 * ... the head's loss, dLoss/dh and dLoss/dpooled ...
 * Map<String, INDArray> grads = pass.backward(dHidden, dPooled);        // by HuggingFace name
 * }</pre>
 *
 * <h2>A head written in SameDiff</h2>
 * {@link #build} puts the encoder into a caller's {@link SameDiff} ({@link EncoderGraph}): the
 * word and position lookups run outside the graph (SameDiff's {@code gather} backward is broken),
 * {@link EncoderGraph#feed} fills the placeholders, and {@link EncoderGraph#parameterGradients}
 * turns the gradient of {@code inputs_embeds} into those of the word and position tables.
 * <pre>{@code
 * SameDiff sd = SameDiff.create();
 * EncoderGraph bert = encoder.build(sd, BertEncoder.Mode.TRAIN);        // once, reuse every step
 * SDVariable logits = ...my head on bert.sequenceOutput() [B,T,H]...;
 * SDVariable loss = ...; sd.setLossVariables(loss.name());
 * Map<String, INDArray> ph = new HashMap<>();
 * EncoderGraph.Feed feed = bert.feed(ph, inputIds, tokenTypeIds, attentionMask); // [B,T] arrays
 * ph.put("my_labels", labels);
 * List<String> wrt = new ArrayList<>(bert.gradientNames());             // encoder variables + inputs_embeds
 * wrt.addAll(myHeadVariableNames);
 * Map<String, INDArray> g = sd.calculateGradients(ph, wrt);
 * Map<String, INDArray> encoderGrads = bert.parameterGradients(feed, g); // by HF name, tables included
 * }</pre>
 * A tied decoder ({@link EncoderGraph#wordEmbeddings()} as a graph variable) adds its graph
 * gradient to the scatter-added one. Parameters are live arrays: update them in place and every
 * graph and engine sees the change.
 *
 * <p>Passes and graphs accept any batch size and any length up to {@code
 * max_position_embeddings}. {@link Mode#INFERENCE} has no dropout; in {@link Mode#TRAIN} the
 * dropout masks are drawn from {@code Nd4j.getRandom()} (seed it for reproducibility), in the same
 * order on both engines. Attention uses SameDiff's fused {@code dot_product_attention} in the graph
 * where no attention dropout is needed, the explicit matmul/softmax path otherwise (both
 * gradient-checked).
 *
 * <p>SameDiff 1.0.0-M2.1 facts a head writer should know: {@code calculateGradients} returns a
 * placeholder's gradient only if the op consuming it also has a trainable input; its dropout ops
 * have no gradient (dropout here is a mask placeholder); ND4J frees native memory only when arrays
 * are garbage collected, so a training loop should {@code System.gc()} every step or so ({@link
 * Engine#stepsBetweenCollections}) to keep RSS flat.
 */
public final class BertEncoder implements AutoCloseable {
    /** Training (dropout on) or inference. */
    public enum Mode { TRAIN, INFERENCE }


    /** Additive mask value at padded keys, as the original BERT: {@code (1 - mask) * -10000}. */
    public static final double MASK_VALUE = -10000.0;

    private final BertConfig config;
    private final Map<String, INDArray> params;
    private Engine engine = Engine.EAGER;
    /** One engine per mode: validation between training steps must not reuse the training pass's buffers. */
    private EncoderEngine inferenceEngine;
    private EncoderEngine trainingEngine;
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
        return Kernels.backend(DataType.FLOAT) == KernelBackend.VECTOR_API;
    }

    /** Names and shapes of every encoder parameter, in HuggingFace's order ({@code [out,in]} for Linear). */
    public static LinkedHashMap<String, long[]> parameterShapes(BertConfig c) {
        long h = c.hiddenSize();
        long i = c.intermediateSize();
        LinkedHashMap<String, long[]> s = new LinkedHashMap<>();
        s.put(HfNames.WORD_EMBEDDINGS, new long[] {c.vocabSize(), h});
        s.put(HfNames.POSITION_EMBEDDINGS, new long[] {c.maxPositionEmbeddings(), h});
        s.put(HfNames.TOKEN_TYPE_EMBEDDINGS, new long[] {c.typeVocabSize(), h});
        affine(s, HfNames.EMBEDDINGS_LAYER_NORM, h);
        for (int l = 0; l < c.numHiddenLayers(); l++) {
            HfNames.Layer n = HfNames.layerNames(l);
            for (String qkv : List.of(n.query(), n.key(), n.value())) {
                linear(s, qkv, h, h);
            }
            linear(s, n.attentionOutputDense(), h, h);
            affine(s, n.attentionOutputLayerNorm(), h);
            linear(s, n.intermediateDense(), i, h);
            linear(s, n.outputDense(), h, i);
            affine(s, n.outputLayerNorm(), h);
        }
        linear(s, HfNames.POOLER_DENSE, h, h);
        return s;
    }

    /** Puts a Linear layer's {@code prefix.weight [out,in]} and {@code prefix.bias [out]}. */
    public static void linear(Map<String, long[]> shapes, String prefix, long out, long in) {
        shapes.put(HfNames.weight(prefix), new long[] {out, in});
        shapes.put(HfNames.bias(prefix), new long[] {out});
    }

    /** Puts a LayerNorm's {@code prefix.weight [h]} and {@code prefix.bias [h]}. */
    public static void affine(Map<String, long[]> shapes, String prefix, long h) {
        shapes.put(HfNames.weight(prefix), new long[] {h});
        shapes.put(HfNames.bias(prefix), new long[] {h});
    }

    /**
     * Initial values for {@code shapes} (HuggingFace's {@code _init_weights}): LayerNorm weight 1;
     * other {@code .bias} 0; everything else N(0, initializer_range) from a generator seeded with
     * {@code seed}, in map order; the {@code pad_token_id} row of the word embeddings zero.
     */
    public static LinkedHashMap<String, INDArray> initialise(Map<String, long[]> shapes, BertConfig c, long seed, DataType dtype) {
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
                if (name.equals(HfNames.WORD_EMBEDDINGS)) {
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
        return params.get(HfNames.WORD_EMBEDDINGS).dataType();
    }

    /** A copy of this encoder with parameters of type {@code dtype}. */
    public BertEncoder castTo(DataType dtype) {
        LinkedHashMap<String, INDArray> copy = new LinkedHashMap<>();
        params.forEach((k, v) -> copy.put(k, v.castTo(dtype).dup()));
        return new BertEncoder(config, copy);
    }

    /**
     * Builds the encoder into {@code sd} (once per SameDiff), for a head written in SameDiff: see
     * {@link EncoderGraph} and the class javadoc.
     */
    public EncoderGraph build(SameDiff sd, Mode mode) {
        return EncoderGraph.build(this, sd, mode, fusedAttention);
    }

    /**
     * Whether graphs built from now on use SameDiff's fused attention op where no attention dropout
     * is needed (inference; training with {@code attention_probs_dropout_prob = 0}). Default true;
     * false forces the explicit matmul/softmax path (tests check both). Drops the engines, so that
     * a graph engine is rebuilt with the new setting.
     */
    public synchronized BertEncoder fusedAttention(boolean on) {
        this.fusedAttention = on;
        closeEngines();
        return this;
    }

    /**
     * Selects the {@link Engine} that computes {@link #forward} from now on (default {@link
     * Engine#EAGER}); the engines of the other kind are closed. Returns this.
     */
    public synchronized BertEncoder engine(Engine engine) {
        if (engine != this.engine) {
            closeEngines();
            this.engine = java.util.Objects.requireNonNull(engine, "engine");
        }
        return this;
    }

    public synchronized Engine engine() {
        return engine;
    }

    private EncoderEngine engineFor(Mode mode) {
        if (mode == Mode.TRAIN) {
            if (trainingEngine == null) {
                trainingEngine = engine.create(this);
            }
            return trainingEngine;
        }
        if (inferenceEngine == null) {
            inferenceEngine = engine.create(this);
        }
        return inferenceEngine;
    }

    /**
     * A forward pass over {@code inputs}: {@link Mode#TRAIN} draws dropout masks from {@code
     * Nd4j.getRandom()} and allows {@link EncoderPass#backward}; {@link Mode#INFERENCE} has no
     * dropout. The pass lives in the engine's buffers until the next pass of the same mode.
     */
    public synchronized EncoderPass forward(EncoderInputs inputs, Mode mode) {
        return engineFor(mode).forward(inputs, mode);
    }

    /** As {@link #forward(EncoderInputs, Mode)} on {@code [B,T]} ids, type ids (null = 0) and mask (null = 1). */
    public EncoderPass forward(INDArray inputIds, INDArray tokenTypeIds, INDArray attentionMask, Mode mode) {
        return forward(EncoderInputs.of(inputIds, tokenTypeIds, attentionMask), mode);
    }

    /** Sequence and pooled outputs of an inference forward pass. */
    public record Outputs(INDArray sequenceOutput, INDArray pooledOutput) {}

    /**
     * Inference forward pass (no dropout) on {@code [B,T]} ids, type ids (null = all 0) and
     * attention mask (null = all 1): the sequence output {@code [B,T,H]} and the pooled output
     * {@code [B,H]}, copied (the caller's arrays).
     */
    public synchronized Outputs encode(INDArray inputIds, INDArray tokenTypeIds, INDArray attentionMask) {
        EncoderPass pass = forward(inputIds, tokenTypeIds, attentionMask, Mode.INFERENCE);
        EncoderInputs in = pass.inputs();
        return new Outputs(pass.hidden().dup().reshape(in.batchSize(), in.length(), config.hiddenSize()),
                pass.pooled().dup());
    }

    /**
     * An inference forward pass (no dropout, no pooler) that hands the last layer's hidden states
     * {@code [B*T,H]} (row {@code b*T + t}) to {@code reader} and returns what it returns. The
     * array is the engine's own buffer, reused by the next pass: read it (or copy what you need)
     * inside {@code reader}, do not keep or modify it. Unlike {@link #encode} nothing is copied, so
     * a tagger's native memory stays that of the engine's buffers. Runs under the encoder's lock.
     */
    public synchronized <R> R withHiddenStates(INDArray inputIds, INDArray tokenTypeIds, INDArray attentionMask,
            java.util.function.Function<INDArray, R> reader) {
        return reader.apply(forward(inputIds, tokenTypeIds, attentionMask, Mode.INFERENCE).hidden());
    }

    /** Native bytes held by the engines' reusable buffers (inference and training). */
    public synchronized long engineBufferBytes() {
        return (inferenceEngine == null ? 0 : inferenceEngine.bufferBytes())
                + (trainingEngine == null ? 0 : trainingEngine.bufferBytes());
    }

    private void closeEngines() {
        if (inferenceEngine != null) {
            inferenceEngine.close();
        }
        if (trainingEngine != null) {
            trainingEngine.close();
        }
        inferenceEngine = null;
        trainingEngine = null;
    }

    @Override
    public synchronized void close() {
        closeEngines();
        params.values().forEach(INDArray::close);
    }
}
