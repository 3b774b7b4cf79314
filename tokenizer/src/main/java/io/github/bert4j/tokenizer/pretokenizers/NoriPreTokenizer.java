package io.github.bert4j.tokenizer.pretokenizers;

import com.fasterxml.jackson.annotation.JsonCreator;
import io.github.bert4j.tokenizer.PreTokenizedString;
import java.io.CharArrayReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.lucene.analysis.ko.KoreanTokenizer;
import org.apache.lucene.analysis.ko.KoreanTokenizer.DecompoundMode;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.apache.lucene.util.AttributeFactory;

/**
 * Cuts every word at Korean morpheme boundaries found by Lucene Nori ({@link KoreanTokenizer},
 * mecab-ko-dic, {@link DecompoundMode#NONE}, no part-of-speech filter, no unknown-word unigrams).
 * Every morpheme is kept; the second and later morphemes of a word are flagged as continuations, so
 * WordPiece encodes {@code 대통령은} as {@code 대통령 ##은} and training counts {@code ##은}.
 *
 * <p>Only the morphemes' surface spans are used (decompounding is off, so a token is always a
 * substring of the text): offsets stay exact. Nori runs once over the whole normalized text; its
 * boundaries are intersected with the current splits.
 *
 * <p>bert4j-only: saved as {@code {"type": "NoriMorpheme"}}, which HuggingFace tokenizers cannot
 * load. Thread-safe (one Nori tokenizer per thread).
 */
public record NoriPreTokenizer() implements PreTokenizer {
    private static final NoriPreTokenizer INSTANCE = new NoriPreTokenizer();
    private static final ThreadLocal<Analyzer> ANALYZER = ThreadLocal.withInitial(Analyzer::new);

    @JsonCreator
    public static NoriPreTokenizer create() {
        return INSTANCE;
    }

    @Override
    public void preTokenize(PreTokenizedString text) {
        if (text.size() == 0) {
            return;
        }
        char[] chars = text.normalized().chars();
        int n = text.normalized().length();
        boolean[] boundary = ANALYZER.get().boundaries(chars, n);
        text.refine((buf, start, end, continuation, out) -> {
            int s = start;
            boolean cont = continuation;
            for (int i = start + 1; i < end; i++) {
                if (boundary[i]) {
                    out.emit(s, i, cont);
                    s = i;
                    cont = true;
                }
            }
            out.emit(s, end, cont);
        });
    }

    /** One reusable Nori tokenizer. */
    private static final class Analyzer {
        private final KoreanTokenizer tokenizer = new KoreanTokenizer(
                AttributeFactory.DEFAULT_ATTRIBUTE_FACTORY, null, DecompoundMode.NONE, false, true);
        private final OffsetAttribute offsets = tokenizer.addAttribute(OffsetAttribute.class);

        boolean[] boundaries(char[] chars, int n) {
            boolean[] b = new boolean[n + 1];
            try {
                tokenizer.setReader(new CharArrayReader(chars, 0, n));
                tokenizer.reset();
                while (tokenizer.incrementToken()) {
                    int s = offsets.startOffset();
                    int e = offsets.endOffset();
                    if (s >= 0 && s <= n) {
                        b[s] = true;
                    }
                    if (e >= 0 && e <= n) {
                        b[e] = true;
                    }
                }
                tokenizer.end();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                try {
                    tokenizer.close();
                } catch (IOException ignored) {
                    // closing a char-array reader cannot fail
                }
            }
            // never cut inside a surrogate pair
            for (int i = 1; i < n; i++) {
                if (b[i] && Character.isLowSurrogate(chars[i]) && Character.isHighSurrogate(chars[i - 1])) {
                    b[i] = false;
                }
            }
            return b;
        }
    }
}
