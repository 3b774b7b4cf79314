package io.github.bert4j.bert.classification;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.github.bert4j.core.corpus.CorpusException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * Reads labelled texts, one document per non-blank line, in one of two formats:
 *
 * <ul>
 *   <li>{@link Format#JSONL}: one JSON object per line; the text is the string field {@code
 *       text_fields} (several are joined by a newline, e.g. {@code [title, content]}), the class the
 *       string field {@code label_field} ({@code content} and {@code category} by default: the
 *       petitions' own field names, read unchanged);</li>
 *   <li>{@link Format#TSV}: {@code text<TAB>label} (the last tab separates them, so a text may hold
 *       tabs).</li>
 * </ul>
 *
 * Every problem is a {@link CorpusException} naming file and line and what was expected: invalid
 * JSON, not an object, a missing field, a non-string field, a blank label, and (with {@link
 * EmptyText#ERROR}) an empty text. With {@link EmptyText#SKIP} (the default) a document whose text
 * is blank is left out and counted: the petitions hold 22 with an empty {@code content}.
 *
 * <p>Documents are numbered over all files in the order given ({@link LabelledText#index}), skipped
 * ones included; ids are {@code <file name>:<line>} as core's corpus readers give them.
 */
public final class LabelledTextReader {

    /** The two line formats. */
    public enum Format {
        JSONL, TSV;

        /** By extension: {@code .jsonl}/{@code .json} → JSONL, anything else ({@code .tsv}, {@code .txt}) → TSV. */
        public static Format of(Path file) {
            String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
            return name.endsWith(".jsonl") || name.endsWith(".json") ? JSONL : TSV;
        }
    }

    /** What to do with a document whose text is blank. */
    public enum EmptyText {
        /** Leave it out and count it ({@link Corpus#skippedEmpty}). */
        SKIP,
        /** Fail, naming file and line. */
        ERROR
    }

    /**
     * The documents read and the documents skipped.
     *
     * @param documents in file order
     * @param skippedEmpty the documents left out for a blank text
     * @param lines the documents seen (kept + skipped): the next {@link LabelledText#index}
     */
    public record Corpus(List<LabelledText> documents, List<String> skippedEmpty, int lines) {
        public Corpus {
            documents = List.copyOf(documents);
            skippedEmpty = List.copyOf(skippedEmpty);
        }
    }

    /** Strict: one value per line (nothing after it) and no key twice in an object, as core's JSON-lines reader. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final Format format;
    private final List<String> textFields;
    private final String labelField;
    private final EmptyText emptyText;

    /**
     * @param format null: by each file's extension ({@link Format#of})
     * @param textFields JSONL: the text fields, joined by a newline in this order (ignored for TSV)
     * @param labelField JSONL: the label field (ignored for TSV)
     */
    public LabelledTextReader(Format format, List<String> textFields, String labelField, EmptyText emptyText) {
        if (textFields == null || textFields.isEmpty() || textFields.stream().anyMatch(f -> f == null || f.isBlank())) {
            throw new IllegalArgumentException("text fields must be one or more non-blank names, got " + textFields);
        }
        if (labelField == null || labelField.isBlank()) {
            throw new IllegalArgumentException("the label field must be a non-blank name");
        }
        this.format = format;
        this.textFields = List.copyOf(textFields);
        this.labelField = labelField;
        this.emptyText = emptyText == null ? EmptyText.SKIP : emptyText;
    }

    /** JSONL by extension with {@code content} / {@code category}, empty texts skipped. */
    public static LabelledTextReader defaults() {
        return new LabelledTextReader(null, List.of("content"), "category", EmptyText.SKIP);
    }

    /** Reads {@code files} in the order given (sort them first for a stable numbering). */
    public Corpus read(List<Path> files) {
        List<LabelledText> docs = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        int index = 0;
        for (Path file : files) {
            Format f = format != null ? format : Format.of(file);
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                long lineNo = 0;
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lineNo++;
                    if (line.isBlank()) {
                        continue;
                    }
                    String[] textAndLabel = f == Format.JSONL ? jsonLine(file, lineNo, line) : tsvLine(file, lineNo, line);
                    String id = file.getFileName() + ":" + lineNo;
                    if (textAndLabel[0].isBlank()) {
                        if (emptyText == EmptyText.ERROR) {
                            throw new CorpusException(file, lineNo, "empty text"
                                    + (f == Format.JSONL ? " in field" + (textFields.size() > 1 ? "s " : " ")
                                    + String.join(", ", textFields) : "") + ", expected a non-blank text");
                        }
                        skipped.add(id);
                    } else {
                        docs.add(new LabelledText(id, index, textAndLabel[0], textAndLabel[1], file, lineNo));
                    }
                    index++;
                }
            } catch (CharacterCodingException e) {
                throw new CorpusException(file, 0, "not UTF-8 text (" + e + ")", e);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        return new Corpus(docs, skipped, index);
    }

    private String[] jsonLine(Path file, long lineNo, String line) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            String why = e.getOriginalMessage().lines().findFirst().orElse("");
            throw new CorpusException(file, lineNo, "invalid JSON, expected one object per line (" + why + ")", e);
        }
        if (node == null || !node.isObject()) {
            throw new CorpusException(file, lineNo, "expected a JSON object, got "
                    + (node == null ? "nothing" : node.getNodeType().toString().toLowerCase(Locale.ROOT)));
        }
        StringBuilder text = new StringBuilder();
        for (String field : textFields) {
            String part = string(file, lineNo, node, field, "text");
            if (!part.isBlank()) {
                text.append(text.length() == 0 ? "" : "\n").append(part.strip());
            }
        }
        String label = string(file, lineNo, node, labelField, "label");
        if (label.isBlank()) {
            throw new CorpusException(file, lineNo, "blank label in field \"" + labelField + "\", expected a class name");
        }
        return new String[] {text.toString(), label};
    }

    private static String string(Path file, long lineNo, JsonNode node, String field, String role) {
        JsonNode v = node.get(field);
        if (v == null) {
            throw new CorpusException(file, lineNo, "missing " + role + " field \"" + field + "\" (fields: "
                    + fieldNames(node) + ")");
        }
        if (!v.isTextual()) {
            throw new CorpusException(file, lineNo, role + " field \"" + field + "\" must be a string, got "
                    + v.getNodeType().toString().toLowerCase(Locale.ROOT));
        }
        return v.textValue();
    }

    private static String[] tsvLine(Path file, long lineNo, String line) {
        int tab = line.lastIndexOf('\t');
        if (tab < 0) {
            throw new CorpusException(file, lineNo, "expected `text<TAB>label`, found no tab");
        }
        String label = line.substring(tab + 1).strip();
        if (label.isEmpty()) {
            throw new CorpusException(file, lineNo, "expected `text<TAB>label`, the label after the last tab is blank");
        }
        return new String[] {line.substring(0, tab).strip(), label};
    }

    private static String fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names.isEmpty() ? "none" : String.join(", ", names);
    }
}
