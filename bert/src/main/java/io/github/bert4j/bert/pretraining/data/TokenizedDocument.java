package io.github.bert4j.bert.pretraining.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * A document as token ids: one {@code int[]} of WordPiece ids per sentence, without special
 * tokens. Sentence boundaries are kept because next-sentence prediction pairs are cut at them.
 *
 * @param id the document's id in its corpus (used for the train/valid split and in error messages)
 * @param sentences token ids per sentence; every sentence has at least one token
 */
public record TokenizedDocument(String id, int[][] sentences) {

    public TokenizedDocument {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(sentences, "sentences");
        for (int i = 0; i < sentences.length; i++) {
            if (sentences[i] == null || sentences[i].length == 0) {
                throw new IllegalArgumentException("document " + id + ": sentence " + i + " is empty");
            }
        }
    }

    /** Number of tokens over all sentences. */
    public long tokenCount() {
        long n = 0;
        for (int[] s : sentences) {
            n += s.length;
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TokenizedDocument d && id.equals(d.id) && Arrays.deepEquals(sentences, d.sentences);
    }

    @Override
    public int hashCode() {
        return 31 * id.hashCode() + Arrays.deepHashCode(sentences);
    }

    @Override
    public String toString() {
        return "TokenizedDocument[id=" + id + ", sentences=" + sentences.length + ", tokens=" + tokenCount() + "]";
    }
}
