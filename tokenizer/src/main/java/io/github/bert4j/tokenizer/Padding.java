package io.github.bert4j.tokenizer;

/**
 * Padding parameters. {@code length == -1} pads a batch to its longest encoding (a single encoding is
 * then left as is), otherwise every encoding is padded to at least {@code length}. Padding goes to
 * the right with {@code padId}/{@code padToken}, type id {@code padTypeId}, attention 0, special 1.
 */
public record Padding(int length, int padId, String padToken, int padTypeId) {
    public Padding {
        if (length < -1) {
            throw new IllegalArgumentException("padding length must be -1 (batch longest) or >= 0, got " + length);
        }
    }

    /** True when padding to the longest encoding of a batch. */
    public boolean batchLongest() {
        return length == -1;
    }
}
