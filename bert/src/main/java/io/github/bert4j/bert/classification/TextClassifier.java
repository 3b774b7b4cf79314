package io.github.bert4j.bert.classification;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.bert4j.bert.BertForSequenceClassification;
import io.github.bert4j.core.config.ConfigException;
import io.github.bert4j.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A classifier model directory ready to use: {@link BertForSequenceClassification} ({@code
 * config.json}, {@code model.safetensors}), its {@code tokenizer.json}, and {@code
 * classification.json} (the inputs it was trained with: {@code max_len}, {@code text_fields},
 * {@code label_field}), as {@code bert4j finetune-classifier} writes it. Without {@code
 * classification.json} (e.g. a HuggingFace directory), texts are cut to {@code
 * max_position_embeddings} tokens and JSONL input reads {@code content}. Thread-safe.
 */
public final class TextClassifier implements AutoCloseable {

    /** The file of the input settings. */
    public static final String SETTINGS_FILE = "classification.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The input settings a model was trained with.
     *
     * @param textFields JSONL fields joined into the text
     */
    public record Settings(int maxLen, List<String> textFields, String labelField) {
        public Settings {
            textFields = List.copyOf(textFields);
        }

        /** Writes {@code dir/classification.json}. */
        public void write(Path dir) throws IOException {
            ObjectNode o = JSON.createObjectNode();
            o.put("max_len", maxLen);
            textFields.forEach(o.putArray("text_fields")::add);
            o.put("label_field", labelField);
            Files.writeString(dir.resolve(SETTINGS_FILE), o.toPrettyString() + "\n", StandardCharsets.UTF_8);
        }

        /** Reads {@code dir/classification.json}, or the defaults for a directory without one. */
        public static Settings read(Path dir, int maxPositions) throws IOException {
            Path f = dir.resolve(SETTINGS_FILE);
            if (!Files.exists(f)) {
                return new Settings(maxPositions, List.of("content"), "category");
            }
            JsonNode n;
            try {
                n = JSON.readTree(Files.readString(f, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw ConfigException.other("", "invalid JSON: " + e.getMessage(), e).withSource(f.toString());
            }
            JsonNode max = n.get("max_len");
            if (max == null || !max.canConvertToInt() || max.asInt() < 3) {
                throw ConfigException.other("max_len", "expected an integer >= 3, got " + max, null).withSource(f.toString());
            }
            List<String> fields = new ArrayList<>();
            JsonNode tf = n.get("text_fields");
            if (tf != null && tf.isArray()) tf.forEach(x -> fields.add(x.asText()));
            if (fields.isEmpty()) fields.add("content");
            JsonNode lf = n.get("label_field");
            return new Settings(max.asInt(), fields, lf == null ? "category" : lf.asText());
        }
    }

    private final BertForSequenceClassification model;
    private final ClassificationInputs inputs;
    private final Settings settings;
    private final int batchSize;

    public TextClassifier(BertForSequenceClassification model, Tokenizer tokenizer, Settings settings) {
        this.model = model;
        this.settings = settings;
        this.inputs = new ClassificationInputs(tokenizer, settings.maxLen());
        this.batchSize = 32;
    }

    /** Loads a model directory (see the class comment). */
    public static TextClassifier load(Path dir) throws IOException {
        if (!Files.isRegularFile(dir.resolve("tokenizer.json"))) {
            throw new IOException(dir + ": no tokenizer.json (expected a model directory written by"
                    + " finetune-classifier)");
        }
        BertForSequenceClassification model = BertForSequenceClassification.load(dir);
        try {
            Settings s = Settings.read(dir, model.encoder().config().maxPositionEmbeddings());
            return new TextClassifier(model, Tokenizer.load(dir), s);
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
    }

    public BertForSequenceClassification model() {
        return model;
    }

    public Settings settings() {
        return settings;
    }

    public List<String> labels() {
        return model.labels();
    }

    /** The most probable class of each text with its probability, in order. */
    public List<BertForSequenceClassification.Prediction> classify(List<String> texts) {
        List<BertForSequenceClassification.Prediction> out = new ArrayList<>(texts.size());
        for (int start = 0; start < texts.size(); start += batchSize) {
            List<String> chunk = texts.subList(start, Math.min(texts.size(), start + batchSize));
            out.addAll(model.predict(inputs.batch(inputs.ids(chunk), null)));
        }
        return out;
    }

    /** As {@link #classify(List)} for one text. */
    public BertForSequenceClassification.Prediction classify(String text) {
        return classify(List.of(text)).get(0);
    }

    /**
     * The text of one JSONL record: the model's {@link Settings#textFields} joined by a newline, as
     * in training.
     *
     * @throws IllegalArgumentException naming the missing or non-string field
     */
    public String textOf(JsonNode record) {
        StringBuilder sb = new StringBuilder();
        for (String f : settings.textFields()) {
            JsonNode v = record.get(f);
            if (v == null || !v.isTextual()) {
                throw new IllegalArgumentException((v == null ? "missing text field \"" : "text field \"") + f + "\""
                        + (v == null ? "" : " must be a string, got " + v.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)));
            }
            if (!v.textValue().isBlank()) sb.append(sb.length() == 0 ? "" : "\n").append(v.textValue().strip());
        }
        return sb.toString();
    }

    @Override
    public void close() {
        model.close();
    }
}
