package io.github.bert4j.tokenizer.models;

/** Receives the tokens of a word, in order. Offsets are normalized-text indices. */
public interface TokenSink {
    /** Appends token {@code id} covering normalized {@code [start, end)}. */
    void add(int id, int start, int end);

    /** Number of tokens appended so far (lets a model roll back a failed word). */
    int size();

    /** Drops tokens so that {@link #size()} becomes {@code size}. */
    void truncate(int size);
}
