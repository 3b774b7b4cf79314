package io.github.bert4j.bert;

import io.github.bert4j.bert.eager.kernels.EmbeddingLookup;
import io.github.bert4j.bert.heads.MaskedLmHead;
import io.github.bert4j.bert.heads.SequenceClassificationHead;
import io.github.bert4j.bert.pretraining.data.PretrainingBatch;
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
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * HuggingFace's {@code BertForPreTraining}: a {@link BertEncoder} with the MLM head ({@link
 * MaskedLmHead}: masked positions only, decoder tied to the word embeddings) and the NSP head
 * ({@link SequenceClassificationHead} on the pooled output), trainable by the core {@code Trainer}.
 * The heads are written once on {@link EncoderPass}; the {@link Engine} only decides how the
 * encoder is computed.
 *
 * <p>Loss = {@code mlm_loss + nsp_loss} (each switched off by {@code train_mlm}/{@code train_nsp}):
 * {@code mlm_loss} is the cross-entropy averaged over real predictions ({@code mlm_weights} = 1),
 * {@code nsp_loss} the cross-entropy averaged over the sequences with an NSP label (MLM-only
 * sequences carry {@link io.github.bert4j.bert.pretraining.data.PretrainingInstance#NO_NSP} and take
 * no part). Metrics (additive sums for {@link Metrics}): {@code mlm_loss}, {@code mlm_acc} (over
 * real predictions), {@code nsp_loss}, {@code nsp_acc} (over labelled sequences), for the enabled
 * objectives. Not thread-safe.
 */
public final class BertPreTrainingModel implements TrainableModel<PretrainingBatch>, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(BertPreTrainingModel.class.getName());

    private final BertEncoder encoder;
    private final Map<String, INDArray> heads;
    private final Map<String, INDArray> all;
    private final boolean trainMlm;
    private final boolean trainNsp;
    private final MaskedLmHead mlm;
    private final SequenceClassificationHead nsp;
    /** null: the engine's own interval ({@link Engine#stepsBetweenCollections}). */
    private NativeMemory nativeMemory;
    private NativeMemory engineMemory;

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
        this.mlm = new MaskedLmHead(encoder.config(), all);
        this.nsp = new SequenceClassificationHead(HfNames.NSP, 0.0, all);
    }

    /** A freshly initialised model (FLOAT), both objectives on. */
    public static BertPreTrainingModel create(BertConfig config, long seed) {
        return create(config, seed, DataType.FLOAT, true, true);
    }

    /** A freshly initialised model: encoder and heads initialised as HuggingFace does, from {@code seed}. */
    public static BertPreTrainingModel create(BertConfig config, long seed, DataType dtype, boolean trainMlm, boolean trainNsp) {
        BertEncoder encoder = BertEncoder.create(config, seed, dtype);
        Map<String, INDArray> heads = BertEncoder.initialise(headShapes(config), config, seed ^ 0x5DEECE66DL, dtype);
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
        Map<String, INDArray> heads = BertEncoder.initialise(headShapes(config), config, 0, dtype);
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
        checkTied(tensors.get(HfNames.MLM_DECODER_WEIGHT), encoder.parameters().get(HfNames.WORD_EMBEDDINGS),
                HfNames.MLM_DECODER_WEIGHT, dir);
        checkTied(tensors.get(HfNames.MLM_DECODER_BIAS), heads.get(HfNames.MLM_BIAS), HfNames.MLM_DECODER_BIAS, dir);
        return new BertPreTrainingModel(encoder, heads, trainMlm, trainNsp);
    }

    private static void checkTied(INDArray stored, INDArray live, String name, Path dir) {
        if (stored != null && !stored.equalsWithEps(live, 1e-6)) {
            LOG.log(System.Logger.Level.WARNING, "{0}: {1} differs from the weight it is tied to; ignored (weights are tied)",
                    dir, name);
        }
    }

    private static LinkedHashMap<String, long[]> headShapes(BertConfig config) {
        LinkedHashMap<String, long[]> s = MaskedLmHead.parameterShapes(config);
        SequenceClassificationHead.parameterShapes(s, HfNames.NSP, 2, config.hiddenSize());
        return s;
    }

    /** Names and shapes of every parameter ({@code bert.*} then {@code cls.*}), as HF's BertForPreTraining without the tied decoder. */
    public static LinkedHashMap<String, long[]> parameterShapes(BertConfig config) {
        LinkedHashMap<String, long[]> s = BertEncoder.parameterShapes(config);
        s.putAll(headShapes(config));
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

    /** Selects the encoder's {@link Engine} (default {@link Engine#EAGER}); returns this. */
    public BertPreTrainingModel engine(Engine engine) {
        encoder.engine(engine);
        return this;
    }

    public Engine engine() {
        return encoder.engine();
    }

    /**
     * Run a {@code System.gc()} every {@code steps} training steps (0 = never); by default the
     * engine's {@link Engine#stepsBetweenCollections}.
     */
    public BertPreTrainingModel gcEvery(int steps) {
        this.nativeMemory = NativeMemory.every(steps);
        return this;
    }

    // ------------------------------------------------------------------ one pass of both heads

    /** What one pass of the enabled heads produced. */
    private record HeadPasses(EncoderPass encoder, MaskedLmHead.Pass mlm, SequenceClassificationHead.Pass nsp,
            int[] mlmLabels, double[] mlmWeights) {
        double loss(boolean trainMlm, boolean trainNsp) {
            return (trainMlm ? mlm.loss() : 0) + (trainNsp ? nsp.loss() : 0);
        }
    }

    private HeadPasses forward(PretrainingBatch batch, BertEncoder.Mode mode, boolean withMlm, boolean withNsp) {
        EncoderPass pass = encoder.forward(EncoderInputs.of(batch.inputIds(), batch.tokenTypeIds(), batch.attentionMask()),
                mode);
        int[] labels = withMlm ? EmbeddingLookup.flatInts(batch.mlmLabels()) : null;
        double[] weights = withMlm ? batch.mlmWeights().dup('c').castTo(DataType.DOUBLE).data().asDouble() : null;
        MaskedLmHead.Pass m = withMlm ? mlm.forward(pass, EmbeddingLookup.flatInts(batch.mlmPositions()),
                batch.maxPredictions(), labels, weights) : null;
        SequenceClassificationHead.Pass n = withNsp ? nsp.forward(pass, EmbeddingLookup.flatInts(batch.nspLabels())) : null;
        return new HeadPasses(pass, m, n, labels, weights);
    }

    // ------------------------------------------------------------------ training and evaluation

    @Override
    public StepOutput trainStep(PretrainingBatch batch) {
        HeadPasses p = forward(batch, BertEncoder.Mode.TRAIN, trainMlm, trainNsp);
        Map<String, INDArray> grads = new HashMap<>();
        INDArray dHidden = Nd4j.zeros(encoder.dataType(), (long) batch.batchSize() * batch.seqLength(),
                config().hiddenSize());
        if (trainMlm) {
            p.mlm().backward(dHidden, grads);
        }
        INDArray dPooled = trainNsp ? p.nsp().backward(grads) : null;
        p.encoder().backward(dHidden, dPooled).forEach((k, v) -> grads.merge(k, v, INDArray::addi));
        LinkedHashMap<String, INDArray> ordered = new LinkedHashMap<>();
        for (String n : all.keySet()) {
            INDArray g = grads.get(n);
            if (g != null) {
                ordered.put(n, g);
            }
        }
        StepOutput step = new StepOutput(p.loss(trainMlm, trainNsp), ordered, metrics(batch, p), batch.realTokens(),
                batch.batchSize());
        memory().afterStep();
        return step;
    }

    private NativeMemory memory() {
        if (nativeMemory != null) {
            return nativeMemory;
        }
        int every = encoder.engine().stepsBetweenCollections();
        if (engineMemory == null || engineMemory.interval() != every) {
            engineMemory = NativeMemory.every(every);
        }
        return engineMemory;
    }

    /** Forward pass in inference mode (no dropout): metric sums of the enabled objectives. */
    public Metrics evaluate(PretrainingBatch batch) {
        HeadPasses p = forward(batch, BertEncoder.Mode.INFERENCE, trainMlm, trainNsp);
        return metrics(batch, p).add("loss", p.loss(trainMlm, trainNsp) * batch.batchSize(), batch.batchSize());
    }

    /** Mean metrics over {@code batches} (inference mode), e.g. for a validation {@code Evaluator}. */
    public Map<String, Double> evaluate(Iterable<PretrainingBatch> batches) {
        Metrics m = new Metrics();
        for (PretrainingBatch b : batches) {
            m.merge(evaluate(b));
        }
        return m.means();
    }

    private Metrics metrics(PretrainingBatch batch, HeadPasses p) {
        Metrics m = new Metrics();
        if (trainMlm) {
            int[] labels = p.mlmLabels();
            double[] weights = p.mlmWeights();
            int[] pred = EmbeddingLookup.flatInts(p.mlm().predictions());
            double n = 0;
            double correct = 0;
            for (int i = 0; i < labels.length; i++) {
                if (weights[i] > 0) {
                    n += weights[i];
                    correct += pred[i] == labels[i] ? weights[i] : 0;
                }
            }
            if (n > 0) {
                m.add("mlm_loss", p.mlm().loss() * n, n);
                m.add("mlm_acc", correct, n);
            }
        }
        if (trainNsp && p.nsp().labelled() > 0) {
            int n = p.nsp().labelled();
            m.add("nsp_loss", p.nsp().loss() * n, n);
            m.add("nsp_acc", p.nsp().correct(), n);
        }
        return m;
    }

    /** Every named output of an inference forward pass (for tests and tools). */
    public record Outputs(INDArray sequenceOutput, INDArray pooledOutput, INDArray mlmLogits, INDArray nspLogits,
            double mlmLoss, double nspLoss, double loss) {}

    /** Inference forward pass returning outputs, logits ({@code [B*P,V]}, {@code [B,2]}) and losses of both heads. */
    public Outputs forward(PretrainingBatch batch) {
        HeadPasses p = forward(batch, BertEncoder.Mode.INFERENCE, true, true);
        INDArray sequence = p.encoder().hidden().dup().reshape(batch.batchSize(), batch.seqLength(), config().hiddenSize());
        return new Outputs(sequence, p.encoder().pooled().dup(), p.mlm().logits(), p.nsp().logits(), p.mlm().loss(),
                p.nsp().loss(), p.loss(trainMlm, trainNsp));
    }

    @Override
    public void close() {
        mlm.release();
        encoder.close();
        heads.values().forEach(INDArray::close);
    }
}
