package io.github.bert4j.core.corpus;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Tab-separated values. Column {@code textColumn} (0-based) holds the text. By default every row
 * is one document of one sentence (the KLUE raw sentences, {@code <id>\t<sentence>}); with a
 * {@code groupColumn}, consecutive rows sharing that column's value form one document (id = that
 * value); with a splitter, each row's text is split into sentences. Document id otherwise: column
 * {@code idColumn} if ≥ 0, else {@code <file name>:<line>}. Blank lines are skipped; a row with too
 * few columns is a {@link CorpusException}. No quoting: tabs and newlines cannot occur inside a field.
 */
final class TsvReader extends LineCorpusReader {

    private final int textColumn;
    private final int idColumn;
    private final int groupColumn;
    private final boolean header;
    private final SentenceSplitter splitter;
    private final int needed;

    TsvReader(Path file, int textColumn, int idColumn, int groupColumn, boolean header, SentenceSplitter splitter) {
        super(file);
        this.textColumn = textColumn;
        this.idColumn = idColumn;
        this.groupColumn = groupColumn;
        this.header = header;
        this.splitter = splitter;
        this.needed = Math.max(textColumn, Math.max(idColumn, groupColumn)) + 1;
    }

    @Override
    protected Document readDocument() {
        if (header && lineNo == 0) {
            readLine();
        }
        while (true) {
            Document d = readGroup();
            if (d != null || endOfFile) {
                return d;
            }
        }
    }

    private boolean endOfFile;

    /** One document, or null if the rows read had no text (then {@link #endOfFile} says whether to go on). */
    private Document readGroup() {
        String group = null;
        String id = null;
        List<String> sentences = new ArrayList<>();
        String line;
        while ((line = readLine()) != null) {
            if (line.isBlank()) {
                continue;
            }
            String[] cols = line.split("\t", -1);
            if (cols.length < needed) {
                throw error("expected at least " + needed + " tab-separated columns, got " + cols.length);
            }
            if (groupColumn >= 0) {
                String g = cols[groupColumn];
                if (group != null && !g.equals(group)) {
                    pushBack(line);
                    break;
                }
                group = g;
                id = g;
            } else {
                id = idColumn >= 0 ? cols[idColumn] : idAt(lineNo);
            }
            String text = cols[textColumn].strip();
            if (splitter == null) {
                if (!text.isEmpty()) {
                    sentences.add(text);
                }
            } else {
                sentences.addAll(splitter.split(text));
            }
            if (groupColumn < 0 && !sentences.isEmpty()) {
                break;
            }
        }
        endOfFile = line == null;
        if (sentences.isEmpty()) {
            return null;
        }
        if (id == null || id.isBlank()) {
            id = idAt(lineNo);
        }
        return new Document(id, sentences);
    }
}
