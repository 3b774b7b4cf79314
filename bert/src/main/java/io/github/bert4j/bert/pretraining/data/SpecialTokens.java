package io.github.bert4j.bert.pretraining.data;

import io.github.bert4j.tokenizer.Vocabulary;
import java.util.Arrays;

/**
 * What the pretraining data needs to know about a vocabulary: the ids of {@code [PAD] [CLS] [SEP]
 * [MASK]} (looked up, never literals), which ids are special (never masked, never drawn as random
 * replacements) and which are WordPiece continuations ({@code ##...}, for whole-word masking).
 *
 * @param special {@code special[id]} is true for special tokens; length = vocabulary size
 * @param continuation {@code continuation[id]} is true for {@code ##} pieces; length = vocabulary size
 */
public record SpecialTokens(int pad, int cls, int sep, int mask, boolean[] special, boolean[] continuation) {

    public SpecialTokens {
        if (special.length != continuation.length) {
            throw new IllegalArgumentException("special and continuation tables differ in size: "
                    + special.length + " vs " + continuation.length);
        }
        for (int id : new int[] {pad, cls, sep, mask}) {
            if (id < 0 || id >= special.length || !special[id]) {
                throw new IllegalArgumentException("special token id " + id + " is not a special id of a vocabulary of "
                        + special.length);
            }
        }
        special = special.clone();
        continuation = continuation.clone();
    }

    /** Reads the ids and tables from {@code vocab}. */
    public static SpecialTokens of(Vocabulary vocab) {
        int n = vocab.size();
        boolean[] special = new boolean[n];
        boolean[] cont = new boolean[n];
        for (int id : vocab.specialIds()) {
            special[id] = true;
        }
        for (int id = 0; id < n; id++) {
            String t = vocab.token(id);
            cont[id] = !special[id] && t != null && t.startsWith("##") && t.length() > 2;
        }
        return new SpecialTokens(vocab.padId(), vocab.clsId(), vocab.sepId(), vocab.maskId(), special, cont);
    }

    public int vocabSize() {
        return special.length;
    }

    public boolean isSpecial(int id) {
        return special[id];
    }

    public boolean isContinuation(int id) {
        return continuation[id];
    }

    /** The ids that are not special, ascending (the pool for random replacement). */
    public int[] ordinaryIds() {
        int[] out = new int[special.length];
        int n = 0;
        for (int id = 0; id < special.length; id++) {
            if (!special[id]) {
                out[n++] = id;
            }
        }
        return Arrays.copyOf(out, n);
    }
}
