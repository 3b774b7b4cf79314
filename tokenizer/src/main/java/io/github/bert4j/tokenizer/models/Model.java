package io.github.bert4j.tokenizer.models;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * Third pipeline stage: turns one word into tokens (HuggingFace {@code Model}). Saved under
 * {@code "model"}, tagged by {@code "type"}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({@JsonSubTypes.Type(value = WordPiece.class, name = "WordPiece")})
public sealed interface Model permits WordPiece {
    /**
     * Tokenizes the word {@code text[start, end)} into {@code out}.
     *
     * @param continuation the word continues the previous one (bert4j morpheme mode): its first piece
     *                     is looked up with the continuing-subword prefix
     */
    void tokenize(char[] text, int start, int end, boolean continuation, TokenSink out);

    /** Id to token string, {@code tokens()[id]}; shared, do not modify. */
    String[] tokens();
}
