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
import io.github.bert4j.ner.data.TagSet;
import io.github.bert4j.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * are usable model directories. It loads, validates and saves the directory and gives access to
 * its parts ({@link #tagger()}, {@link #inputs()}: tokenizer, labels, windowing); tagging texts with
 * it is {@link NerPredictor}'s, scoring it on gold sentences {@link NerScorer}'s.
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
     * e.g. to the value {@link NerPredictor#fitScoreTemperature} found on validation sentences. It changes the
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

    @Override
    public void close() {
        tagger.close();
    }
}
