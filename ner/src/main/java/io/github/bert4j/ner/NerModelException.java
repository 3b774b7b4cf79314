package io.github.bert4j.ner;

/** A model directory that cannot be used: missing files, mismatched tokenizer and model, bad labels. */
public final class NerModelException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public NerModelException(String message) {
        super(message);
    }

    public NerModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
