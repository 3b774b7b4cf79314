package io.github.bert4j.tokenizer;

import java.util.Arrays;

/** Appends tokens and whole encodings into a new {@link Encoding}; used by post-processors. */
public final class EncodingBuilder {
    private int[] ids;
    private int[] typeIds;
    private String[] tokens;
    private int[] starts;
    private int[] ends;
    private int[] wordIds;
    private int[] special;
    private int[] attention;
    private int size;

    public EncodingBuilder(int capacity) {
        int cap = Math.max(4, capacity);
        ids = new int[cap];
        typeIds = new int[cap];
        tokens = new String[cap];
        starts = new int[cap];
        ends = new int[cap];
        wordIds = new int[cap];
        special = new int[cap];
        attention = new int[cap];
    }

    private void ensure(int extra) {
        if (size + extra > ids.length) {
            int cap = Math.max(size + extra, ids.length * 2);
            ids = Arrays.copyOf(ids, cap);
            typeIds = Arrays.copyOf(typeIds, cap);
            tokens = Arrays.copyOf(tokens, cap);
            starts = Arrays.copyOf(starts, cap);
            ends = Arrays.copyOf(ends, cap);
            wordIds = Arrays.copyOf(wordIds, cap);
            special = Arrays.copyOf(special, cap);
            attention = Arrays.copyOf(attention, cap);
        }
    }

    /** Appends a special token: offsets 0..0, word -1, special 1, attention 1. */
    public EncodingBuilder addSpecial(int id, String token, int typeId) {
        ensure(1);
        addOutsideText(id, token, typeId, 1);
        return this;
    }

    /** A token that covers no input text (special or padding): offsets 0..0, word -1, special 1. */
    private void addOutsideText(int id, String token, int typeId, int attend) {
        ids[size] = id;
        typeIds[size] = typeId;
        tokens[size] = token;
        starts[size] = 0;
        ends[size] = 0;
        wordIds[size] = -1;
        special[size] = 1;
        attention[size] = attend;
        size++;
    }

    /** Appends every token of {@code e} with type id {@code typeId} (or its own type ids if {@code typeId < 0}). */
    public EncodingBuilder addAll(Encoding e, int typeId) {
        int n = e.length();
        ensure(n);
        System.arraycopy(e.ids(), 0, ids, size, n);
        if (typeId < 0) {
            System.arraycopy(e.typeIds(), 0, typeIds, size, n);
        } else {
            Arrays.fill(typeIds, size, size + n, typeId);
        }
        System.arraycopy(e.tokens(), 0, tokens, size, n);
        System.arraycopy(e.starts(), 0, starts, size, n);
        System.arraycopy(e.ends(), 0, ends, size, n);
        System.arraycopy(e.wordIds(), 0, wordIds, size, n);
        System.arraycopy(e.specialTokensMask(), 0, special, size, n);
        System.arraycopy(e.attentionMask(), 0, attention, size, n);
        size += n;
        return this;
    }

    /** Appends {@code count} padding tokens. */
    public EncodingBuilder addPadding(int count, int padId, String padToken, int padTypeId) {
        ensure(count);
        for (int i = 0; i < count; i++) {
            addOutsideText(padId, padToken, padTypeId, 0);
        }
        return this;
    }

    public int size() {
        return size;
    }

    public Encoding build() {
        return new Encoding(Arrays.copyOf(ids, size), Arrays.copyOf(typeIds, size), Arrays.copyOf(tokens, size),
                Arrays.copyOf(starts, size), Arrays.copyOf(ends, size), Arrays.copyOf(wordIds, size),
                Arrays.copyOf(special, size), Arrays.copyOf(attention, size));
    }
}
