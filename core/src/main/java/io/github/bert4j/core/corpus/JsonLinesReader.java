package io.github.bert4j.core.corpus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.nio.file.Path;
import java.util.List;

/**
 * JSON lines: each non-blank line is one JSON object and one document; the string field
 * {@code textField} holds its text, split into sentences by the splitter. Document id: the value of
 * {@code idField} if given (must be present), else {@code <file name>:<line>}. Lines whose text is
 * blank yield no document. A line that is not exactly one JSON object (two objects, or anything
 * after it), repeats a key, lacks the field or holds a non-string there is a {@link
 * CorpusException} naming file and line.
 */
final class JsonLinesReader extends LineCorpusReader {

    /** Strict: one value per line (nothing after it) and no key twice in an object. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final String textField;
    private final String idField;
    private final SentenceSplitter splitter;

    JsonLinesReader(Path file, String textField, String idField, SentenceSplitter splitter) {
        super(file);
        this.textField = textField;
        this.idField = idField;
        this.splitter = splitter;
    }

    @Override
    protected Document readDocument() {
        String line;
        while ((line = readLine()) != null) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = JSON.readTree(line);
            } catch (JsonProcessingException e) {
                String why = e.getOriginalMessage().lines().findFirst().orElse("");
                if (e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException && why.startsWith("Trailing token")) {
                    why = "more after the object" + (e.getLocation() != null ? " at column " + e.getLocation().getColumnNr() : "")
                            + ": " + why;
                }
                throw new CorpusException(file, lineNo, "invalid JSON, expected one object per line (" + why + ")", e);
            }
            if (node == null || !node.isObject()) {
                throw error("expected a JSON object, got " + (node == null ? "nothing" : node.getNodeType().toString().toLowerCase()));
            }
            JsonNode text = node.get(textField);
            if (text == null) {
                throw error("missing field \"" + textField + "\" (fields: " + fieldNames(node) + ")");
            }
            if (!text.isTextual()) {
                throw error("field \"" + textField + "\" must be a string, got " + text.getNodeType().toString().toLowerCase());
            }
            String id = idAt(lineNo);
            if (idField != null) {
                JsonNode idNode = node.get(idField);
                if (idNode == null || idNode.isNull() || idNode.isContainerNode() || idNode.asText().isBlank()) {
                    throw error("missing id field \"" + idField + "\"");
                }
                id = idNode.asText();
            }
            List<String> sentences = splitter == null ? SentenceSplitter.none().split(text.textValue())
                    : splitter.split(text.textValue());
            if (!sentences.isEmpty()) {
                return new Document(id, sentences);
            }
        }
        return null;
    }

    private static String fieldNames(JsonNode node) {
        StringBuilder sb = new StringBuilder();
        node.fieldNames().forEachRemaining(f -> sb.append(sb.length() == 0 ? "" : ", ").append(f));
        return sb.toString();
    }
}
