package io.github.bert4j.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Streams training texts from files, one text per line: {@code text} (the line), {@code jsonl:<field>}
 * (a string field of a JSON object per line) or {@code tsv:<column>} (0-based TAB-separated column).
 * Each {@link #iterator()} reopens the files, so the iterable can be read more than once; only one line
 * is in memory at a time. Blank lines and missing fields are skipped.
 */
public final class TextFiles implements Iterable<String> {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final List<Path> files;
    private final String kind;
    private final String field;
    private final int column;

    private TextFiles(List<Path> files, String format) {
        this.files = List.copyOf(files);
        int colon = format.indexOf(':');
        this.kind = colon < 0 ? format : format.substring(0, colon);
        String arg = colon < 0 ? null : format.substring(colon + 1);
        switch (kind) {
            case "text" -> {
                field = null;
                column = -1;
            }
            case "jsonl" -> {
                if (arg == null || arg.isEmpty()) {
                    throw new IllegalArgumentException("format jsonl needs a field: jsonl:<field>, got '" + format + "'");
                }
                field = arg;
                column = -1;
            }
            case "tsv" -> {
                try {
                    column = Integer.parseInt(arg);
                } catch (NumberFormatException | NullPointerException e) {
                    throw new IllegalArgumentException("format tsv needs a column number: tsv:<n>, got '" + format + "'");
                }
                field = null;
            }
            default -> throw new IllegalArgumentException("format must be text, jsonl:<field> or tsv:<column>, got '" + format + "'");
        }
    }

    /** @param format {@code text}, {@code jsonl:<field>} or {@code tsv:<column>} */
    public static TextFiles of(List<Path> files, String format) {
        return new TextFiles(files, format);
    }

    private String extract(String line, Path file, long lineNo) {
        switch (kind) {
            case "text":
                return line;
            case "tsv": {
                String[] cols = line.split("\t", -1);
                return column < cols.length ? cols[column] : null;
            }
            default:
                try {
                    JsonNode n = MAPPER.readTree(line).get(field);
                    return n == null || n.isNull() ? null : n.asText();
                } catch (IOException e) {
                    throw new IllegalArgumentException(file + ":" + lineNo + ": not a JSON object: " + e.getMessage(), e);
                }
        }
    }

    @Override
    public Iterator<String> iterator() {
        return new Iterator<>() {
            private int fileIndex = -1;
            private BufferedReader reader;
            private long lineNo;
            private String next;

            private void advance() {
                try {
                    while (true) {
                        if (reader == null) {
                            if (++fileIndex >= files.size()) {
                                next = null;
                                return;
                            }
                            reader = Files.newBufferedReader(files.get(fileIndex), StandardCharsets.UTF_8);
                            lineNo = 0;
                        }
                        String line = reader.readLine();
                        if (line == null) {
                            reader.close();
                            reader = null;
                            continue;
                        }
                        lineNo++;
                        if (line.isBlank()) {
                            continue;
                        }
                        String text = extract(line, files.get(fileIndex), lineNo);
                        if (text != null && !text.isBlank()) {
                            next = text;
                            return;
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + files.get(fileIndex), e);
                }
            }

            @Override
            public boolean hasNext() {
                if (next == null && fileIndex < files.size()) {
                    advance();
                }
                return next != null;
            }

            @Override
            public String next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                String s = next;
                next = null;
                return s;
            }
        };
    }
}
