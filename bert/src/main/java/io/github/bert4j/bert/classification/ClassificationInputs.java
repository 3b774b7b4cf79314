package io.github.bert4j.bert.classification;

import io.github.bert4j.bert.BertForSequenceClassification;
import io.github.bert4j.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Texts → model inputs: the tokenizer's encoding without special tokens, cut to its first {@code
 * maxLength - 2} tokens (head truncation: a petition's opening says what it asks for) and wrapped
 * as {@code [CLS] tokens [SEP]}; batches are padded to their longest sequence with {@code [PAD]}
 * (attention mask 0 there), segment ids all 0. Thread-safe.
 */
public final class ClassificationInputs {

    private final Tokenizer tokenizer;
    private final int maxLength;
    private final int cls;
    private final int sep;
    private final int pad;

    /** @param maxLength model input length including [CLS] and [SEP], >= 3 */
    public ClassificationInputs(Tokenizer tokenizer, int maxLength) {
        if (maxLength < 3) {
            throw new IllegalArgumentException("max_len must be >= 3, got " + maxLength);
        }
        this.tokenizer = tokenizer.withoutTruncation().withoutPadding();
        this.maxLength = maxLength;
        this.cls = tokenizer.vocab().clsId();
        this.sep = tokenizer.vocab().sepId();
        this.pad = Math.max(0, tokenizer.vocab().padId());
        if (cls < 0 || sep < 0) {
            throw new IllegalArgumentException("the tokenizer's vocabulary has no [CLS] or [SEP] token");
        }
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    public int maxLength() {
        return maxLength;
    }

    public int padId() {
        return pad;
    }

    /** {@code [CLS]} + the first {@code maxLength - 2} tokens of {@code text} + {@code [SEP]}. */
    public int[] ids(String text) {
        return wrap(tokenizer.encode(text, false).ids());
    }

    /** {@link #ids(String)} of each text (encoded in parallel), in order. */
    public List<int[]> ids(List<String> texts) {
        List<int[]> out = new ArrayList<>(texts.size());
        tokenizer.encodeBatch(texts, false).forEach(e -> out.add(wrap(e.ids())));
        return out;
    }

    private int[] wrap(int[] content) {
        int n = Math.min(content.length, maxLength - 2);
        int[] ids = new int[n + 2];
        ids[0] = cls;
        System.arraycopy(content, 0, ids, 1, n);
        ids[n + 1] = sep;
        return ids;
    }

    /**
     * One batch of {@code sequences} (each already wrapped, e.g. by {@link #ids}) padded to the
     * longest, with {@code labels} (null for prediction).
     */
    public BertForSequenceClassification.Batch batch(List<int[]> sequences, int[] labels) {
        return batch(sequences, labels, pad);
    }

    /** As {@link #batch(List, int[])} with the given {@code [PAD]} id. */
    public static BertForSequenceClassification.Batch batch(List<int[]> sequences, int[] labels, int padId) {
        if (sequences.isEmpty()) {
            throw new IllegalArgumentException("an empty batch");
        }
        int t = 0;
        for (int[] s : sequences) {
            t = Math.max(t, s.length);
        }
        int b = sequences.size();
        int[][] ids = new int[b][t];
        float[][] mask = new float[b][t];
        for (int i = 0; i < b; i++) {
            int[] s = sequences.get(i);
            Arrays.fill(ids[i], padId);
            System.arraycopy(s, 0, ids[i], 0, s.length);
            Arrays.fill(mask[i], 0, s.length, 1f);
        }
        return new BertForSequenceClassification.Batch(Nd4j.createFromArray(ids), null,
                Nd4j.createFromArray(mask).castTo(DataType.FLOAT), labels == null ? null : labels.clone());
    }
}
