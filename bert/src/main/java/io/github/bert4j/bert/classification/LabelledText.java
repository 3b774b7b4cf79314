package io.github.bert4j.bert.classification;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One labelled document of a text-classification data set.
 *
 * @param id stable identifier {@code <file name>:<line>} (1-based), the form core's corpus readers
 *     give the same document, so that a split by id agrees with pretraining's
 * @param index the document's 0-based position among all documents of the data set (file order
 *     over the sorted list of files), counting those skipped for an empty text: the split uses it,
 *     so that choosing other text fields never moves a document to another split
 * @param text the text (the configured fields joined by a newline)
 * @param label the class name as written in the data
 * @param file the file it was read from
 * @param line its 1-based line in {@code file}
 */
public record LabelledText(String id, int index, String text, String label, Path file, long line) {
    public LabelledText {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(label, "label");
        if (index < 0) {
            throw new IllegalArgumentException("index must be >= 0, got " + index);
        }
    }
}
