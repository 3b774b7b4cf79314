package io.github.bert4j.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bert4j.tokenizer.normalizers.BertNormalizer;
import io.github.bert4j.tokenizer.pretokenizers.BertPreTokenizer;
import io.github.bert4j.tokenizer.pretokenizers.NoriPreTokenizer;
import io.github.bert4j.tokenizer.pretokenizers.SequencePreTokenizer;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Seeded random texts: offsets in bounds, ordered, on code-point boundaries, consistent with tokens. */
class OffsetFuzzTest {
    static final String[] PIECES = {"대통령", "은", "을", "국민", "청원", "합니다", "hello", "World", " ", "  ", "\t", "\n",
            ",", ".", "!", "#", "漢", "字", "😀", "👍🏽", "é", "e\u0301", "İ", "ß", "\u0000", "\u00AD", "\uFFFD", "\u200B",
            "\uD800", "\uDC00", "[CLS]", "[MASK]", "Σ", "ﬁ", "\u3000", "\u00A0", "١", "ㄱ", "ᄀ", "x", "##", "[", "]"};

    static String randomText(SplittableRandom r) {
        StringBuilder sb = new StringBuilder();
        int n = r.nextInt(0, 40);
        for (int i = 0; i < n; i++) {
            if (r.nextInt(10) == 0) {
                sb.append((char) r.nextInt(0, 0x10000));
            } else {
                sb.append(PIECES[r.nextInt(PIECES.length)]);
            }
        }
        return sb.toString();
    }

    static void checkInvariants(Tokenizer t, String text, Encoding e) {
        int lastStart = 0;
        for (int i = 0; i < e.length(); i++) {
            int s = e.starts()[i];
            int end = e.ends()[i];
            String tok = e.tokens()[i];
            assertThat(tok).isEqualTo(t.vocab().token(e.ids()[i]));
            if (e.specialTokensMask()[i] == 1 && e.wordIds()[i] == -1) {
                assertThat(s).isZero();
                assertThat(end).isZero();
                continue;
            }
            assertThat(s).as("start of %s in %s", tok, e).isBetween(0, text.length());
            assertThat(end).as("end of %s", tok).isBetween(s + 1, text.length());
            assertThat(s).as("monotonic starts in %s", e).isGreaterThanOrEqualTo(lastStart);
            lastStart = s;
            assertThat(Character.isLowSurrogate(text.charAt(s)) && s > 0 && Character.isHighSurrogate(text.charAt(s - 1)))
                    .as("start inside a surrogate pair").isFalse();
            assertThat(end < text.length() && Character.isLowSurrogate(text.charAt(end))
                    && Character.isHighSurrogate(text.charAt(end - 1))).as("end inside a surrogate pair").isFalse();
            String surface = text.substring(s, end);
            if (!tok.equals("[UNK]") && !tok.startsWith("[")) {
                String piece = tok.startsWith("##") ? tok.substring(2) : tok;
                // with case kept and no accent stripping, the token text is the surface minus removed chars
                assertThat(surface.replaceAll("[\\p{Cc}\\p{Cf}\\p{Cs}\\p{Cn}\\uFFFD]", "")).as("surface of %s", tok).contains(piece);
            }
        }
    }

    @Test
    void offsetsAreConsistentOnRandomText() {
        Vocabulary v = GoldenEncodingTest.VOCAB;
        Tokenizer plain = Tokenizer.bert(v, BertNormalizer.korean(false), BertPreTokenizer.create());
        Tokenizer nori = plain.withPreTokenizer(new SequencePreTokenizer(List.of(BertPreTokenizer.create(), NoriPreTokenizer.create())));
        Tokenizer lower = Tokenizer.bert(v, BertNormalizer.huggingFaceDefault(), BertPreTokenizer.create());
        SplittableRandom r = new SplittableRandom(20240611L);
        for (int k = 0; k < 3000; k++) {
            String text = randomText(r);
            checkInvariants(plain, text, plain.encode(text));
            checkInvariants(nori, text, nori.encode(text));
            Encoding e = lower.encode(text);
            for (int i = 0; i < e.length(); i++) {
                assertThat(e.ends()[i]).isBetween(e.starts()[i], text.length());
            }
            String b = randomText(r);
            Encoding p = plain.encodePair(text, b);
            assertThat(p.typeIds()[p.length() - 1]).isEqualTo(1);
        }
    }

    @Test
    void parityTokenizerOffsetsOnRandomText() throws Exception {
        Tokenizer t = Tokenizer.load(java.nio.file.Path.of(getClass().getResource("/parity/tokenizer.json").toURI()));
        SplittableRandom r = new SplittableRandom(7L);
        for (int k = 0; k < 2000; k++) {
            String text = randomText(r);
            checkInvariants(t, text, t.encode(text));
        }
    }
}
