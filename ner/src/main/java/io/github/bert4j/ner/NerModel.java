package io.github.bert4j.ner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.bert4j.bert.BertConfig;
import io.github.bert4j.bert.BertEncoder;
import io.github.bert4j.bert.FineTuningRates;
import io.github.bert4j.core.io.AtomicFiles;
import io.github.bert4j.core.io.SafeTensors;
import io.github.bert4j.core.train.StepOutput;
import io.github.bert4j.core.train.TrainableModel;
import io.github.bert4j.ner.align.Entity;
import io.github.bert4j.ner.align.Iob;
import io.github.bert4j.ner.align.LabelAligner;
import io.github.bert4j.ner.align.SlidingWindows;
import io.github.bert4j.ner.crf.CrfMath;
import io.github.bert4j.ner.crf.CrfParameters;
import io.github.bert4j.ner.data.NerSentence;
import io.github.bert4j.ner.data.TagSet;
import io.github.bert4j.ner.eval.TemperatureScaling;
import io.github.bert4j.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A complete NER model: the {@link BertCrfTagger} plus its tokenizer, labels and windowing, i.e.
 * everything a model directory holds:
 * <ul>
 *   <li>{@code config.json} — the encoder's HuggingFace BERT config;</li>
 *   <li>{@code model.safetensors} — encoder, {@code classifier.*} and {@code crf.*} tensors;</li>
 *   <li>{@code tokenizer.json} + {@code vocab.txt} — the tokenizer;</li>
 *   <li>{@code labels.json} — {@code {"labels": [...], "bio_constraints": true, "max_length": 128,
 *       "stride": 63, "classifier_dropout": 0.1, "score_temperature": 1.0}} ({@code score_temperature}
 *       absent in older models: 1);</li>
 *   <li>{@code README.md} — a short model card.</li>
 * </ul>
 * It is also the {@link TrainableModel} the trainer checkpoints, so {@code best/} and {@code last/}
 * are usable model directories.
 */
public final class NerModel implements TrainableModel<NerBatch>, AutoCloseable {

    public static final String LABELS_FILE = "labels.json";
    /** The {@link #LABELS_FILE} key of {@link #scoreTemperature()}. */
    static final String SCORE_TEMPERATURE = "score_temperature";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final System.Logger LOG = System.getLogger(NerModel.class.getName());

    private final BertCrfTagger tagger;
    private final NerInputs inputs;
    private volatile String card = "";
    private FineTuningRates rates = FineTuningRates.NONE;
    private volatile double scoreTemperature = 1.0;

    public NerModel(BertCrfTagger tagger, NerInputs inputs) {
        if (!tagger.tags().equals(inputs.tags())) {
            throw new IllegalArgumentException("tagger labels " + tagger.tags() + " differ from input labels " + inputs.tags());
        }
        checkVocab(tagger.encoder().config(), inputs.tokenizer(), null);
        if (inputs.maxLength() > tagger.encoder().config().maxPositionEmbeddings()) {
            throw new IllegalArgumentException("max_length " + inputs.maxLength() + " exceeds the model's max_position_embeddings "
                    + tagger.encoder().config().maxPositionEmbeddings());
        }
        this.tagger = tagger;
        this.inputs = inputs;
    }

    public BertCrfTagger tagger() {
        return tagger;
    }

    public NerInputs inputs() {
        return inputs;
    }

    public TagSet tags() {
        return tagger.tags();
    }

    /**
     * The temperature entity scores are read at ({@link NerDecoder#temperature()}): 1 unless set,
     * e.g. to the value {@link #fitScoreTemperature} found on validation sentences. It changes the
     * scores only, never tags or entities; saved in {@code labels.json}.
     */
    public double scoreTemperature() {
        return scoreTemperature;
    }

    /** Sets {@link #scoreTemperature()} (positive and finite). */
    public void setScoreTemperature(double temperature) {
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("score temperature must be positive and finite, got " + temperature);
        }
        this.scoreTemperature = temperature;
    }

    /**
     * Fits the score temperature on gold sentences that training did not see (a validation split):
     * the {@link io.github.bert4j.ner.eval.TemperatureScaling} temperature that minimises the log
     * loss of the predicted entities' scores against exact match with a gold entity (type, start,
     * end). One pass of the encoder; the decoding is repeated per candidate temperature. The model
     * is not changed: pass the result to {@link #setScoreTemperature}. 1 when the sentences yield
     * no scored entity.
     */
    public double fitScoreTemperature(List<NerSentence> gold, int batchSize) {
        NerDecoder decoder = NerDecoder.of(this);
        NerDecoder.Windows windows = decoder.windows(gold.stream().map(NerSentence::text).toList());
        List<double[][]> rows = new ArrayList<>(Collections.nCopies(windows.size(), (double[][]) null));
        emissions(windows, null, batchSize, rows::set);
        // the entities (and so their outcomes) are the same at every temperature; only scores change
        List<TaggedSentence> tagged = decoder.decode(windows, rows);
        List<Boolean> outcomes = new ArrayList<>();
        for (int i = 0; i < tagged.size(); i++) {
            Set<List<Object>> g = new HashSet<>();
            for (Entity e : LabelAligner.entities(gold.get(i).text(), gold.get(i).charTags())) {
                g.add(List.of(e.type(), e.start(), e.end()));
            }
            for (Entity e : tagged.get(i).entities()) {
                if (e.hasScore()) outcomes.add(g.contains(List.of(e.type(), e.start(), e.end())));
            }
        }
        if (outcomes.isEmpty()) {
            return 1.0;
        }
        boolean[] correct = new boolean[outcomes.size()];
        for (int i = 0; i < correct.length; i++) {
            correct[i] = outcomes.get(i);
        }
        return TemperatureScaling.fit(t -> TemperatureScaling.logLoss(
                entityScores(decoder.withTemperature(t).decode(windows, rows)), correct));
    }

    /** The scores of the scored entities, sentence by sentence in order. */
    private static double[] entityScores(List<TaggedSentence> tagged) {
        return tagged.stream().flatMap(t -> t.entities().stream()).filter(Entity::hasScore)
                .mapToDouble(Entity::score).toArray();
    }

    /** Text written as {@code README.md} by {@link #save} (a model card); empty for a default one. */
    public void setModelCard(String markdown) {
        this.card = markdown == null ? "" : markdown;
    }

    @Override
    public Map<String, INDArray> parameters() {
        return tagger.parameters();
    }

    /**
     * Learning-rate groups for fine-tuning ({@link FineTuningRates#NONE} by default: every
     * parameter at the scheduled rate).
     */
    public void setFineTuningRates(FineTuningRates rates) {
        this.rates = java.util.Objects.requireNonNull(rates, "rates");
    }

    @Override
    public double learningRateScale(String name) {
        return rates.scale(name);
    }

    @Override
    public StepOutput trainStep(NerBatch batch) {
        return tagger.trainStep(batch);
    }

    @Override
    public void save(Path dir) throws IOException {
        Files.createDirectories(dir);
        tagger.saveWeights(dir);
        inputs.tokenizer().save(dir);
        ObjectNode labels = JSON.createObjectNode();
        ArrayNode arr = labels.putArray("labels");
        tags().labels().forEach(arr::add);
        labels.put("bio_constraints", tagger.bioConstraints());
        labels.put("max_length", inputs.maxLength());
        labels.put("stride", inputs.stride());
        labels.put("classifier_dropout", tagger.dropout());
        labels.put(SCORE_TEMPERATURE, scoreTemperature);
        AtomicFiles.writeString(dir.resolve(LABELS_FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(labels) + "\n");
        BertConfig c = tagger.encoder().config();
        String readme = card.isEmpty()
                ? "# bert4j NER model\n\nBERT encoder (hidden " + c.hiddenSize() + ", " + c.numHiddenLayers() + " layers, "
                        + c.numAttentionHeads() + " heads, vocabulary " + c.vocabSize() + ") + linear + CRF"
                        + (tagger.bioConstraints() ? " (IOB2-constrained)" : "") + ", labels " + tags().labels()
                        + ", max length " + inputs.maxLength() + ".\n\nLoad with `NerPredictor.load(dir)` or run "
                        + "`bert4j tag --model <dir>`.\n"
                : card;
        AtomicFiles.writeString(dir.resolve("README.md"), readme);
    }

    /**
     * Loads a model directory written by {@link #save}.
     *
     * @throws NerModelException naming the directory and what is missing or inconsistent
     */
    public static NerModel load(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new NerModelException("model directory " + dir + " does not exist");
        }
        try (Stream<Path> files = Files.list(dir)) {
            if (files.findAny().isEmpty()) {
                throw new NerModelException("model directory " + dir + " is empty; expected config.json, model.safetensors, "
                        + "tokenizer.json, vocab.txt and " + LABELS_FILE);
            }
        } catch (IOException e) {
            throw new NerModelException("cannot list model directory " + dir + ": " + e, e);
        }
        for (String f : List.of("config.json", "model.safetensors", LABELS_FILE)) {
            if (!Files.isRegularFile(dir.resolve(f))) {
                throw new NerModelException("model directory " + dir + " has no " + f
                        + (f.equals(LABELS_FILE) ? " (is it an NER model? a pretrained encoder needs fine-tuning first)" : ""));
            }
        }
        if (!Files.isRegularFile(dir.resolve("tokenizer.json")) && !Files.isRegularFile(dir.resolve("vocab.txt"))) {
            throw new NerModelException("model directory " + dir + " has no tokenizer.json or vocab.txt");
        }
        try {
            JsonNode labels = JSON.readTree(dir.resolve(LABELS_FILE).toFile());
            List<String> names = new ArrayList<>();
            JsonNode arr = labels.path("labels");
            if (!arr.isArray() || arr.isEmpty()) {
                throw new NerModelException(dir.resolve(LABELS_FILE) + ": expected a non-empty \"labels\" array");
            }
            arr.forEach(n -> names.add(n.asText()));
            TagSet tags;
            try {
                tags = TagSet.of(names);
            } catch (IllegalArgumentException e) {
                throw new NerModelException(dir.resolve(LABELS_FILE) + ": " + e.getMessage(), e);
            }
            BertConfig config = BertConfig.load(dir);
            Tokenizer tokenizer = Files.isRegularFile(dir.resolve("tokenizer.json"))
                    ? Tokenizer.load(dir) : Tokenizer.fromVocab(dir.resolve("vocab.txt"));
            checkVocab(config, tokenizer, dir);
            BertEncoder encoder = BertEncoder.load(dir);
            Map<String, INDArray> tensors = SafeTensors.read(dir.resolve("model.safetensors"));
            BertCrfTagger tagger;
            try {
                tagger = BertCrfTagger.of(encoder, tags, labels.path("bio_constraints").asBoolean(true),
                        labels.path("classifier_dropout").asDouble(0.1), tensors);
            } catch (IllegalArgumentException e) {
                throw new NerModelException(dir + ": " + e.getMessage(), e);
            }
            int maxLength = labels.path("max_length").asInt(config.maxPositionEmbeddings());
            int stride = labels.path("stride").asInt(Math.max(1, (maxLength - 2) / 2));
            double temperature = labels.path(SCORE_TEMPERATURE).asDouble(1.0);
            if (!(temperature > 0) || Double.isInfinite(temperature)) {
                throw new NerModelException(dir.resolve(LABELS_FILE) + ": expected a positive \"score_temperature\", got "
                        + labels.path(SCORE_TEMPERATURE));
            }
            NerModel model = new NerModel(tagger, new NerInputs(tokenizer, tags, maxLength, stride));
            model.setScoreTemperature(temperature);
            return model;
        } catch (IOException e) {
            throw new NerModelException("cannot load model directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Computes every window's emissions, batched by length, and hands each window's rows {@code
     * [n][K]} to {@code sink} (window index, rows) in batch order; with gold tags per window also
     * the sum of the windows' CRF NLL (else 0).
     */
    private double emissions(NerDecoder.Windows windows, List<int[]> windowGold, int batchSize,
            java.util.function.BiConsumer<Integer, double[][]> sink) {
        TagSet tags = tags();
        Integer[] order = new Integer[windows.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, Comparator.comparingInt(i -> windows.ids(i).length));
        double nllSum = 0;
        int pad = inputs.tokenizer().vocab().padId();
        int k = tags.size();
        for (int from = 0; from < order.length; from += batchSize) {
            int to = Math.min(order.length, from + batchSize);
            List<NerExample> chunk = new ArrayList<>();
            for (int i = from; i < to; i++) {
                int[] ids = windows.ids(order[i]);
                chunk.add(new NerExample(ids, windowGold == null ? new int[ids.length] : windowGold.get(order[i])));
            }
            // every native array of the batch is closed here, not left to the garbage collector
            NerBatch batch = NerBatches.batch(chunk, 1, Math.max(pad, 0), tags.outside());
            try (INDArray em = tagger.emissions(batch.inputIds(), batch.attentionMask())) {
                double[] flat = CrfMath.flatDoubles(em);
                int steps = (int) em.size(1);
                for (int i = from; i < to; i++) {
                    int n = windows.ids(order[i]).length;
                    double[][] rows = new double[n][];
                    for (int t = 0; t < n; t++) {
                        int o = ((i - from) * steps + t) * k;
                        rows[t] = java.util.Arrays.copyOfRange(flat, o, o + k);
                    }
                    sink.accept(order[i], rows);
                }
                if (windowGold != null) {
                    double[] nll = CrfMath.negativeLogLikelihood(em, batch.tags(), batch.attentionMask(),
                            tagger.crf().penalised(CrfParameters.from(tagger.headParameters())));
                    for (double v : nll) {
                        nllSum += v;
                    }
                }
            } finally {
                batch.close();
            }
        }
        return nllSum;
    }

    /**
     * Sets {@code score_temperature} in the {@link #LABELS_FILE} of model directory {@code dir}
     * (written by {@link #save}), leaving its other keys as they are.
     */
    static void writeScoreTemperature(Path dir, double temperature) throws IOException {
        Path file = dir.resolve(LABELS_FILE);
        ObjectNode labels = (ObjectNode) JSON.readTree(file.toFile());
        labels.put(SCORE_TEMPERATURE, temperature);
        AtomicFiles.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(labels) + "\n");
    }

    static void checkVocab(BertConfig config, Tokenizer tokenizer, Path dir) {
        int tok = tokenizer.vocab().size();
        if (tok > config.vocabSize()) {
            throw new NerModelException("tokenizer and model do not match" + (dir == null ? "" : " in " + dir)
                    + ": the tokenizer has " + tok + " tokens but the model's vocab_size is " + config.vocabSize());
        }
        if (tok < config.vocabSize()) {
            LOG.log(System.Logger.Level.WARNING, "tokenizer has {0} tokens, model vocab_size is {1}", tok, config.vocabSize());
        }
    }

    /** Tags texts; windows are batched by length, {@code batchSize} at a time. */
    public List<TaggedSentence> tag(List<String> texts, int batchSize) {
        return tagAndScore(texts, null, batchSize).sentences();
    }

    /** Tagging plus, when gold sentences are given, the mean CRF NLL of their windows. */
    record Tagging(List<TaggedSentence> sentences, double meanNll) {}

    Tagging tagAndScore(List<String> texts, List<NerSentence> gold, int batchSize) {
        TagSet tags = tags();
        NerDecoder decoder = NerDecoder.of(this);
        NerDecoder.Windows windows = decoder.windows(texts);
        List<int[]> windowGold = new ArrayList<>();
        if (gold != null) {
            for (int s = 0; s < texts.size(); s++) {
                NerInputs.Prepared p = windows.texts().get(s);
                String[] goldTags = inputs.goldTokenTags(gold.get(s), p);
                for (SlidingWindows.Window win : p.windows()) {
                    String[] wt = Iob.repair(java.util.Arrays.copyOfRange(goldTags, win.start(), win.end()));
                    int[] t = new int[win.length() + 2];
                    java.util.Arrays.fill(t, tags.outside());
                    for (int i = 0; i < wt.length; i++) {
                        t[i + 1] = tags.index(wt[i]);
                    }
                    windowGold.add(t);
                }
            }
        }
        NerDecoder.Decoding decoding = decoder.start(windows);
        double nllSum = emissions(windows, gold == null ? null : windowGold, batchSize, decoding::add);
        return new Tagging(decoding.sentences(), windows.size() == 0 ? 0 : nllSum / windows.size());
    }

    @Override
    public void close() {
        tagger.close();
    }
}
