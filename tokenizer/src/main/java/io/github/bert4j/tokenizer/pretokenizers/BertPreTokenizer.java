package io.github.bert4j.tokenizer.pretokenizers;

import com.fasterxml.jackson.annotation.JsonCreator;
import io.github.bert4j.tokenizer.PreTokenizedString;
import io.github.bert4j.tokenizer.normalizers.CharClasses;

/**
 * BERT's pre-tokenizer (HuggingFace {@code pre_tokenizers/bert.rs}): split on Unicode whitespace
 * (removed), then isolate every punctuation character ({@link CharClasses#isPunctuation}) as its own
 * word. A continuation flag carries over to the first piece only.
 */
public record BertPreTokenizer() implements PreTokenizer {
    private static final BertPreTokenizer INSTANCE = new BertPreTokenizer();

    @JsonCreator
    public static BertPreTokenizer create() {
        return INSTANCE;
    }

    @Override
    public void preTokenize(PreTokenizedString text) {
        text.refine(BertPreTokenizer::split);
    }

    /** Splits {@code [start, end)} of {@code text} into words. */
    public static void split(char[] text, int start, int end, boolean continuation, PreTokenizedString.Sink out) {
        int wordStart = -1;
        boolean cont = continuation;
        int i = start;
        while (i < end) {
            char c = text[i];
            int cp;
            int len;
            if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(text[i + 1])) {
                cp = Character.toCodePoint(c, text[i + 1]);
                len = 2;
            } else {
                cp = c;
                len = 1;
            }
            if (CharClasses.isWhitespace(cp)) {
                if (wordStart >= 0) {
                    out.emit(wordStart, i, cont);
                    cont = false;
                    wordStart = -1;
                }
            } else if (CharClasses.isPunctuation(cp)) {
                if (wordStart >= 0) {
                    out.emit(wordStart, i, cont);
                    cont = false;
                    wordStart = -1;
                }
                out.emit(i, i + len, cont);
                cont = false;
            } else if (wordStart < 0) {
                wordStart = i;
            }
            i += len;
        }
        if (wordStart >= 0) {
            out.emit(wordStart, end, cont);
        }
    }
}
