package io.github.bert4j.ner;

import io.github.bert4j.bert.BertEncoder;
import io.github.bert4j.bert.Engine;
import io.github.bert4j.core.io.SafeTensors;
import io.github.bert4j.core.train.Metrics;
import io.github.bert4j.core.train.NativeMemory;
import io.github.bert4j.core.train.StepOutput;
import io.github.bert4j.core.train.TrainableModel;
import io.github.bert4j.ner.crf.CrfMath;
import io.github.bert4j.ner.crf.CrfParameters;
import io.github.bert4j.ner.crf.LinearChainCrf;
import io.github.bert4j.ner.crf.Reduction;
import io.github.bert4j.ner.crf.TransitionConstraints;
import io.github.bert4j.ner.crf.ViterbiResult;
import io.github.bert4j.ner.data.TagSet;
import java.io.IOException;
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
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * BERT + linear + CRF token tagger: {@code BertEncoder → dropout → classifier (H → K) → CRF}.
 *
 * <p>Dimension letters: B batch, T padded length, H hidden size, K tags, N = B*T.
 *
 * <p>Parameters: the encoder's (HuggingFace names), {@link #CLASSIFIER_WEIGHT} {@code [K,H]},
 * {@link #CLASSIFIER_BIAS} {@code [K]} (as {@code BertForTokenClassification}) and the CRF's
 * {@code crf.transitions}, {@code crf.start_transitions}, {@code crf.end_transitions}. The loss
 * of a batch is the CRF negative log-likelihood averaged over its windows (pytorch-crf's
 * {@code reduction="mean"}); the CRF mask is the attention mask ([CLS] ... [SEP], tagged {@code
 * O}). By default ({@link CrfTraining#FORWARD_BACKWARD}) the CRF's loss and gradient are computed
 * outside the graph between a forward and a backward pass; with {@link CrfTraining#GRAPH} the CRF is
 * part of the SameDiff graph, unrolled for a fixed T, and one training graph is built and cached per
 * padded length ({@link NerBatches} pads to a few bucket lengths). Both give the same loss and
 * gradients (tested against each other and finite differences). Prediction runs an inference
 * graph (no dropout) for the emissions and Viterbi outside the graph, with the same transition
 * constraints as training.
 *
 * <p>{@link #trainStep} is meant for one training thread; {@link #emissions} and {@link #decode}
 * are synchronized and safe to call from several threads.
 */
public final class BertCrfTagger implements TrainableModel<NerBatch>, AutoCloseable {
    /** Frees the native memory of each step's intermediates (see {@link NativeMemory}). */
    private final NativeMemory nativeMemory = NativeMemory.every(1);


    public static final String CLASSIFIER_WEIGHT = "classifier.weight";
    public static final String CLASSIFIER_BIAS = "classifier.bias";
    static final String TAGS = "ner_tags";
    static final String DROPOUT_MASK = "classifier_dropout_mask";
    static final String EMISSIONS = "emissions";
    static final String LOSS = "loss";
    static final String EMISSION_GRADIENT = "emission_gradient";

    /** Where the CRF's loss and gradient are computed during training (prediction is the same). */
    public enum CrfTraining {
        /**
         * The forward algorithm is part of the SameDiff graph ({@link LinearChainCrf}); one graph per
         * padded length.
         */
        GRAPH,
        /**
         * Two passes: the graph computes the emissions, {@link CrfMath#nllAndGradient} (forward-backward
         * in double precision) computes the loss and the exact gradient of the emissions and CRF
         * parameters, and a second pass back-propagates that gradient through the encoder (loss
         * {@code sum(emissions * gradient)}). One graph for all lengths. Measured about 2x faster
         * per step than {@link #GRAPH} at T = 128 (the log-semiring graph's backward pass dominates).
         */
        FORWARD_BACKWARD
    }

    private final BertEncoder encoder;
    private final TagSet tags;
    private final LinearChainCrf crf;
    private final double dropout;
    private final CrfTraining crfTraining;
    private final Map<String, INDArray> head;
    private final Map<String, INDArray> all;
    private final Map<Integer, TrainGraph> trainGraphs = new HashMap<>();
    private InferenceGraph inference;
    private final Engine engine;

    private record TrainGraph(SameDiff sd, BertEncoder.Graph bert, List<String> wrt) {}

    private record InferenceGraph(SameDiff sd, BertEncoder.Graph bert) {}

    private BertCrfTagger(BertEncoder encoder, TagSet tags, boolean bio, double dropout, Map<String, INDArray> head,
            CrfTraining crfTraining) {
        this(encoder, tags, bio, dropout, head, crfTraining, Engine.EAGER);
    }

    private BertCrfTagger(BertEncoder encoder, TagSet tags, boolean bio, double dropout, Map<String, INDArray> head,
            CrfTraining crfTraining, Engine engine) {
        if (dropout < 0 || dropout >= 1) {
            throw new IllegalArgumentException("classifier dropout must be in [0, 1), got " + dropout);
        }
        this.encoder = encoder;
        this.tags = tags;
        this.crf = new LinearChainCrf(tags.size(), bio ? TransitionConstraints.bio(tags) : null);
        this.dropout = dropout;
        this.crfTraining = java.util.Objects.requireNonNull(crfTraining, "crfTraining");
        this.engine = java.util.Objects.requireNonNull(engine, "engine");
        this.head = head;
        Map<String, INDArray> a = new LinkedHashMap<>(encoder.parameters());
        a.putAll(head);
        this.all = Collections.unmodifiableMap(a);
        checkHeadShapes();
    }

    /**
     * A tagger with a fresh head on {@code encoder}: classifier weights N(0, initializer_range),
     * bias 0 (HuggingFace), CRF parameters U(-0.1, 0.1) (pytorch-crf), all from {@code seed}.
     *
     * @param bio constrain transitions to valid IOB2
     * @param dropout dropout before the classifier (HuggingFace uses {@code hidden_dropout_prob})
     */
    public static BertCrfTagger create(BertEncoder encoder, TagSet tags, boolean bio, double dropout, long seed) {
        DataType dt = encoder.dataType();
        int h = encoder.config().hiddenSize();
        int k = tags.size();
        Random rng = new Random(seed);
        double[] w = new double[k * h];
        for (int i = 0; i < w.length; i++) {
            w[i] = rng.nextGaussian() * encoder.config().initializerRange();
        }
        Map<String, INDArray> head = new LinkedHashMap<>();
        head.put(CLASSIFIER_WEIGHT, Nd4j.create(w, new long[] {k, h}, DataType.DOUBLE).castTo(dt));
        head.put(CLASSIFIER_BIAS, Nd4j.zeros(dt, k));
        head.putAll(new LinearChainCrf(k, null).initParameters(dt, seed ^ 0x5DEECE66DL));
        return new BertCrfTagger(encoder, tags, bio, dropout, head, CrfTraining.FORWARD_BACKWARD);
    }

    /** This tagger (same parameter arrays) training its CRF the given way. */
    public BertCrfTagger withCrfTraining(CrfTraining mode) {
        return mode == crfTraining ? this : new BertCrfTagger(encoder, tags, bioConstraints(), dropout, head, mode, engine);
    }

    public CrfTraining crfTraining() {
        return crfTraining;
    }

    /**
     * A tagger from stored tensors: {@code tensors} must hold the classifier and CRF parameters
     * (extra entries, e.g. the encoder's, are ignored).
     */
    public static BertCrfTagger of(BertEncoder encoder, TagSet tags, boolean bio, double dropout,
            Map<String, INDArray> tensors) {
        Map<String, INDArray> head = new LinkedHashMap<>();
        for (String name : List.of(CLASSIFIER_WEIGHT, CLASSIFIER_BIAS, LinearChainCrf.TRANSITIONS,
                LinearChainCrf.START, LinearChainCrf.END)) {
            INDArray t = tensors.get(name);
            if (t == null) {
                throw new IllegalArgumentException("missing tensor '" + name + "' (not a BERT+CRF tagger checkpoint?)");
            }
            head.put(name, t.castTo(encoder.dataType()).dup());
        }
        return new BertCrfTagger(encoder, tags, bio, dropout, head, CrfTraining.FORWARD_BACKWARD);
    }

    private void checkHeadShapes() {
        long h = encoder.config().hiddenSize();
        long k = tags.size();
        long[] w = head.get(CLASSIFIER_WEIGHT).shape();
        if (w.length != 2 || w[0] != k || w[1] != h) {
            throw new IllegalArgumentException(CLASSIFIER_WEIGHT + " must be [" + k + ", " + h + "] (labels x hidden_size), got "
                    + java.util.Arrays.toString(w));
        }
        if (head.get(CLASSIFIER_BIAS).length() != k || head.get(LinearChainCrf.START).length() != k
                || head.get(LinearChainCrf.TRANSITIONS).length() != k * k) {
            throw new IllegalArgumentException("classifier/CRF parameters do not match the " + k + " labels " + tags.labels());
        }
    }

    public BertEncoder encoder() {
        return encoder;
    }

    public TagSet tags() {
        return tags;
    }

    public LinearChainCrf crf() {
        return crf;
    }

    public double dropout() {
        return dropout;
    }

    /** Whether transitions are constrained to valid IOB2. */
    public boolean bioConstraints() {
        return crf.constraints() != null;
    }

    @Override
    public Map<String, INDArray> parameters() {
        return all;
    }

    /** The head's parameters (classifier + CRF), live arrays. */
    public Map<String, INDArray> headParameters() {
        return Collections.unmodifiableMap(head);
    }

    @Override
    public StepOutput trainStep(NerBatch batch) {
        if (engine == Engine.EAGER) {
            return trainStepEager(batch);
        }
        return crfTraining == CrfTraining.GRAPH ? trainStepInGraph(batch) : trainStepForwardBackward(batch);
    }

    /**
     * This tagger (same encoder and head arrays) with the {@link Engine} of the encoder and
     * classifier (default {@link Engine#EAGER}). Under {@code EAGER} the CRF is always computed by
     * forward-backward in double precision; {@link #withCrfTraining} chooses among the graph's ways.
     */
    public BertCrfTagger withEngine(Engine engine) {
        return engine == this.engine ? this
                : new BertCrfTagger(encoder, tags, bioConstraints(), dropout, head, crfTraining, engine);
    }

    public Engine engine() {
        return engine;
    }

    private StepOutput trainStepInGraph(NerBatch batch) {
        TrainGraph g = trainGraph(batch.length());
        Map<String, INDArray> ph = new HashMap<>();
        BertEncoder.Feed feed = g.bert().feed(ph, batch.inputIds(), null, batch.attentionMask());
        ph.put(TAGS, batch.tags().castTo(DataType.INT32));
        if (dropout > 0) {
            ph.put(DROPOUT_MASK, dropoutMask((long) batch.batchSize() * batch.length()));
        }
        OutAndGrad og = g.sd().calculateGradientsAndOutputs(ph, List.of(LOSS), g.wrt());
        Map<String, INDArray> grads = new LinkedHashMap<>(g.bert().parameterGradients(feed, og.getGradients()));
        for (String name : head.keySet()) {
            grads.put(name, og.getGradients().get(name));
        }
        double loss = og.getOutputs().get(LOSS).getDouble(0);
        return step(batch, loss, grads);
    }

    private StepOutput trainStepForwardBackward(NerBatch batch) {
        TrainGraph g = trainGraph(-1);
        int b = batch.batchSize();
        int t = batch.length();
        int k = tags.size();
        Map<String, INDArray> ph = new HashMap<>();
        BertEncoder.Feed feed = g.bert().feed(ph, batch.inputIds(), null, batch.attentionMask());
        if (dropout > 0) {
            ph.put(DROPOUT_MASK, dropoutMask((long) b * t));
        }
        // pass 1: emissions with this batch's dropout masks
        double[] em = g.sd().output(ph, EMISSIONS).get(EMISSIONS).castTo(DataType.DOUBLE).dup('c').data().asDouble();
        CrfGradient crfGrad = crfGradient(em, batch);
        // pass 2: back-propagate d(mean NLL)/d(emissions) through classifier and encoder
        DataType dt = encoder.dataType();
        ph.put(EMISSION_GRADIENT, Nd4j.create(crfGrad.dEmissions(), new long[] {(long) b * t, k}, DataType.DOUBLE).castTo(dt));
        Map<String, INDArray> graphGrads = g.sd().calculateGradients(ph, g.wrt());
        Map<String, INDArray> grads = new LinkedHashMap<>(g.bert().parameterGradients(feed, graphGrads));
        grads.put(CLASSIFIER_WEIGHT, graphGrads.get(CLASSIFIER_WEIGHT));
        grads.put(CLASSIFIER_BIAS, graphGrads.get(CLASSIFIER_BIAS));
        crfGrad.putInto(grads, b, dt);
        return step(batch, crfGrad.nll() / b, grads);
    }

    /**
     * The eager engine's step: the encoder's eager training pass ({@link BertEncoder#trainingPass}),
     * classifier and dropout as ND4J ops, the CRF loss and its exact gradient in double precision.
     * Same function, same masks and same gradients as {@link CrfTraining#FORWARD_BACKWARD} on the
     * graph (tested).
     */
    private StepOutput trainStepEager(NerBatch batch) {
        int b = batch.batchSize();
        int t = batch.length();
        int k = tags.size();
        DataType dt = encoder.dataType();
        BertEncoder.TrainingPass pass = encoder.trainingPass(batch.inputIds(), null, batch.attentionMask());
        INDArray hidden = pass.hiddenStates(); // [N,H]
        INDArray mask = dropout > 0 ? dropoutMask((long) b * t) : null;
        INDArray x = mask == null ? hidden : hidden.mul(mask);
        INDArray w = head.get(CLASSIFIER_WEIGHT); // [K,H]
        INDArray logits = Nd4j.gemm(x, w, false, true).addiRowVector(head.get(CLASSIFIER_BIAS)); // [N,K]
        CrfGradient crfGrad = crfGradient(logits.castTo(DataType.DOUBLE).dup('c').data().asDouble(), batch);
        INDArray dLogits = Nd4j.create(crfGrad.dEmissions(), new long[] {(long) b * t, k}, DataType.DOUBLE).castTo(dt);
        INDArray dX = Nd4j.gemm(dLogits, w, false, false); // [N,H]
        if (mask != null) {
            dX.muli(mask);
        }
        Map<String, INDArray> grads = new LinkedHashMap<>(pass.backward(dX));
        grads.put(CLASSIFIER_WEIGHT, Nd4j.gemm(dLogits, x, true, false));
        grads.put(CLASSIFIER_BIAS, dLogits.sum(0));
        crfGrad.putInto(grads, b, dt);
        return step(batch, crfGrad.nll() / b, grads);
    }

    /** Summed NLL of a batch and its gradients (emissions {@code [B*T*K]} already divided by B; CRF parameters summed). */
    private record CrfGradient(double nll, double[] dEmissions, double[][] dTrans, double[] dStart, double[] dEnd) {
        void putInto(Map<String, INDArray> grads, int b, DataType dt) {
            grads.put(LinearChainCrf.TRANSITIONS, scaled(dTrans, b, dt));
            grads.put(LinearChainCrf.START, Nd4j.createFromArray(dStart).divi(b).castTo(dt));
            grads.put(LinearChainCrf.END, Nd4j.createFromArray(dEnd).divi(b).castTo(dt));
        }
    }

    /** The CRF loss and its exact gradient in double precision, from emissions {@code [B*T*K]} row-major. */
    private CrfGradient crfGradient(double[] em, NerBatch batch) {
        int b = batch.batchSize();
        int t = batch.length();
        int k = tags.size();
        CrfParameters p = crf.penalised(CrfParameters.from(head));
        int[] lengths = CrfMath.lengths(batch.attentionMask());
        int[][] gold = batch.tags().castTo(DataType.INT32).toIntMatrix();
        double[][] dTrans = new double[k][k];
        double[] dStart = new double[k];
        double[] dEnd = new double[k];
        double[] dEm = new double[b * t * k];
        double nll = 0;
        for (int s = 0; s < b; s++) {
            double[][] e = new double[t][k];
            double[][] de = new double[t][k];
            for (int i = 0; i < t; i++) {
                System.arraycopy(em, (s * t + i) * k, e[i], 0, k);
            }
            nll += CrfMath.nllAndGradient(e, gold[s], lengths[s], p, de, dTrans, dStart, dEnd);
            for (int i = 0; i < lengths[s]; i++) {
                for (int j = 0; j < k; j++) {
                    dEm[(s * t + i) * k + j] = de[i][j] / b;
                }
            }
        }
        return new CrfGradient(nll, dEm, dTrans, dStart, dEnd);
    }

    private static INDArray scaled(double[][] m, int b, DataType dt) {
        return Nd4j.createFromArray(m).divi(b).castTo(dt);
    }

    private StepOutput step(NerBatch batch, double loss, Map<String, INDArray> grads) {
        Metrics m = new Metrics().add("crf_nll", loss * batch.batchSize(), batch.batchSize());
        nativeMemory.afterStep();
        return new StepOutput(loss, grads, m, batch.realTokens(), batch.batchSize());
    }

    private INDArray dropoutMask(long rows) {
        double keep = 1 - dropout;
        DataType dt = encoder.dataType();
        INDArray u = Nd4j.rand(dt, rows, encoder.config().hiddenSize());
        return u.lt(keep).castTo(dt).divi(keep);
    }

    private synchronized TrainGraph trainGraph(int length) {
        return trainGraphs.computeIfAbsent(length, this::buildTrainGraph);
    }

    /** The training graph for padded length {@code t} (GRAPH), or the length-free one ({@code t = -1}). */
    private TrainGraph buildTrainGraph(int t) {
        SameDiff sd = SameDiff.create();
        BertEncoder.Graph bert = encoder.build(sd, BertEncoder.Mode.TRAIN);
        SDVariable hidden = bert.hiddenStates();                                    // [N,H]
        if (dropout > 0) {
            hidden = hidden.mul(sd.placeHolder(DROPOUT_MASK, encoder.dataType(), -1, encoder.config().hiddenSize()));
        }
        SDVariable logits = classifier(sd, hidden);                                // [N,K]
        if (t < 0) {
            logits.rename(EMISSIONS);
            SDVariable upstream = sd.placeHolder(EMISSION_GRADIENT, encoder.dataType(), -1, tags.size()); // [N,K]
            logits.mul(upstream).sum(LOSS);                                         // d LOSS / d logits = upstream
            sd.setLossVariables(LOSS);
            List<String> wrt = new ArrayList<>(bert.gradientNames());
            wrt.add(CLASSIFIER_WEIGHT);
            wrt.add(CLASSIFIER_BIAS);
            return new TrainGraph(sd, bert, wrt);
        }
        SDVariable em = sd.reshape(logits, -1, t, tags.size());                    // [B,T,K]
        SDVariable gold = sd.placeHolder(TAGS, DataType.INT32, -1, t);             // [B,T]
        SDVariable mask = sd.getVariable(BertEncoder.ATTENTION_MASK);              // [B,T]
        crf.declareVariables(sd, head);
        crf.negativeLogLikelihood(LOSS, sd, em, gold, mask, t, Reduction.MEAN);
        sd.setLossVariables(LOSS);
        List<String> wrt = new ArrayList<>(bert.gradientNames());
        wrt.addAll(head.keySet());
        return new TrainGraph(sd, bert, wrt);
    }

    private SDVariable classifier(SameDiff sd, SDVariable hidden) {
        SDVariable w = sd.var(CLASSIFIER_WEIGHT, head.get(CLASSIFIER_WEIGHT));     // [K,H]
        SDVariable b = sd.var(CLASSIFIER_BIAS, head.get(CLASSIFIER_BIAS));         // [K]
        return sd.mmul(hidden, w, false, true, false).add(b);                      // [N,K]
    }

    /**
     * Emission scores of an inference pass (no dropout).
     *
     * @param inputIds {@code [B,T]} ids
     * @param attentionMask {@code [B,T]} 1/0
     * @return {@code [B,T,K]}
     */
    public synchronized INDArray emissions(INDArray inputIds, INDArray attentionMask) {
        if (engine == Engine.EAGER) {
            long b = inputIds.size(0);
            long t = inputIds.size(1);
            // the classifier reads the engine's hidden-state buffer in place: the only new array is [B,T,K]
            INDArray em = Nd4j.create(encoder.dataType(), b * t, tags.size());
            encoder.withHiddenStates(inputIds, null, attentionMask,
                    hidden -> Nd4j.gemm(hidden, head.get(CLASSIFIER_WEIGHT), em, false, true, 1.0, 0.0));
            return em.addiRowVector(head.get(CLASSIFIER_BIAS)).reshape(b, t, tags.size());
        }
        if (inference == null) {
            SameDiff sd = SameDiff.create();
            BertEncoder.Graph bert = encoder.build(sd, BertEncoder.Mode.INFERENCE);
            classifier(sd, bert.hiddenStates()).rename(EMISSIONS);
            inference = new InferenceGraph(sd, bert);
        }
        Map<String, INDArray> ph = new HashMap<>();
        inference.bert().feed(ph, inputIds, null, attentionMask);
        INDArray flat = inference.sd().output(ph, EMISSIONS).get(EMISSIONS);
        return flat.reshape(inputIds.size(0), inputIds.size(1), tags.size());
    }

    /** Best tag paths (constrained Viterbi in double precision) of a batch. */
    public ViterbiResult[] decode(INDArray inputIds, INDArray attentionMask) {
        try (INDArray em = emissions(inputIds, attentionMask)) {
            return crf.decode(em, attentionMask, head);
        }
    }

    /**
     * Mean CRF negative log-likelihood of a batch in inference mode, computed in double precision
     * outside the graph (with the training graph's constraint penalties).
     */
    public double loss(NerBatch batch) {
        double[] nll;
        try (INDArray em = emissions(batch.inputIds(), batch.attentionMask())) {
            nll = CrfMath.negativeLogLikelihood(em, batch.tags(), batch.attentionMask(), crf.penalised(CrfParameters.from(head)));
        }
        double s = 0;
        for (double v : nll) {
            s += v;
        }
        return s / nll.length;
    }

    /**
     * Writes {@code config.json} (the encoder's) and {@code model.safetensors} (encoder + head
     * parameters, FLOAT). {@link NerModel#save} adds the tokenizer and {@code labels.json}.
     */
    public void saveWeights(Path dir) throws IOException {
        encoder.config().save(dir);
        Map<String, INDArray> out = new LinkedHashMap<>();
        all.forEach((k, v) -> out.put(k, v.castTo(DataType.FLOAT)));
        SafeTensors.write(dir.resolve("model.safetensors"), out, Map.of("format", "pt", "bert4j_model", "BertCrfTagger"));
    }

    @Override
    public void save(Path dir) throws IOException {
        saveWeights(dir);
    }

    @Override
    public synchronized void close() {
        trainGraphs.clear();
        inference = null;
        encoder.close();
        head.values().forEach(INDArray::close);
    }
}
