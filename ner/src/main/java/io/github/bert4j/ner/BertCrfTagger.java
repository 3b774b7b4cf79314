package io.github.bert4j.ner;

import io.github.bert4j.bert.BertEncoder;
import io.github.bert4j.bert.EncoderPass;
import io.github.bert4j.bert.Engine;
import io.github.bert4j.bert.HfNames;
import io.github.bert4j.bert.heads.LinearClassifier;
import io.github.bert4j.bert.heads.TokenClassificationHead;
import io.github.bert4j.core.io.SafeTensors;
import io.github.bert4j.core.train.Metrics;
import io.github.bert4j.core.train.NativeMemory;
import io.github.bert4j.core.train.StepOutput;
import io.github.bert4j.core.train.TrainableModel;
import io.github.bert4j.ner.crf.CrfMath;
import io.github.bert4j.ner.crf.CrfParameters;
import io.github.bert4j.ner.crf.LinearChainCrf;
import io.github.bert4j.ner.crf.TransitionConstraints;
import io.github.bert4j.ner.crf.ViterbiResult;
import io.github.bert4j.ner.data.TagSet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * BERT + linear + CRF token tagger: {@code BertEncoder → dropout → classifier (H → K) → CRF}, a
 * thin shell over the encoder contract ({@link BertEncoder#forward} → {@link EncoderPass}), the
 * token-classification head ({@link TokenClassificationHead}) and the CRF's exact loss and gradient
 * ({@link CrfMath#nllAndGradient}, forward-backward in double precision).
 *
 * <p>Dimension letters: B batch, T padded length, H hidden size, K tags, N = B*T.
 *
 * <p>Parameters: the encoder's (HuggingFace names), {@link #CLASSIFIER_WEIGHT} {@code [K,H]},
 * {@link #CLASSIFIER_BIAS} {@code [K]} (as {@code BertForTokenClassification}) and the CRF's
 * {@code crf.transitions}, {@code crf.start_transitions}, {@code crf.end_transitions}. The loss
 * of a batch is the CRF negative log-likelihood averaged over its windows (pytorch-crf's
 * {@code reduction="mean"}); the CRF mask is the attention mask ([CLS] ... [SEP], tagged {@code
 * O}). A training step is one encoder pass, the head's logits, the CRF's {@code dLoss/dlogits},
 * and the way back through head and encoder; the {@link Engine} only decides how the encoder is
 * computed. The same CRF inside a SameDiff graph is {@link LinearChainCrf#negativeLogLikelihood}
 * (tested equal to this tagger's steps). Prediction computes the emissions without dropout and
 * runs Viterbi outside the graph, with the same transition constraints as training.
 *
 * <p>{@link #trainStep} is meant for one training thread; {@link #emissions} and {@link #decode}
 * are synchronized and safe to call from several threads.
 */
public final class BertCrfTagger implements TrainableModel<NerBatch>, AutoCloseable {
    /** Frees the native memory of each step's intermediates (see {@link NativeMemory}). */
    private final NativeMemory nativeMemory = NativeMemory.every(1);

    public static final String CLASSIFIER_WEIGHT = HfNames.CLASSIFIER_WEIGHT;
    public static final String CLASSIFIER_BIAS = HfNames.CLASSIFIER_BIAS;

    private final BertEncoder encoder;
    private final TagSet tags;
    private final LinearChainCrf crf;
    private final Map<String, INDArray> head;
    private final Map<String, INDArray> all;
    private final TokenClassificationHead classifier;

    private BertCrfTagger(BertEncoder encoder, TagSet tags, boolean bio, double dropout, Map<String, INDArray> head) {
        this.encoder = encoder;
        this.tags = tags;
        this.crf = new LinearChainCrf(tags.size(), bio ? TransitionConstraints.bio(tags) : null);
        this.head = head;
        Map<String, INDArray> a = new LinkedHashMap<>(encoder.parameters());
        a.putAll(head);
        this.all = Collections.unmodifiableMap(a);
        checkHeadShapes();
        this.classifier = new TokenClassificationHead(dropout, all);
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
        return new BertCrfTagger(encoder, tags, bio, dropout, head);
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
        return new BertCrfTagger(encoder, tags, bio, dropout, head);
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
        return classifier.dropout();
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

    /**
     * Selects the encoder's {@link Engine} (default {@link Engine#EAGER}; the encoder's setting, so
     * shared with everything on the same encoder); returns this.
     */
    public BertCrfTagger engine(Engine engine) {
        encoder.engine(engine);
        return this;
    }

    public Engine engine() {
        return encoder.engine();
    }

    @Override
    public StepOutput trainStep(NerBatch batch) {
        int b = batch.batchSize();
        int t = batch.length();
        int k = tags.size();
        DataType dt = encoder.dataType();
        EncoderPass pass = encoder.forward(batch.inputIds(), null, batch.attentionMask(), BertEncoder.Mode.TRAIN);
        LinearClassifier.Pass logits = classifier.forward(pass);                    // [N,K]
        CrfGradient crfGrad = crfGradient(logits.logits().castTo(DataType.DOUBLE).dup('c').data().asDouble(), batch);
        INDArray dLogits = Nd4j.create(crfGrad.dEmissions(), new long[] {(long) b * t, k}, DataType.DOUBLE).castTo(dt);
        Map<String, INDArray> headGrads = new LinkedHashMap<>();
        INDArray dHidden = logits.backward(dLogits, headGrads);                     // [N,H]
        Map<String, INDArray> grads = new LinkedHashMap<>(pass.backward(dHidden, null));
        grads.putAll(headGrads);
        crfGrad.putInto(grads, b, dt);
        Metrics m = new Metrics().add("crf_nll", crfGrad.nll(), b);
        nativeMemory.afterStep();
        return new StepOutput(crfGrad.nll() / b, grads, m, batch.realTokens(), b);
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

    /**
     * Emission scores of an inference pass (no dropout).
     *
     * @param inputIds {@code [B,T]} ids
     * @param attentionMask {@code [B,T]} 1/0
     * @return {@code [B,T,K]}
     */
    public synchronized INDArray emissions(INDArray inputIds, INDArray attentionMask) {
        long b = inputIds.size(0);
        long t = inputIds.size(1);
        // the classifier reads the engine's hidden-state buffer in place: the only new array is [B*T,K]
        INDArray em = Nd4j.create(encoder.dataType(), b * t, tags.size());
        encoder.withHiddenStates(inputIds, null, attentionMask, hidden -> {
            classifier.logitsInto(hidden, em);
            return em;
        });
        return em.reshape(b, t, tags.size());
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
        encoder.close();
        head.values().forEach(INDArray::close);
    }
}
