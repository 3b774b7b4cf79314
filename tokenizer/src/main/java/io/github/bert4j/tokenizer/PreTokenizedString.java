package io.github.bert4j.tokenizer;

import java.util.Arrays;

/**
 * A normalized text cut into pre-tokens ("words"): half-open ranges of the normalized text, in
 * order, non-overlapping, never empty. A pre-token may be flagged as a <em>continuation</em> of the
 * previous word (bert4j's morpheme pre-tokenizer marks the second and later morphemes of a word so);
 * the model then encodes it as if it followed a {@code ##} boundary.
 *
 * <p>Pre-tokenizers refine the splits with {@link #refine}: each current split is replaced by the
 * pieces a {@link Splitter} emits for it.
 */
public final class PreTokenizedString {
    private final NormalizedString normalized;
    private int[] starts = new int[16];
    private int[] ends = new int[16];
    private boolean[] continuation = new boolean[16];
    private int size;

    /** One split covering the whole normalized text (none if it is empty). */
    public PreTokenizedString(NormalizedString normalized) {
        this.normalized = normalized;
        if (normalized.length() > 0) {
            add(0, normalized.length(), false);
        }
    }

    public NormalizedString normalized() {
        return normalized;
    }

    public int size() {
        return size;
    }

    public int start(int i) {
        return starts[i];
    }

    public int end(int i) {
        return ends[i];
    }

    public boolean isContinuation(int i) {
        return continuation[i];
    }

    /** The text of split {@code i}. */
    public String text(int i) {
        return normalized.substring(starts[i], ends[i]);
    }

    private void add(int s, int e, boolean cont) {
        if (size == starts.length) {
            int cap = size * 2;
            starts = Arrays.copyOf(starts, cap);
            ends = Arrays.copyOf(ends, cap);
            continuation = Arrays.copyOf(continuation, cap);
        }
        starts[size] = s;
        ends[size] = e;
        continuation[size++] = cont;
    }

    /** Receives the pieces of one split. */
    public interface Sink {
        /** Emits normalized range {@code [start, end)}; empty ranges are dropped. */
        void emit(int start, int end, boolean continuation);
    }

    /** Cuts one split into pieces. */
    @FunctionalInterface
    public interface Splitter {
        /**
         * @param text         the normalized buffer
         * @param start        split start (inclusive)
         * @param end          split end (exclusive)
         * @param continuation the split's own continuation flag
         */
        void split(char[] text, int start, int end, boolean continuation, Sink out);
    }

    /** Replaces every split by the pieces {@code splitter} emits for it. */
    public void refine(Splitter splitter) {
        int[] oldStarts = starts;
        int[] oldEnds = ends;
        boolean[] oldCont = continuation;
        int oldSize = size;
        starts = new int[Math.max(16, oldSize * 2)];
        ends = new int[starts.length];
        continuation = new boolean[starts.length];
        size = 0;
        Sink sink = (s, e, c) -> {
            if (e > s) {
                add(s, e, c);
            }
        };
        char[] text = normalized.chars();
        for (int i = 0; i < oldSize; i++) {
            splitter.split(text, oldStarts[i], oldEnds[i], oldCont[i], sink);
        }
    }
}
