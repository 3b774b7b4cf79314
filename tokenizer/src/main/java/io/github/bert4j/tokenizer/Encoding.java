package io.github.bert4j.tokenizer;

import java.util.Arrays;
import java.util.Objects;

/**
 * The result of encoding one text or one text pair: parallel arrays, one entry per token.
 *
 * <p>Invariants: every array has {@link #length()} entries. {@code starts[i]..ends[i]} is a
 * half-open range of UTF-16 indices into the ORIGINAL input string of the token's sequence
 * ({@code text.substring(starts[i], ends[i])}); for a pair, tokens with {@code typeIds[i] == 1}
 * (or, without special tokens, the second sequence) index into the second text. Special and
 * padding tokens have {@code start == end == 0} and {@code wordIds[i] == -1}. {@code wordIds} count
 * pre-tokens (words) from 0 within each sequence, as HuggingFace's {@code word_ids} do.
 * {@code specialTokensMask[i]} is 1 for special and padding tokens, {@code attentionMask[i]} is 0
 * only for padding.
 *
 * <p>Arrays are shared, not copied: treat them as read-only.
 */
public record Encoding(int[] ids, int[] typeIds, String[] tokens, int[] starts, int[] ends,
                       int[] wordIds, int[] specialTokensMask, int[] attentionMask) {

    public Encoding {
        Objects.requireNonNull(ids, "ids");
        int n = ids.length;
        if (typeIds.length != n || tokens.length != n || starts.length != n || ends.length != n
                || wordIds.length != n || specialTokensMask.length != n || attentionMask.length != n) {
            throw new IllegalArgumentException("Encoding arrays must all have length " + n);
        }
    }

    /** An encoding with no tokens. */
    public static Encoding empty() {
        return new Encoding(new int[0], new int[0], new String[0], new int[0], new int[0], new int[0],
                new int[0], new int[0]);
    }

    /** Number of tokens. */
    public int length() {
        return ids.length;
    }

    /** Tokens {@code [from, to)} as a new encoding (arrays copied). */
    public Encoding slice(int from, int to) {
        return new Encoding(Arrays.copyOfRange(ids, from, to), Arrays.copyOfRange(typeIds, from, to),
                Arrays.copyOfRange(tokens, from, to), Arrays.copyOfRange(starts, from, to),
                Arrays.copyOfRange(ends, from, to), Arrays.copyOfRange(wordIds, from, to),
                Arrays.copyOfRange(specialTokensMask, from, to), Arrays.copyOfRange(attentionMask, from, to));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Encoding e && Arrays.equals(ids, e.ids) && Arrays.equals(typeIds, e.typeIds)
                && Arrays.equals(tokens, e.tokens) && Arrays.equals(starts, e.starts)
                && Arrays.equals(ends, e.ends) && Arrays.equals(wordIds, e.wordIds)
                && Arrays.equals(specialTokensMask, e.specialTokensMask)
                && Arrays.equals(attentionMask, e.attentionMask);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(ids) + Arrays.hashCode(starts);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Encoding[");
        for (int i = 0; i < ids.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(tokens[i]).append('(').append(ids[i]).append(")@").append(starts[i]).append('-')
                    .append(ends[i]);
            if (typeIds[i] != 0) {
                sb.append(" t").append(typeIds[i]);
            }
        }
        return sb.append(']').toString();
    }
}
