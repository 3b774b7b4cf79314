package io.github.bert4j.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * HuggingFace tokenizers through DJL, with results converted to bert4j's {@link Encoding}: HF
 * character offsets are Unicode code points, converted to UTF-16 indices here.
 */
final class HfOracle implements AutoCloseable {
    final HuggingFaceTokenizer hf;

    private HfOracle(HuggingFaceTokenizer hf) {
        this.hf = hf;
    }

    /** No truncation, no padding, special tokens added. */
    static HfOracle load(Path tokenizerJson) {
        return build(HuggingFaceTokenizer.builder().optTokenizerPath(tokenizerJson).optTruncation(false));
    }

    /** Truncation to {@code maxLength} with {@code strategy}. */
    static HfOracle load(Path tokenizerJson, int maxLength, TruncationStrategy strategy) {
        HuggingFaceTokenizer.Builder b = HuggingFaceTokenizer.builder().optTokenizerPath(tokenizerJson)
                .optTruncation(true).optMaxLength(maxLength);
        if (strategy == TruncationStrategy.ONLY_FIRST) {
            b.optTruncateFirstOnly();
        } else if (strategy == TruncationStrategy.ONLY_SECOND) {
            b.optTruncateSecondOnly();
        }
        return build(b);
    }

    private static HfOracle build(HuggingFaceTokenizer.Builder b) {
        try {
            return new HfOracle(b.optPadding(false).optAddSpecialTokens(true).build());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Encoding encode(String text) {
        return convert(hf.encode(text), text, null);
    }

    Encoding encodePair(String a, String b) {
        return convert(hf.encode(a, b), a, b);
    }

    static Encoding convert(ai.djl.huggingface.tokenizers.Encoding e, String a, String b) {
        int n = e.getIds().length;
        int[] ids = new int[n];
        int[] types = new int[n];
        int[] starts = new int[n];
        int[] ends = new int[n];
        int[] words = new int[n];
        int[] special = new int[n];
        int[] attention = new int[n];
        CharSpan[] spans = e.getCharTokenSpans();
        long[] seq = e.getSequenceIds();
        int[] cpA = codePointToUtf16(a);
        int[] cpB = b == null ? null : codePointToUtf16(b);
        for (int i = 0; i < n; i++) {
            ids[i] = (int) e.getIds()[i];
            types[i] = (int) e.getTypeIds()[i];
            words[i] = (int) e.getWordIds()[i];
            special[i] = (int) e.getSpecialTokenMask()[i];
            attention[i] = (int) e.getAttentionMask()[i];
            CharSpan s = spans[i];
            if (s != null && !(s.getStart() == 0 && s.getEnd() == 0)) {
                int[] map = seq != null && seq.length == n && seq[i] == 1 ? cpB : cpA;
                starts[i] = map[s.getStart()];
                ends[i] = map[s.getEnd()];
            }
        }
        return new Encoding(ids, types, e.getTokens(), starts, ends, words, special, attention);
    }

    /** {@code map[k]} = UTF-16 index of code point {@code k}; {@code map[count]} = length. */
    static int[] codePointToUtf16(String s) {
        int[] map = new int[s.codePointCount(0, s.length()) + 1];
        int k = 0;
        for (int i = 0; i < s.length(); ) {
            map[k++] = i;
            i += Character.charCount(s.codePointAt(i));
        }
        map[k] = s.length();
        return map;
    }

    @Override
    public void close() {
        hf.close();
    }
}
