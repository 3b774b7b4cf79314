package io.github.bert4j.bert.pretraining.data;

/**
 * One pretraining sequence before masking: {@code [CLS] A [SEP] B [SEP]} (or {@code [CLS] A [SEP]}
 * for MLM-only text), with token type 0 for {@code [CLS] A [SEP]} and 1 for {@code B [SEP]}.
 *
 * @param tokens token ids including the special tokens, length <= max_len
 * @param typeIds token type (segment) ids, same length
 * @param nspLabel {@link #IS_NEXT} (B follows A in the same document), {@link #NOT_NEXT} (B comes
 *     from another document) or {@link #NO_NSP} (single segment; no next-sentence target)
 * @param docA id of the document segment A comes from
 * @param docB id of the document segment B comes from ({@code null} without a segment B)
 */
public record PretrainingInstance(int[] tokens, int[] typeIds, int nspLabel, String docA, String docB) {

    /** The label of a true continuation, as in HuggingFace's {@code next_sentence_label}. */
    public static final int IS_NEXT = 0;
    /** The label of a segment B from a different document. */
    public static final int NOT_NEXT = 1;
    /** No next-sentence target (MLM-only text); the NSP loss ignores the example. */
    public static final int NO_NSP = -1;

    public PretrainingInstance {
        if (tokens.length != typeIds.length) {
            throw new IllegalArgumentException("tokens and typeIds differ in length: " + tokens.length + " vs " + typeIds.length);
        }
        if (nspLabel < NO_NSP || nspLabel > NOT_NEXT) {
            throw new IllegalArgumentException("nspLabel must be -1, 0 or 1, got " + nspLabel);
        }
    }

    public int length() {
        return tokens.length;
    }
}
