package io.github.bert4j.tokenizer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.bert4j.tokenizer.decoders.Decoder;
import io.github.bert4j.tokenizer.models.Model;
import io.github.bert4j.tokenizer.normalizers.Normalizer;
import io.github.bert4j.tokenizer.pretokenizers.PreTokenizer;
import io.github.bert4j.tokenizer.processors.PostProcessor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes HuggingFace's {@code tokenizer.json} (format version 1.0): {@code version,
 * truncation, padding, added_tokens, normalizer, pre_tokenizer, post_processor, decoder, model}.
 * Every error names the file and the JSON path of the offending value.
 */
final class TokenizerJson {
    static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private TokenizerJson() {
    }

    static Tokenizer read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read tokenizer file " + file + ": " + e, e);
        }
        return parse(text, file.toString());
    }

    static Tokenizer parse(String json, String source) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new TokenizerFormatException(source + ": not valid JSON: " + e.getOriginalMessage()
                    + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")", e);
        }
        if (root == null || !root.isObject()) {
            throw new TokenizerFormatException(source + ": expected a JSON object at the top level");
        }
        Model model = stage(root, "model", Model.class, source, true);
        Normalizer normalizer = stage(root, "normalizer", Normalizer.class, source, false);
        PreTokenizer preTokenizer = stage(root, "pre_tokenizer", PreTokenizer.class, source, false);
        PostProcessor postProcessor = stage(root, "post_processor", PostProcessor.class, source, false);
        Decoder decoder = stage(root, "decoder", Decoder.class, source, false);
        List<AddedToken> added = new ArrayList<>();
        JsonNode addedNode = root.get("added_tokens");
        if (addedNode != null && !addedNode.isNull()) {
            if (!addedNode.isArray()) {
                throw new TokenizerFormatException(source + ": added_tokens: expected an array");
            }
            for (int i = 0; i < addedNode.size(); i++) {
                added.add(convert(addedNode.get(i), AddedToken.class, source, "added_tokens[" + i + "]"));
            }
        }
        Truncation truncation = truncation(root.get("truncation"), source);
        Padding padding = padding(root.get("padding"), source);
        try {
            return new Tokenizer(normalizer, preTokenizer, model, postProcessor, decoder, added, truncation, padding);
        } catch (IllegalArgumentException e) {
            throw new TokenizerFormatException(source + ": " + e.getMessage(), e);
        }
    }

    private static <T> T stage(JsonNode root, String field, Class<T> type, String source, boolean required) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                throw new TokenizerFormatException(source + ": missing '" + field + "'");
            }
            return null;
        }
        return convert(node, type, source, field);
    }

    private static <T> T convert(JsonNode node, Class<T> type, String source, String path) {
        try {
            return MAPPER.treeToValue(node, type);
        } catch (JsonMappingException e) {
            String inner = e.getPathReference() == null ? "" : pathOf(e);
            Throwable cause = e.getCause() instanceof IllegalArgumentException iae ? iae : null;
            String msg = cause != null ? cause.getMessage() : e.getOriginalMessage();
            throw new TokenizerFormatException(source + ": " + path + inner + ": " + msg, e);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new TokenizerFormatException(source + ": " + path + ": " + e.getMessage(), e);
        }
    }

    private static String pathOf(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                sb.append('.').append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static Truncation truncation(JsonNode n, String source) {
        if (n == null || n.isNull()) {
            return null;
        }
        try {
            String direction = n.path("direction").asText("Right");
            if (!direction.equals("Right")) {
                throw new IllegalArgumentException("direction '" + direction + "' is not supported (only Right)");
            }
            if (n.path("stride").asInt(0) != 0) {
                throw new IllegalArgumentException("stride must be 0");
            }
            if (!n.path("max_length").isInt()) {
                throw new IllegalArgumentException("max_length: expected an integer");
            }
            return new Truncation(n.get("max_length").asInt(),
                    TruncationStrategy.parse(n.path("strategy").asText("LongestFirst")));
        } catch (IllegalArgumentException e) {
            throw new TokenizerFormatException(source + ": truncation: " + e.getMessage(), e);
        }
    }

    private static Padding padding(JsonNode n, String source) {
        if (n == null || n.isNull()) {
            return null;
        }
        try {
            JsonNode strategy = n.path("strategy");
            int length;
            if (strategy.isTextual() && strategy.asText().equals("BatchLongest")) {
                length = -1;
            } else if (strategy.isObject() && strategy.path("Fixed").isInt()) {
                length = strategy.get("Fixed").asInt();
            } else {
                throw new IllegalArgumentException("strategy: expected \"BatchLongest\" or {\"Fixed\": n}, got " + strategy);
            }
            if (!n.path("direction").asText("Right").equals("Right")) {
                throw new IllegalArgumentException("direction: only Right is supported");
            }
            JsonNode multiple = n.get("pad_to_multiple_of");
            if (multiple != null && !multiple.isNull() && multiple.asInt() > 1) {
                throw new IllegalArgumentException("pad_to_multiple_of is not supported");
            }
            return new Padding(length, n.path("pad_id").asInt(0), n.path("pad_token").asText("[PAD]"),
                    n.path("pad_type_id").asInt(0));
        } catch (IllegalArgumentException e) {
            throw new TokenizerFormatException(source + ": padding: " + e.getMessage(), e);
        }
    }

    static String toJson(Tokenizer t) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        root.put("version", "1.0");
        if (t.truncation() == null) {
            root.putNull("truncation");
        } else {
            ObjectNode tr = root.putObject("truncation");
            tr.put("direction", "Right");
            tr.put("max_length", t.truncation().maxLength());
            tr.put("strategy", t.truncation().strategy().jsonName());
            tr.put("stride", 0);
        }
        if (t.padding() == null) {
            root.putNull("padding");
        } else {
            Padding p = t.padding();
            ObjectNode pn = root.putObject("padding");
            if (p.batchLongest()) {
                pn.put("strategy", "BatchLongest");
            } else {
                pn.putObject("strategy").put("Fixed", p.length());
            }
            pn.put("direction", "Right");
            pn.putNull("pad_to_multiple_of");
            pn.put("pad_id", p.padId());
            pn.put("pad_type_id", p.padTypeId());
            pn.put("pad_token", p.padToken());
        }
        ArrayNode added = root.putArray("added_tokens");
        for (AddedToken a : t.addedTokens()) {
            added.add(MAPPER.valueToTree(a));
        }
        root.set("normalizer", tree(t.normalizer(), Normalizer.class));
        root.set("pre_tokenizer", tree(t.preTokenizer(), PreTokenizer.class));
        root.set("post_processor", tree(t.postProcessor(), PostProcessor.class));
        root.set("decoder", tree(t.decoder(), Decoder.class));
        root.set("model", tree(t.model(), Model.class));
        try {
            return MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode tree(Object stage, Class<?> type) {
        if (stage == null) {
            return JsonNodeFactory.instance.nullNode();
        }
        return MAPPER.valueToTree(stage);
    }

    static void write(Tokenizer t, Path dir) {
        try {
            Files.createDirectories(dir);
            Path tmp = dir.resolve("tokenizer.json.tmp");
            Files.writeString(tmp, toJson(t), StandardCharsets.UTF_8);
            Files.move(tmp, dir.resolve("tokenizer.json"), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
            t.vocab().save(dir.resolve("vocab.txt"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write tokenizer to " + dir + ": " + e, e);
        }
    }
}
