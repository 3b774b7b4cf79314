package io.github.bert4j.bert;

import io.github.bert4j.core.train.Metrics;
import io.github.bert4j.core.train.NativeMemory;
import io.github.bert4j.core.train.StepOutput;
import io.github.bert4j.core.train.TrainableModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * HuggingFace's {@code BertForPreTraining}: a {@link BertEncoder} with the MLM head (on masked
 * positions only, decoder tied to the word embeddings) and the NSP head, trainable by the core
 * {@code Trainer}.
 *
 * <p>Loss = {@code mlm_loss + nsp_loss} (each switched off by {@code train_mlm}/{@code train_nsp}):
 * {@code mlm_loss} is the cross-entropy averaged over real predictions ({@code mlm_weights} = 1),
 * {@code nsp_loss} the cross-entropy averaged over the batch. Metrics (additive sums for {@link
 * Metrics}): {@code mlm_loss}, {@code mlm_acc} (over real predictions), {@code nsp_loss}, {@code
 * nsp_acc} (over examples), for the enabled objectives.
 *
 * <p>The training graph (dropout on) and the inference graph are each built once, on first use,
 * and share the parameter arrays. Not thread-safe.
 */
public final class BertPreTrainingModel implements TrainableModel<PretrainingBatch>, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(BertPreTrainingModel.class.getName());
    static final String MLM_LABELS = "mlm_labels";
    static final String MLM_WEIGHTS = "mlm_weights";
    static final String NSP_LABELS = "nsp_labels";
    static final String NSP_WEIGHTS = "nsp_weights";

    private final BertEncoder encoder;
    private final Map<String, INDArray> heads;
    private final Map<String, INDArray> all;
    private final boolean trainMlm;
    private final boolean trainNsp;
    private Built train;
    private Built inference;
    /** Graph steps leave hundreds of MB of intermediates: collect after each. */
    private NativeMemory nativeMemory = NativeMemory.every(1);
    /**
     * Eager steps reuse their activation buffers and leave only the gradient maps and small
     * temporaries (~50 MB at the seed shape): collecting every 4th step saved 3% of the step time
     * for +0.3 GB peak RSS (1.15 → 1.44 GB, seed 64 × 128).
     */
    private NativeMemory eagerMemory = NativeMemory.every(4);
    private Engine engine = Engine.EAGER;
    private EagerEncoder eager;

    private BertPreTrainingModel(BertEncoder encoder, Map<String, INDArray> heads, boolean trainMlm, boolean trainNsp) {
        if (!trainMlm && !trainNsp) {
            throw new IllegalArgumentException("at least one of train_mlm and train_nsp must be true");
        }
        this.encoder = encoder;
        this.heads = Collections.unmodifiableMap(heads);
        LinkedHashMap<String, INDArray> m = new LinkedHashMap<>(encoder.parameters());
        m.putAll(heads);
        this.all = Collections.unmodifiableMap(m);
        this.trainMlm = trainMlm;
        this.trainNsp = trainNsp;
    }

    /** A freshly initialised model (FLOAT), both objectives on. */
    public static BertPreTrainingModel create(BertConfig config, long seed) {
        return create(config, seed, DataType.FLOAT, true, true);
    }

    /** A freshly initialised model: encoder and heads initialised as HuggingFace does, from {@code seed}. */
    public static BertPreTrainingModel create(BertConfig config, long seed, DataType dtype, boolean trainMlm, boolean trainNsp) {
        BertEncoder encoder = BertEncoder.create(config, seed, dtype);
        Map<String, INDArray> heads = BertEncoder.initialise(BertPreTrainingHeads.parameterShapes(config), config,
                seed ^ 0x5DEECE66DL, dtype);
        return new BertPreTrainingModel(encoder, heads, trainMlm, trainNsp);
    }

    /** Loads a model directory (FLOAT), both objectives on. */
    public static BertPreTrainingModel load(Path dir) throws IOException {
        return load(dir, DataType.FLOAT, true, true);
    }

    /**
     * Loads {@code config.json} + {@code model.safetensors}: a bert4j or HuggingFace {@code
     * BertForPreTraining} checkpoint. A tied {@code cls.predictions.decoder.weight} (and {@code
     * decoder.bias}) is accepted and checked against the word embeddings / {@code
     * cls.predictions.bias}; head weights absent from an encoder-only checkpoint keep their fresh
     * initialisation (logged).
     */
    public static BertPreTrainingModel load(Path dir, DataType dtype, boolean trainMlm, boolean trainNsp) throws IOException {
        BertEncoder encoder = BertEncoder.load(dir, dtype);
        BertConfig config = encoder.config();
        Map<String, INDArray> heads = BertEncoder.initialise(BertPreTrainingHeads.parameterShapes(config), config, 0, dtype);
        Map<String, INDArray> tensors = BertCheckpoint.read(dir, dtype);
        List<String> missing = new ArrayList<>();
        for (String name : heads.keySet()) {
            INDArray t = tensors.get(name);
            if (t == null) {
                missing.add(name);
            } else {
                BertCheckpoint.assign(heads, name, t, dir);
            }
        }
        if (!missing.isEmpty()) {
            LOG.log(System.Logger.Level.INFO, "{0}: no {1}; initialised fresh", dir, missing);
        }
        checkTied(tensors.get("cls.predictions.decoder.weight"), encoder.parameters().get(BertEncoder.WORD_EMBEDDINGS),
                "cls.predictions.decoder.weight", dir);
        checkTied(tensors.get("cls.predictions.decoder.bias"), heads.get(BertLMPredictionHead.PREFIX + ".bias"),
                "cls.predictions.decoder.bias", dir);
        return new BertPreTrainingModel(encoder, heads, trainMlm, trainNsp);
    }

    private static void checkTied(INDArray stored, INDArray live, String name, Path dir) {
        if (stored != null && !stored.equalsWithEps(live, 1e-6)) {
            LOG.log(System.Logger.Level.WARNING, "{0}: {1} differs from the weight it is tied to; ignored (weights are tied)",
                    dir, name);
        }
    }

    /** Names and shapes of every parameter ({@code bert.*} then {@code cls.*}), as HF's BertForPreTraining without the tied decoder. */
    public static LinkedHashMap<String, long[]> parameterShapes(BertConfig config) {
        LinkedHashMap<String, long[]> s = BertEncoder.parameterShapes(config);
        s.putAll(BertPreTrainingHeads.parameterShapes(config));
        return s;
    }

    public BertEncoder encoder() {
        return encoder;
    }

    public BertConfig config() {
        return encoder.config();
    }

    public boolean trainMlm() {
        return trainMlm;
    }

    public boolean trainNsp() {
        return trainNsp;
    }

    @Override
    public Map<String, INDArray> parameters() {
        return all;
    }

    @Override
    public void save(Path dir) throws IOException {
        config().save(dir);
        BertCheckpoint.write(dir, all);
    }

    // ------------------------------------------------------------------ graphs

    /** One built graph: encoder, heads, losses and predictions. */
    private record Built(BertEncoder.Graph encoder, SameDiff sd, List<String> gradientNames, List<String> headNames) {}

    private Built built(BertEncoder.Mode mode) {
        Built b = mode == BertEncoder.Mode.TRAIN ? train : inference;
        if (b == null) {
            b = build(mode);
            if (mode == BertEncoder.Mode.TRAIN) {
                train = b;
            } else {
                inference = b;
            }
        }
        return b;
    }

    private Built build(BertEncoder.Mode mode) {
        SameDiff sd = SameDiff.create();
        BertEncoder.Graph enc = encoder.build(sd, mode);
        BertConfig c = config();
        GraphContext g = new GraphContext(sd, c, mode, encoder.dataType(),
                n -> heads.containsKey(n) ? heads.get(n) : encoder.parameters().get(n));
        BertPreTrainingHeads.Logits logits = BertPreTrainingHeads.build(g, enc);
        DataType dt = encoder.dataType();
        // MLM: cross-entropy at the selected positions, weighted by mlm_weights / Σ mlm_weights
        SDVariable mlmLabels = sd.placeHolder(MLM_LABELS, DataType.INT, -1);
        SDVariable mlmWeights = sd.placeHolder(MLM_WEIGHTS, dt, -1);
        SDVariable mlmCe = crossEntropy(sd, logits.mlm(), mlmLabels, c.vocabSize(), dt); // [B*P]
        SDVariable mlmLoss = mlmCe.mul(mlmWeights).sum().rename("mlm_loss");
        // NSP: mean cross-entropy over the sequences that have an NSP label (MLM-only ones weigh 0)
        SDVariable nspLabels = sd.placeHolder(NSP_LABELS, DataType.INT, -1);
        SDVariable nspWeights = sd.placeHolder(NSP_WEIGHTS, dt, -1);
        SDVariable nspLoss = crossEntropy(sd, logits.nsp(), nspLabels, 2, dt).mul(nspWeights).sum().rename("nsp_loss");
        SDVariable loss = trainMlm && trainNsp ? mlmLoss.add(nspLoss) : trainMlm ? mlmLoss.mul(1.0) : nspLoss.mul(1.0);
        loss.rename("loss");
        sd.setLossVariables("loss");
        sd.argmax(logits.mlm(), 1).rename("mlm_pred");
        sd.argmax(logits.nsp(), 1).rename("nsp_pred");
        List<String> names = new ArrayList<>(enc.gradientNames());
        List<String> headNames = new ArrayList<>();
        for (String n : heads.keySet()) {
            if (sd.hasVariable(n)) {
                headNames.add(n);
            }
        }
        if (mode == BertEncoder.Mode.TRAIN) {
            names.addAll(headNames);
            // gradients only of what the enabled losses depend on
            names.removeIf(n -> !trainMlm && (n.startsWith(BertLMPredictionHead.PREFIX) || n.equals(BertEncoder.WORD_EMBEDDINGS)));
            names.removeIf(n -> !trainNsp && (n.startsWith(BertPreTrainingHeads.NSP_PREFIX) || n.startsWith(BertPooler.PREFIX)));
        }
        return new Built(enc, sd, names, headNames);
    }

    /**
     * Sequences with an NSP label ({@code >= 0}); MLM-only sequences carry {@link
     * io.github.bert4j.bert.pretraining.PretrainingInstance#NO_NSP} and take no part in the NSP loss.
     * At least 1, so that a batch of MLM-only sequences has NSP loss 0 and no NSP gradient.
     */
    static int nspLabelled(int[] labels) {
        int n = 0;
        for (int label : labels) {
            if (label >= 0) {
                n++;
            }
        }
        return Math.max(n, 1);
    }

    /** Per-row cross-entropy {@code -log softmax(logits)[label]}, {@code [M,C] → [M]}. */
    private static SDVariable crossEntropy(SameDiff sd, SDVariable logits, SDVariable labels, int classes, DataType dt) {
        SDVariable logProbs = sd.nn.logSoftmax(logits);
        SDVariable oneHot = sd.oneHot(labels, classes, -1, 1.0, 0.0, dt);
        return logProbs.mul(oneHot).sum(1).neg();
    }

    /** Fills the encoder and head placeholders of {@code b} for one batch. */
    private BertEncoder.Feed feed(Built b, PretrainingBatch batch, Map<String, INDArray> ph) {
        BertEncoder.Feed feed = b.encoder().feed(ph, batch.inputIds(), batch.tokenTypeIds(), batch.attentionMask());
        DataType dt = encoder.dataType();
        ph.put(BertPreTrainingHeads.MLM_SELECTION, selection(batch.mlmPositions(), batch.seqLength(), dt));
        ph.put(MLM_LABELS, batch.mlmLabels().reshape(-1).castTo(DataType.INT));
        INDArray w = batch.mlmWeights().reshape(-1).castTo(dt);
        double total = w.sumNumber().doubleValue();
        ph.put(MLM_WEIGHTS, total > 0 ? w.div(total) : w);
        int[] nsp = EmbeddingLookup.flatInts(batch.nspLabels());
        int labelled = nspLabelled(nsp);
        double[] nspW = new double[nsp.length];
        int[] nspClass = new int[nsp.length];
        for (int i = 0; i < nsp.length; i++) {
            nspW[i] = nsp[i] >= 0 ? 1.0 / labelled : 0;
            nspClass[i] = Math.max(nsp[i], 0);
        }
        ph.put(NSP_LABELS, Nd4j.createFromArray(nspClass));
        ph.put(NSP_WEIGHTS, Nd4j.createFromArray(nspW).castTo(dt));
        return feed;
    }

    /** One-hot selection {@code [B,P,T]}: {@code S[b,p,positions[b,p]] = 1}. */
    static INDArray selection(INDArray positions, int length, DataType dt) {
        int b = (int) positions.size(0);
        int p = (int) positions.size(1);
        int[] pos = EmbeddingLookup.flatInts(positions);
        float[] s = new float[b * p * length];
        for (int i = 0; i < pos.length; i++) {
            if (pos[i] < 0 || pos[i] >= length) {
                throw new IllegalArgumentException("mlm position " + pos[i] + " outside [0, " + length + ")");
            }
            s[i * length + pos[i]] = 1f;
        }
        return Nd4j.create(s, new long[] {b, p, length}, 'c').castTo(dt);
    }

    // ------------------------------------------------------------------ training and evaluation

    @Override
    public StepOutput trainStep(PretrainingBatch batch) {
        if (engine == Engine.EAGER) {
            StepOutput step = eagerStep(batch);
            eagerMemory.afterStep();
            return step;
        }
        Built b = built(BertEncoder.Mode.TRAIN);
        Map<String, INDArray> ph = new HashMap<>();
        BertEncoder.Feed feed = feed(b, batch, ph);
        List<String> outputs = outputNames();
        OutAndGrad og = b.sd().calculateGradientsAndOutputs(ph, outputs, b.gradientNames());
        Map<String, INDArray> grads = og.getGradients();
        LinkedHashMap<String, INDArray> out = new LinkedHashMap<>(b.encoder().parameterGradients(feed, grads));
        for (String n : b.headNames()) {
            INDArray gr = grads.get(n);
            if (gr != null) {
                out.put(n, gr);
            }
        }
        Map<String, INDArray> o = og.getOutputs();
        Metrics m = metrics(batch, o);
        StepOutput step = new StepOutput(o.get("loss").getDouble(0), out, m, batch.realTokens(), batch.batchSize());
        nativeMemory.afterStep();
        return step;
    }

    /** Selects the {@link Engine} (default {@link Engine#EAGER}); returns this. */
    public BertPreTrainingModel engine(Engine engine) {
        this.engine = java.util.Objects.requireNonNull(engine, "engine");
        return this;
    }

    public Engine engine() {
        return engine;
    }

    /**
     * Run a {@code System.gc()} every {@code steps} training steps (default 4 on the eager engine, 1 on
     * the graph; 0 = never).
     */
    public BertPreTrainingModel gcEvery(int steps) {
        this.nativeMemory = NativeMemory.every(steps);
        this.eagerMemory = NativeMemory.every(steps);
        return this;
    }

    private List<String> outputNames() {
        List<String> outputs = new ArrayList<>(List.of("loss"));
        if (trainMlm) {
            outputs.addAll(List.of("mlm_loss", "mlm_pred"));
        }
        if (trainNsp) {
            outputs.addAll(List.of("nsp_loss", "nsp_pred"));
        }
        return outputs;
    }

    /** Forward pass in inference mode (no dropout): metric sums of the enabled objectives. */
    public Metrics evaluate(PretrainingBatch batch) {
        if (engine == Engine.EAGER) {
            Map<String, INDArray> o = new HashMap<>();
            double loss = eagerForward(batch, false, trainMlm, trainNsp, null, o);
            return metrics(batch, o).add("loss", loss * batch.batchSize(), batch.batchSize());
        }
        Built b = built(BertEncoder.Mode.INFERENCE);
        Map<String, INDArray> ph = new HashMap<>();
        feed(b, batch, ph);
        Map<String, INDArray> o = b.sd().output(ph, outputNames().toArray(new String[0]));
        return metrics(batch, o).add("loss", o.get("loss").getDouble(0) * batch.batchSize(), batch.batchSize());
    }

    /** Mean metrics over {@code batches} (inference mode), e.g. for a validation {@code Evaluator}. */
    public Map<String, Double> evaluate(Iterable<PretrainingBatch> batches) {
        Metrics m = new Metrics();
        for (PretrainingBatch b : batches) {
            m.merge(evaluate(b));
        }
        return m.means();
    }

    private Metrics metrics(PretrainingBatch batch, Map<String, INDArray> o) {
        Metrics m = new Metrics();
        if (trainMlm) {
            int[] labels = EmbeddingLookup.flatInts(batch.mlmLabels());
            double[] weights = batch.mlmWeights().dup('c').castTo(DataType.DOUBLE).data().asDouble();
            int[] pred = EmbeddingLookup.flatInts(o.get("mlm_pred"));
            double n = 0;
            double correct = 0;
            for (int i = 0; i < labels.length; i++) {
                if (weights[i] > 0) {
                    n += weights[i];
                    correct += pred[i] == labels[i] ? weights[i] : 0;
                }
            }
            if (n > 0) {
                m.add("mlm_loss", o.get("mlm_loss").getDouble(0) * n, n);
                m.add("mlm_acc", correct, n);
            }
        }
        if (trainNsp) {
            int[] labels = EmbeddingLookup.flatInts(batch.nspLabels());
            int[] pred = EmbeddingLookup.flatInts(o.get("nsp_pred"));
            int correct = 0;
            int n = 0;
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] >= 0) {
                    n++;
                    correct += pred[i] == labels[i] ? 1 : 0;
                }
            }
            if (n > 0) {
                m.add("nsp_loss", o.get("nsp_loss").getDouble(0) * n, n);
                m.add("nsp_acc", correct, n);
            }
        }
        return m;
    }

    /** Every named output of an inference forward pass (for tests and tools). */
    public record Outputs(INDArray sequenceOutput, INDArray pooledOutput, INDArray mlmLogits, INDArray nspLogits,
            double mlmLoss, double nspLoss, double loss) {}

    /** Inference forward pass returning outputs, logits ({@code [B*P,V]}, {@code [B,2]}) and losses. */
    public Outputs forward(PretrainingBatch batch) {
        if (engine == Engine.EAGER) {
            Map<String, INDArray> o = new HashMap<>();
            eagerForward(batch, false, true, true, null, o);
            double mlmLoss = o.get("mlm_loss").getDouble(0);
            double nspLoss = o.get("nsp_loss").getDouble(0);
            double loss = (trainMlm ? mlmLoss : 0) + (trainNsp ? nspLoss : 0);
            return new Outputs(o.get("sequence_output"), o.get("pooled_output"), o.get("mlm_logits"), o.get("nsp_logits"),
                    mlmLoss, nspLoss, loss);
        }
        Built b = built(BertEncoder.Mode.INFERENCE);
        Map<String, INDArray> ph = new HashMap<>();
        feed(b, batch, ph);
        String seq = b.encoder().sequenceOutput().name();
        String pooled = b.encoder().pooledOutput().name();
        Map<String, INDArray> o = b.sd().output(ph, seq, pooled, "mlm_logits", "nsp_logits", "mlm_loss", "nsp_loss", "loss");
        return new Outputs(o.get(seq), o.get(pooled), o.get("mlm_logits"), o.get("nsp_logits"),
                o.get("mlm_loss").getDouble(0), o.get("nsp_loss").getDouble(0), o.get("loss").getDouble(0));
    }

    // ------------------------------------------------------------------ eager engine

    private EagerEncoder eager() {
        if (eager == null) {
            eager = new EagerEncoder(encoder);
        }
        return eager;
    }

    private StepOutput eagerStep(PretrainingBatch batch) {
        Map<String, INDArray> grads = new HashMap<>();
        Map<String, INDArray> o = new HashMap<>();
        double loss = eagerForward(batch, true, trainMlm, trainNsp, grads, o);
        LinkedHashMap<String, INDArray> ordered = new LinkedHashMap<>();
        for (String n : all.keySet()) {
            INDArray g = grads.get(n);
            if (g != null) {
                ordered.put(n, g);
            }
        }
        return new StepOutput(loss, ordered, metrics(batch, o), batch.realTokens(), batch.batchSize());
    }

    /**
     * Eager forward pass (and backward pass when {@code grads != null}, which implies training
     * mode): the heads {@code mlm}/{@code nsp} that are on contribute to the returned loss; their
     * losses, predictions and logits go into {@code outputs}.
     */
    private double eagerForward(PretrainingBatch batch, boolean train, boolean mlm, boolean nsp,
            Map<String, INDArray> grads, Map<String, INDArray> outputs) {
        BertConfig c = config();
        int b = batch.batchSize();
        int t = batch.seqLength();
        DataType dt = encoder.dataType();
        EagerEncoder.State s = eager().forward(EmbeddingLookup.flatInts(batch.inputIds()),
                EmbeddingLookup.flatInts(batch.tokenTypeIds()), batch.attentionMask(), b, t, train, nsp);
        boolean backward = grads != null;
        INDArray dSeq = backward ? Nd4j.zeros(dt, (long) b * t, c.hiddenSize()) : null;
        INDArray dPooled = null;
        double loss = 0;
        if (!backward) {
            outputs.put("sequence_output", s.sequence().dup().reshape(b, t, c.hiddenSize()));
        }
        if (mlm) {
            loss += eagerMlm(s, batch, dSeq, grads, outputs);
        }
        if (nsp) {
            if (!backward) {
                outputs.put("pooled_output", s.pooled.dup());
            }
            dPooled = backward ? Nd4j.create(dt, b, c.hiddenSize()) : null;
            loss += eagerNsp(s, batch, dPooled, grads, outputs);
        }
        if (backward) {
            INDArray tied = grads.remove(BertEncoder.WORD_EMBEDDINGS);
            eager().backward(s, dSeq, dPooled, grads);
            if (tied != null) {
                grads.get(BertEncoder.WORD_EMBEDDINGS).addi(tied);
            }
        }
        return loss;
    }

    /** MLM head at the masked positions; with {@code dSeq != null} adds its gradient to {@code dSeq} and {@code grads}. */
    private double eagerMlm(EagerEncoder.State s, PretrainingBatch batch, INDArray dSeq, Map<String, INDArray> grads,
            Map<String, INDArray> outputs) {
        BertConfig c = config();
        DataType dt = encoder.dataType();
        int t = batch.seqLength();
        int pMax = batch.maxPredictions();
        int[] pos = EmbeddingLookup.flatInts(batch.mlmPositions());
        int[] rows = new int[pos.length];
        for (int m = 0; m < pos.length; m++) {
            if (pos[m] < 0 || pos[m] >= t) {
                throw new IllegalArgumentException("mlm position " + pos[m] + " outside [0, " + t + ")");
            }
            rows[m] = (m / pMax) * t + pos[m];
        }
        int mRows = rows.length;
        int h = c.hiddenSize();
        String tr = BertLMPredictionHead.PREFIX + ".transform";
        INDArray sel = Nd4j.pullRows(s.sequence(), 1, rows); // [M,H]
        INDArray f = Nd4j.create(dt, mRows, h);
        Kernels.linear(sel, heads.get(tr + ".dense.weight"), heads.get(tr + ".dense.bias"), f);
        INDArray act = Nd4j.create(dt, mRows, h);
        Kernels.activation(c.hiddenAct(), f, act);
        INDArray xhat = Nd4j.create(dt, mRows, h);
        INDArray rstd = Nd4j.create(dt, mRows, 1);
        INDArray u = Nd4j.create(dt, mRows, h);
        INDArray scratch = Nd4j.create(dt, mRows, h);
        Kernels.layerNorm(act, heads.get(tr + ".LayerNorm.weight"), heads.get(tr + ".LayerNorm.bias"), c.layerNormEps(),
                xhat, rstd, u, scratch);
        INDArray word = encoder.parameters().get(BertEncoder.WORD_EMBEDDINGS);
        // [M,V] logits and probabilities (2 x 61 MB at the seed shape): reused across training steps
        // of the same shape; fresh in inference, where the logits are handed to the caller
        INDArray[] mv = dSeq == null ? new INDArray[] {Nd4j.create(dt, mRows, c.vocabSize()), Nd4j.create(dt, mRows, c.vocabSize())}
                : mlmBuffers(dt, mRows, c.vocabSize());
        INDArray logits = mv[0];
        Kernels.linear(u, word, heads.get(BertLMPredictionHead.PREFIX + ".bias"), logits); // [M,V]
        int[] labels = EmbeddingLookup.flatInts(batch.mlmLabels());
        double[] w = batch.mlmWeights().dup('c').castTo(DataType.DOUBLE).data().asDouble();
        double total = 0;
        for (double x : w) {
            total += x;
        }
        // softmax once (ND4J's/oneDNN's op): the loss from the label probabilities, the gradient from all of them
        INDArray probs = mv[1];
        Kernels.softmaxLastDim(logits, probs);
        double loss = 0;
        for (int m = 0; m < mRows; m++) {
            if (w[m] != 0) {
                loss += w[m] / total * crossEntropy(logits, probs, m, labels[m]);
            }
        }
        outputs.put("mlm_loss", Nd4j.scalar(loss));
        outputs.put("mlm_pred", Nd4j.argMax(logits, 1));
        if (dSeq == null) {
            outputs.put("mlm_logits", logits);
            return loss;
        }
        // dlogits = (softmax - onehot) * w / Σw
        INDArray dLogits = probs;
        double[] wn = new double[mRows];
        for (int m = 0; m < mRows; m++) {
            wn[m] = total > 0 ? w[m] / total : 0;
            dLogits.putScalar(m, labels[m], dLogits.getDouble(m, labels[m]) - 1.0);
        }
        dLogits.muliColumnVector(Nd4j.createFromArray(wn).castTo(dt).reshape(mRows, 1));
        grads.put(BertLMPredictionHead.PREFIX + ".bias", Kernels.columnSums(dLogits));
        grads.put(BertEncoder.WORD_EMBEDDINGS, Kernels.weightGrad(dLogits, u)); // tied decoder part
        INDArray du = Nd4j.gemm(dLogits, word, false, false); // [M,H]
        Kernels.layerNormBackward(du, xhat, rstd, heads.get(tr + ".LayerNorm.weight"), du, scratch, grads,
                tr + ".LayerNorm");
        Kernels.activationBackward(c.hiddenAct(), f, du, act, scratch);
        grads.put(tr + ".dense.weight", Kernels.weightGrad(du, sel));
        grads.put(tr + ".dense.bias", Kernels.columnSums(du));
        INDArray dSel = Nd4j.gemm(du, heads.get(tr + ".dense.weight"), false, false); // [M,H]
        dSeq.addi(EmbeddingLookup.scatterAdd(rows, dSel, dSeq.size(0), dt));
        return loss;
    }

    private INDArray[] mlmScratch;

    /** Two {@code [rows, vocab]} buffers of type {@code dt}, allocated once per shape. */
    private INDArray[] mlmBuffers(DataType dt, int rows, int vocab) {
        INDArray[] b = mlmScratch;
        if (b == null || b[0].dataType() != dt || b[0].size(0) != rows || b[0].size(1) != vocab) {
            mlmScratch = null; // let the old pair go first
            b = new INDArray[] {Nd4j.create(dt, rows, vocab), Nd4j.create(dt, rows, vocab)};
            mlmScratch = b;
        }
        return b;
    }

    /**
     * {@code -log softmax(logits[m])[label]} from the softmax output, or, where the label's
     * probability is too small to take its logarithm accurately, exactly from the row's logits.
     */
    private static double crossEntropy(INDArray logits, INDArray probs, int m, int label) {
        double p = probs.getDouble(m, label);
        if (p > 1e-30) {
            return -Math.log(p);
        }
        double[] row = logits.getRow(m).toDoubleVector();
        double max = Double.NEGATIVE_INFINITY;
        for (double v : row) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (double v : row) {
            sum += Math.exp(v - max);
        }
        return max + Math.log(sum) - row[label];
    }

    /** NSP head on the pooled output; with {@code dPooled != null} writes its gradient there and into {@code grads}. */
    private double eagerNsp(EagerEncoder.State s, PretrainingBatch batch, INDArray dPooled, Map<String, INDArray> grads,
            Map<String, INDArray> outputs) {
        DataType dt = encoder.dataType();
        int b = batch.batchSize();
        String pre = BertPreTrainingHeads.NSP_PREFIX;
        INDArray logits = Nd4j.create(dt, b, 2);
        Kernels.linear(s.pooled, heads.get(pre + ".weight"), heads.get(pre + ".bias"), logits);
        INDArray logp = Nd4j.create(dt, b, 2);
        Nd4j.exec(new org.nd4j.linalg.api.ops.impl.transforms.custom.LogSoftMax(logits, logp));
        int[] labels = EmbeddingLookup.flatInts(batch.nspLabels());
        int labelled = nspLabelled(labels);
        double loss = 0;
        for (int i = 0; i < b; i++) {
            if (labels[i] >= 0) {
                loss -= logp.getDouble(i, labels[i]) / labelled;
            }
        }
        outputs.put("nsp_loss", Nd4j.scalar(loss));
        outputs.put("nsp_pred", Nd4j.argMax(logits, 1));
        outputs.put("nsp_logits", logits);
        if (dPooled == null) {
            return loss;
        }
        INDArray d = org.nd4j.linalg.ops.transforms.Transforms.exp(logp, false);
        for (int i = 0; i < b; i++) {
            if (labels[i] >= 0) {
                d.putScalar(i, labels[i], d.getDouble(i, labels[i]) - 1.0);
            } else {
                d.getRow(i).assign(0); // an MLM-only sequence: no NSP target
            }
        }
        d.divi(labelled);
        grads.put(pre + ".weight", Kernels.weightGrad(d, s.pooled));
        grads.put(pre + ".bias", Kernels.columnSums(d));
        Nd4j.gemm(d, heads.get(pre + ".weight"), dPooled, false, false, 1.0, 0.0);
        return loss;
    }

    @Override
    public void close() {
        train = null;
        inference = null;
        eager = null;
        mlmScratch = null;
        encoder.close();
        heads.values().forEach(INDArray::close);
    }
}
