package io.github.bert4j.spark;

import io.github.bert4j.core.corpus.Document;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * A corpus document as Spark ships it: its position in the corpus (0-based, over all files in
 * order, as the single-machine reader would produce it), its id and sentences.
 */
public record IndexedDocument(long index, String id, String[] sentences) implements Serializable {

    private static final long serialVersionUID = 1L;

    static IndexedDocument of(long index, Document d) {
        return new IndexedDocument(index, d.id(), d.sentences().toArray(String[]::new));
    }

    /** The same document with another index. */
    IndexedDocument at(long i) {
        return new IndexedDocument(i, id, sentences);
    }

    public Document toDocument() {
        return new Document(id, List.of(sentences));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IndexedDocument d && d.index == index && d.id.equals(id) && Arrays.equals(d.sentences, sentences);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(index) * 31 + id.hashCode();
    }

    @Override
    public String toString() {
        return "IndexedDocument[" + index + ", " + id + ", " + sentences.length + " sentences]";
    }
}
