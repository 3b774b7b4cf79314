package io.github.bert4j.core.corpus;

import java.util.List;
import java.util.Objects;

/**
 * A document: an id that is stable across runs (e.g. {@code petitions_2017-08.jsonl:12}, the file
 * name and the 1-based line it starts on, or an id taken from the data) and its sentences in order.
 * Sentence-pair tasks (NSP) never pair sentences of two different documents.
 *
 * @param id        stable identifier, never blank
 * @param sentences the sentences in reading order; immutable, may be empty
 */
public record Document(String id, List<String> sentences) {

    public Document {
        Objects.requireNonNull(id, "id");
        if (id.isBlank()) {
            throw new IllegalArgumentException("document id must not be blank");
        }
        sentences = List.copyOf(sentences);
    }

    /** Number of sentences. */
    public int size() {
        return sentences.size();
    }

    /** The sentences joined with single spaces. */
    public String text() {
        return String.join(" ", sentences);
    }
}
