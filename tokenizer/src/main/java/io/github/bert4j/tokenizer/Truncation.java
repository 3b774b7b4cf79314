package io.github.bert4j.tokenizer;

/**
 * Truncation parameters: the whole encoding (special tokens included) is at most {@code maxLength}
 * tokens.
 */
public record Truncation(int maxLength, TruncationStrategy strategy) {
    public Truncation {
        if (maxLength < 0) {
            throw new IllegalArgumentException("truncation max_length must be >= 0, got " + maxLength);
        }
        if (strategy == null) {
            throw new IllegalArgumentException("truncation strategy must not be null");
        }
    }
}
