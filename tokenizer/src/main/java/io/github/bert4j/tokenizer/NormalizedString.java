package io.github.bert4j.tokenizer;

import java.util.Arrays;

/**
 * Text under normalization that remembers where every character came from, in the spirit of
 * HuggingFace's {@code NormalizedString} and Lucene's {@code correctOffset}.
 *
 * <p>Invariant: for every UTF-16 unit {@code i < length()} of the normalized text,
 * {@code [alignStart(i), alignEnd(i))} is the UTF-16 range of the ORIGINAL string that produced it
 * (the whole code point, even for one half of a surrogate pair). A character inserted or expanded
 * by a normalizer (CJK spacing, NFD, multi-char lowercase) takes the span of its source character.
 * A normalized range {@code [s, e)} maps back to {@code [alignStart(s), alignEnd(e - 1))}.
 *
 * <p>Mutable and single-threaded: a normalizer rewrites it in place through {@link Builder}.
 */
public final class NormalizedString {
    private final String original;
    private char[] chars;
    private int[] starts;
    private int[] ends;
    private int length;

    /** The range {@code [from, to)} of {@code original}, not normalized yet. */
    public NormalizedString(String original, int from, int to) {
        this.original = original;
        int n = to - from;
        this.chars = new char[n];
        original.getChars(from, to, chars, 0);
        this.starts = new int[n];
        this.ends = new int[n];
        for (int i = 0; i < n; i++) {
            char c = chars[i];
            int s = from + i;
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(chars[i + 1])) {
                starts[i] = s;
                ends[i] = s + 2;
                starts[i + 1] = s;
                ends[i + 1] = s + 2;
                i++;
            } else {
                starts[i] = s;
                ends[i] = s + 1;
            }
        }
        this.length = n;
    }

    /** The whole of {@code original}. */
    public NormalizedString(String original) {
        this(original, 0, original.length());
    }

    public String original() {
        return original;
    }

    /** Length of the normalized text in UTF-16 units. */
    public int length() {
        return length;
    }

    /** The normalized text buffer; only {@code [0, length())} is valid. Do not modify. */
    public char[] chars() {
        return chars;
    }

    public char charAt(int i) {
        return chars[i];
    }

    /** Original start of normalized unit {@code i}. */
    public int alignStart(int i) {
        return starts[i];
    }

    /** Original end (exclusive) of normalized unit {@code i}. */
    public int alignEnd(int i) {
        return ends[i];
    }

    /** The normalized text as a String. */
    public String normalized() {
        return new String(chars, 0, length);
    }

    /** The normalized range {@code [s, e)} as a String. */
    public String substring(int s, int e) {
        return new String(chars, s, e - s);
    }

    @Override
    public String toString() {
        return normalized();
    }

    /** A builder that writes a new normalized text; {@link #commit()} replaces this one's contents. */
    public Builder rewrite() {
        return new Builder(this);
    }

    /**
     * Appends characters with their original spans. Typical use: iterate the current code points,
     * append zero or more replacement units for each with the source span, then commit.
     */
    public static final class Builder {
        private final NormalizedString target;
        private char[] chars;
        private int[] starts;
        private int[] ends;
        private int length;

        private Builder(NormalizedString target) {
            this.target = target;
            int cap = Math.max(16, target.length + (target.length >> 3));
            this.chars = new char[cap];
            this.starts = new int[cap];
            this.ends = new int[cap];
        }

        private void ensure(int extra) {
            if (length + extra > chars.length) {
                int cap = Math.max(length + extra, chars.length * 2);
                chars = Arrays.copyOf(chars, cap);
                starts = Arrays.copyOf(starts, cap);
                ends = Arrays.copyOf(ends, cap);
            }
        }

        /** Appends one code point aligned to original {@code [start, end)}. */
        public Builder appendCodePoint(int cp, int start, int end) {
            ensure(2);
            if (cp < Character.MIN_SUPPLEMENTARY_CODE_POINT) {
                chars[length] = (char) cp;
                starts[length] = start;
                ends[length++] = end;
            } else {
                chars[length] = Character.highSurrogate(cp);
                starts[length] = start;
                ends[length++] = end;
                chars[length] = Character.lowSurrogate(cp);
                starts[length] = start;
                ends[length++] = end;
            }
            return this;
        }

        /** Appends the units of {@code s} all aligned to original {@code [start, end)}. */
        public Builder append(CharSequence s, int start, int end) {
            ensure(s.length());
            for (int i = 0; i < s.length(); i++) {
                chars[length] = s.charAt(i);
                starts[length] = start;
                ends[length++] = end;
            }
            return this;
        }

        /** Replaces the target's normalized text and alignment with what was appended. */
        public NormalizedString commit() {
            target.chars = chars;
            target.starts = starts;
            target.ends = ends;
            target.length = length;
            return target;
        }
    }
}
