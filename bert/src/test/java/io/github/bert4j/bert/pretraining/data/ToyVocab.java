package io.github.bert4j.bert.pretraining.data;


/** Vocabulary tables for tests without a tokenizer: ids 0-4 are [PAD] [UNK] [CLS] [SEP] [MASK]. */
public final class ToyVocab {
    public static final int PAD = 0, UNK = 1, CLS = 2, SEP = 3, MASK = 4, FIRST = 5;

    private ToyVocab() {
    }

    /** {@code size} ids; ids in {@code continuations} are {@code ##} pieces. */
    public static SpecialTokens of(int size, int... continuations) {
        boolean[] special = new boolean[size];
        boolean[] cont = new boolean[size];
        for (int i = 0; i < FIRST; i++) {
            special[i] = true;
        }
        for (int c : continuations) {
            cont[c] = true;
        }
        return new SpecialTokens(PAD, CLS, SEP, MASK, special, cont);
    }
}
