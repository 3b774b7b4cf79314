package io.github.bert4j.tokenizer;

/**
 * A tokenizer file ({@code tokenizer.json}, {@code vocab.txt}) is malformed or unsupported. The
 * message names the file, the JSON path and what is wrong.
 */
public class TokenizerFormatException extends RuntimeException {
    public TokenizerFormatException(String message) {
        super(message);
    }

    public TokenizerFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
