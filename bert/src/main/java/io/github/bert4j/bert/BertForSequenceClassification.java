package io.github.bert4j.bert;

import io.github.bert4j.bert.heads.SequenceClassificationHead;
import io.github.bert4j.core.config.ConfigException;
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

/**
 * HuggingFace's {@code BertForSequenceClassification}: a {@link BertEncoder} and the {@link
 * SequenceClassificationHead} on its pooled output ({@code pooled → dropout → linear}, {@code
 * classifier.weight [C,H]}, {@code classifier.bias [C]}), softmax cross-entropy averaged over the
 * labelled sequences of a batch. Trainable by the core {@code Trainer}; the label names travel in
 * {@code config.json} as HuggingFace writes them ({@code id2label}, {@code label2id}), so a model
 * directory saved here loads in {@code transformers} and back.
 *
 * <p>Metrics of a step (sums for {@link Metrics}): {@code cls_loss}, {@code cls_acc}. Not
 * thread-safe for training; {@link #logits} is synchronized.
 */
public final class BertForSequenceClassification implements TrainableModel<BertForSequenceClassification.Batch>,
        AutoCloseable {
    /** The architecture written into {@code config.json}. */
    public static final String ARCHITECTURE = "BertForSequenceClassification";

    /**
     * One batch: {@code [B,T]} ids, segment ids (null = all 0) and attention mask, and a label per
     * sequence ({@code < 0} = none: such a sequence takes no part in loss and accuracy; null for
     * prediction).
     */
    public record Batch(INDArray inputIds, INDArray tokenTypeIds, INDArray attentionMask, int[] labels) {
        public Batch {
            if (inputIds.rank() != 2) {
                throw new IllegalArgumentException("input_ids must be [B,T], got rank " + inputIds.rank());
            }
            if (labels != null && labels.length != inputIds.size(0)) {
                throw new IllegalArgumentException(labels.length + " labels for " + inputIds.size(0) + " sequences");
            }
        }

        public int batchSize() {
            return (int) inputIds.size(0);
        }

        public int length() {
            return (int) inputIds.size(1);
        }

        /** Non-padding tokens (the attention mask's sum; every position without a mask). */
        public long realTokens() {
            return attentionMask == null ? (long) batchSize() * length() : attentionMask.sumNumber().longValue();
        }
    }

    private final BertEncoder encoder;
    private final List<String> labels;
    private final double dropout;
    private final Map<String, INDArray> head;
    private final Map<String, INDArray> all;
    private final SequenceClassificationHead classifier;
    private final NativeMemory nativeMemory = NativeMemory.every(1);
    private double headLearningRateScale = 1.0;

    private BertForSequenceClassification(BertEncoder encoder, List<String> labels, double dropout,
            Map<String, INDArray> head) {
        if (labels.size() < 2) {
            throw new IllegalArgumentException("a classifier needs at least 2 labels, got " + labels);
        }
        if (new java.util.HashSet<>(labels).size() != labels.size()) {
            throw new IllegalArgumentException("labels must be distinct, got " + labels);
        }
        this.encoder = encoder;
        this.labels = List.copyOf(labels);
        this.dropout = dropout;
        this.head = Collections.unmodifiableMap(head);
        LinkedHashMap<String, INDArray> m = new LinkedHashMap<>(encoder.parameters());
        m.putAll(head);
        this.all = Collections.unmodifiableMap(m);
        this.classifier = new SequenceClassificationHead(HfNames.CLASSIFIER, dropout, all);
        long[] w = head.get(HfNames.CLASSIFIER_WEIGHT).shape();
        if (w.length != 2 || w[0] != labels.size() || w[1] != encoder.config().hiddenSize()
                || head.get(HfNames.CLASSIFIER_BIAS).length() != labels.size()) {
            throw new IllegalArgumentException(HfNames.CLASSIFIER_WEIGHT + " must be [" + labels.size() + ", "
                    + encoder.config().hiddenSize() + "] (labels x hidden_size), got " + java.util.Arrays.toString(w));
        }
    }

    /**
     * A classifier with a fresh head on {@code encoder} (e.g. a pretrained one): weight
     * N(0, initializer_range), bias 0, as HuggingFace initialises it, from {@code seed}.
     *
     * @param labels the class names, index = class id
     * @param dropout on the pooled output in training, in [0, 1) (HuggingFace: {@code
     *     classifier_dropout}, else {@code hidden_dropout_prob})
     */
    public static BertForSequenceClassification create(BertEncoder encoder, List<String> labels, double dropout,
            long seed) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        SequenceClassificationHead.parameterShapes(shapes, HfNames.CLASSIFIER, labels.size(),
                encoder.config().hiddenSize());
        return new BertForSequenceClassification(encoder, labels, dropout,
                BertEncoder.initialise(shapes, encoder.config(), seed, encoder.dataType()));
    }

    /** Loads a model directory (FLOAT). */
    public static BertForSequenceClassification load(Path dir) throws IOException {
        return load(dir, DataType.FLOAT);
    }

    /**
     * Loads {@code config.json} (with {@code id2label}) and {@code model.safetensors} (encoder and
     * {@code classifier.*}) as written by {@link #save} or by HuggingFace. Dropout is the config's
     * {@code classifier_dropout} if set, else {@code hidden_dropout_prob}.
     *
     * @throws ConfigException naming {@code config.json} when {@code id2label} is missing or not
     *     the ids 0..C-1
     * @throws IllegalArgumentException when the checkpoint has no classifier of C classes
     */
    public static BertForSequenceClassification load(Path dir, DataType dtype) throws IOException {
        Path configFile = dir.resolve("config.json");
        BertConfig config = BertConfig.load(dir);
        List<String> labels = labels(config, configFile);
        BertEncoder encoder = BertEncoder.load(dir, dtype);
        Map<String, INDArray> tensors = BertCheckpoint.read(dir, dtype);
        Map<String, INDArray> head = new LinkedHashMap<>();
        for (String name : List.of(HfNames.CLASSIFIER_WEIGHT, HfNames.CLASSIFIER_BIAS)) {
            INDArray t = tensors.get(name);
            if (t == null) {
                encoder.close();
                throw new IllegalArgumentException(dir.resolve("model.safetensors") + ": no tensor '" + name
                        + "' (not a sequence-classification checkpoint?)");
            }
            head.put(name, t);
        }
        Object cd = config.extra().get("classifier_dropout");
        double dropout = cd instanceof Number n ? n.doubleValue() : config.hiddenDropoutProb();
        return new BertForSequenceClassification(encoder, labels, dropout, head);
    }

    /** The class names of {@code id2label} in id order. */
    static List<String> labels(BertConfig config, Path file) {
        Object raw = config.extra().get("id2label");
        if (!(raw instanceof Map<?, ?> map) || map.isEmpty()) {
            throw ConfigException.other("id2label", "expected an object {\"0\": \"label\", ...} naming the classes, got "
                    + raw, null).withSource(file.toString());
        }
        String[] names = new String[map.size()];
        for (Map.Entry<?, ?> e : map.entrySet()) {
            int id;
            try {
                id = Integer.parseInt(String.valueOf(e.getKey()));
            } catch (NumberFormatException ex) {
                throw ConfigException.other("id2label", "expected integer ids, got \"" + e.getKey() + "\"", ex)
                        .withSource(file.toString());
            }
            if (id < 0 || id >= names.length || names[id] != null) {
                throw ConfigException.other("id2label", "expected the ids 0.." + (names.length - 1) + " once each, got "
                        + map.keySet(), null).withSource(file.toString());
            }
            names[id] = String.valueOf(e.getValue());
        }
        return List.of(names);
    }

    /** Writes {@code config.json} ({@value #ARCHITECTURE}, {@code id2label}, {@code label2id}) and {@code model.safetensors}. */
    @Override
    public void save(Path dir) throws IOException {
        Map<String, String> id2label = new LinkedHashMap<>();
        Map<String, Integer> label2id = new LinkedHashMap<>();
        for (int i = 0; i < labels.size(); i++) {
            id2label.put(String.valueOf(i), labels.get(i));
            label2id.put(labels.get(i), i);
        }
        encoder.config().withArchitecture(ARCHITECTURE).withExtra("id2label", id2label).withExtra("label2id", label2id)
                .withExtra("classifier_dropout", dropout).save(dir);
        BertCheckpoint.write(dir, all);
    }

    public BertEncoder encoder() {
        return encoder;
    }

    /** Class names, index = class id. */
    public List<String> labels() {
        return labels;
    }

    public double dropout() {
        return dropout;
    }

    @Override
    public Map<String, INDArray> parameters() {
        return all;
    }

    /** The classifier's parameters (live arrays). */
    public Map<String, INDArray> headParameters() {
        return head;
    }

    /** Selects the encoder's {@link Engine} (default {@link Engine#EAGER}); returns this. */
    public BertForSequenceClassification engine(Engine engine) {
        encoder.engine(engine);
        return this;
    }

    public Engine engine() {
        return encoder.engine();
    }

    /** The classifier's learning rate as a multiple of the encoder's (default 1); returns this. */
    public BertForSequenceClassification headLearningRateScale(double scale) {
        if (!(scale >= 0 && Double.isFinite(scale))) {
            throw new IllegalArgumentException("head learning-rate scale must be finite and >= 0, got " + scale);
        }
        this.headLearningRateScale = scale;
        return this;
    }

    @Override
    public double learningRateScale(String name) {
        return head.containsKey(name) ? headLearningRateScale : 1.0;
    }

    private SequenceClassificationHead.Pass forward(Batch batch, BertEncoder.Mode mode, int[] labels) {
        EncoderPass pass = encoder.forward(batch.inputIds(), batch.tokenTypeIds(), batch.attentionMask(), mode);
        return classifier.forward(pass, labels);
    }

    @Override
    public StepOutput trainStep(Batch batch) {
        if (batch.labels() == null) {
            throw new IllegalArgumentException("a training batch needs labels");
        }
        EncoderPass pass = encoder.forward(batch.inputIds(), batch.tokenTypeIds(), batch.attentionMask(),
                BertEncoder.Mode.TRAIN);
        SequenceClassificationHead.Pass p = classifier.forward(pass, batch.labels());
        Metrics m = metrics(p);
        double loss = p.loss();
        Map<String, INDArray> headGrads = new HashMap<>();
        INDArray dPooled = p.backward(headGrads);
        Map<String, INDArray> grads = new LinkedHashMap<>(pass.backward(null, dPooled));
        grads.putAll(headGrads);
        nativeMemory.afterStep();
        return new StepOutput(loss, grads, m, batch.realTokens(), batch.batchSize());
    }

    private static Metrics metrics(SequenceClassificationHead.Pass p) {
        Metrics m = new Metrics();
        int n = p.labelled();
        if (n > 0) {
            m.add("cls_loss", p.loss() * n, n);
            m.add("cls_acc", p.correct(), n);
        }
        return m;
    }

    /** Inference (no dropout): metric sums {@code cls_loss}, {@code cls_acc} of a labelled batch. */
    public synchronized Metrics evaluate(Batch batch) {
        return metrics(forward(batch, BertEncoder.Mode.INFERENCE, batch.labels()));
    }

    /** Inference logits {@code [B,C]} of a batch (a new array; labels are ignored). */
    public synchronized INDArray logits(Batch batch) {
        return forward(batch, BertEncoder.Mode.INFERENCE, null).logits().dup();
    }

    /** Inference class probabilities, {@code [B][C]} in double. */
    public synchronized double[][] probabilities(Batch batch) {
        return forward(batch, BertEncoder.Mode.INFERENCE, null).probabilities().castTo(DataType.DOUBLE).toDoubleMatrix();
    }

    /** The most probable class of each sequence, with its probability. */
    public record Prediction(int label, String name, double probability) {}

    /** Inference predictions of a batch. */
    public synchronized List<Prediction> predict(Batch batch) {
        double[][] probs = probabilities(batch);
        List<Prediction> out = new ArrayList<>(probs.length);
        for (double[] p : probs) {
            int best = 0;
            for (int c = 1; c < p.length; c++) {
                best = p[c] > p[best] ? c : best;
            }
            out.add(new Prediction(best, labels.get(best), p[best]));
        }
        return out;
    }

    @Override
    public synchronized void close() {
        encoder.close();
        head.values().forEach(INDArray::close);
    }
}
