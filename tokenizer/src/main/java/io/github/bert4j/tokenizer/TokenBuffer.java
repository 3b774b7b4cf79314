package io.github.bert4j.tokenizer;

import io.github.bert4j.tokenizer.models.TokenSink;
import java.util.Arrays;

/**
 * Collects the tokens of one sequence while the model runs: ids, ORIGINAL offsets (normalized
 * offsets are mapped through the current {@link NormalizedString} as they arrive) and word ids.
 */
final class TokenBuffer implements TokenSink {
    int[] ids = new int[64];
    int[] starts = new int[64];
    int[] ends = new int[64];
    int[] words = new int[64];
    int size;
    private NormalizedString current;
    private int word;

    /** Subsequent tokens come from {@code ns} and belong to word {@code word}. */
    void at(NormalizedString ns, int word) {
        this.current = ns;
        this.word = word;
    }

    private void ensure() {
        if (size == ids.length) {
            int cap = size * 2;
            ids = Arrays.copyOf(ids, cap);
            starts = Arrays.copyOf(starts, cap);
            ends = Arrays.copyOf(ends, cap);
            words = Arrays.copyOf(words, cap);
        }
    }

    @Override
    public void add(int id, int start, int end) {
        ensure();
        ids[size] = id;
        starts[size] = current.alignStart(start);
        ends[size] = current.alignEnd(end - 1);
        words[size] = word;
        size++;
    }

    /** Adds a token whose offsets are already original ones. */
    void addOriginal(int id, int start, int end, int wordId) {
        ensure();
        ids[size] = id;
        starts[size] = start;
        ends[size] = end;
        words[size] = wordId;
        size++;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public void truncate(int newSize) {
        size = newSize;
    }

    /** The tokens as an encoding with every type id {@code typeId}. */
    Encoding toEncoding(String[] vocab, int typeId) {
        int n = size;
        int[] outIds = Arrays.copyOf(ids, n);
        String[] tokens = new String[n];
        for (int i = 0; i < n; i++) {
            tokens[i] = vocab[outIds[i]];
        }
        int[] types = new int[n];
        if (typeId != 0) {
            Arrays.fill(types, typeId);
        }
        int[] attention = new int[n];
        Arrays.fill(attention, 1);
        return new Encoding(outIds, types, tokens, Arrays.copyOf(starts, n), Arrays.copyOf(ends, n),
                Arrays.copyOf(words, n), new int[n], attention);
    }
}
