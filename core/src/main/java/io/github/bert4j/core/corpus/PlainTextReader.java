package io.github.bert4j.core.corpus;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Plain text: one sentence per line; a blank line or a line that is exactly {@code [EOD]} (after
 * trimming) ends a document; consecutive separators do not create empty documents. With a
 * splitter other than {@link SentenceSplitter#lines()}, each line is further split into sentences.
 * Document id: {@code <file name>:<line of its first sentence>}.
 */
final class PlainTextReader extends LineCorpusReader {

    static final String EOD = "[EOD]";

    private final SentenceSplitter splitter;

    PlainTextReader(Path file, SentenceSplitter splitter) {
        super(file);
        this.splitter = splitter;
    }

    @Override
    protected Document readDocument() {
        List<String> sentences = new ArrayList<>();
        long first = -1;
        String line;
        while ((line = readLine()) != null) {
            String t = line.strip();
            if (t.isEmpty() || t.equals(EOD)) {
                if (!sentences.isEmpty()) {
                    break;
                }
                continue;
            }
            if (first < 0) {
                first = lineNo;
            }
            if (splitter == null) {
                sentences.add(t);
            } else {
                sentences.addAll(splitter.split(t));
            }
        }
        return sentences.isEmpty() ? null : new Document(idAt(first), sentences);
    }
}
