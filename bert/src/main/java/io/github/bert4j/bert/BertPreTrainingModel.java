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

    private final BertEncoder encoder;
    private final Map<String, INDArray> heads;
    private final Map<String, INDArray> all;
    private final boolean trainMlm;
    private final boolean trainNsp;
    private Built train;
    private Built inference;
    private NativeMemory nativeMemory = NativeMemory.every(1);

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
        // NSP: mean cross-entropy over the batch
        SDVariable nspLabels = sd.placeHolder(NSP_LABELS, DataType.INT, -1);
        SDVariable nspLoss = crossEntropy(sd, logits.nsp(), nspLabels, 2, dt).mean().rename("nsp_loss");
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
        ph.put(NSP_LABELS, batch.nspLabels().reshape(-1).castTo(DataType.INT));
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

    /** Run a {@code System.gc()} every {@code steps} training steps (default 1; 0 = never). */
    public BertPreTrainingModel gcEvery(int steps) {
        this.nativeMemory = NativeMemory.every(steps);
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
            for (int i = 0; i < labels.length; i++) {
                correct += pred[i] == labels[i] ? 1 : 0;
            }
            m.add("nsp_loss", o.get("nsp_loss").getDouble(0) * labels.length, labels.length);
            m.add("nsp_acc", correct, labels.length);
        }
        return m;
    }

    /** Every named output of an inference forward pass (for tests and tools). */
    public record Outputs(INDArray sequenceOutput, INDArray pooledOutput, INDArray mlmLogits, INDArray nspLogits,
            double mlmLoss, double nspLoss, double loss) {}

    /** Inference forward pass returning outputs, logits ({@code [B*P,V]}, {@code [B,2]}) and losses. */
    public Outputs forward(PretrainingBatch batch) {
        Built b = built(BertEncoder.Mode.INFERENCE);
        Map<String, INDArray> ph = new HashMap<>();
        feed(b, batch, ph);
        String seq = b.encoder().sequenceOutput().name();
        String pooled = b.encoder().pooledOutput().name();
        Map<String, INDArray> o = b.sd().output(ph, seq, pooled, "mlm_logits", "nsp_logits", "mlm_loss", "nsp_loss", "loss");
        return new Outputs(o.get(seq), o.get(pooled), o.get("mlm_logits"), o.get("nsp_logits"),
                o.get("mlm_loss").getDouble(0), o.get("nsp_loss").getDouble(0), o.get("loss").getDouble(0));
    }

    @Override
    public void close() {
        train = null;
        inference = null;
        encoder.close();
        heads.values().forEach(INDArray::close);
    }
}
