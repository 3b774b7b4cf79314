package io.github.bert4j.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bert4j.tokenizer.normalizers.BertNormalizer;
import io.github.bert4j.tokenizer.pretokenizers.BertPreTokenizer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Golden cases in Lucene's style: input, tokens, start offsets, end offsets. */
class GoldenEncodingTest {
    static final Vocabulary VOCAB = Vocabulary.of(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]",
            "대통령", "##은", "##을", "국민", "청원", "##합니다", "##니다", "합", "hello", "##s", "world", "!", ",", ".",
            "un", "##aff", "##able", "漢", "字", "😀", "##😀", "cafe", "café", "x"));
    static final Tokenizer CASED = Tokenizer.bert(VOCAB, BertNormalizer.korean(false), BertPreTokenizer.create());
    static final Tokenizer LOWER = Tokenizer.bert(VOCAB, BertNormalizer.korean(true), BertPreTokenizer.create());
    static final Tokenizer STRIP = Tokenizer.bert(VOCAB, BertNormalizer.huggingFaceDefault(), BertPreTokenizer.create());

    static void assertTokens(Tokenizer t, String input, String[] tokens, int[] starts, int[] ends) {
        Encoding e = t.encode(input, false);
        assertThat(e.tokens()).as("tokens of '%s'", input).containsExactly(tokens);
        assertThat(e.starts()).as("starts of '%s'", input).containsExactly(starts);
        assertThat(e.ends()).as("ends of '%s'", input).containsExactly(ends);
        for (int i = 0; i < e.length(); i++) {
            assertThat(e.ids()[i]).isEqualTo(VOCAB.id(tokens[i]));
        }
    }

    @Test
    void korean() {
        assertTokens(CASED, "대통령은 국민청원합니다.",
                new String[] {"대통령", "##은", "[UNK]", "."},
                new int[] {0, 3, 5, 12}, new int[] {3, 4, 12, 13});
        assertTokens(CASED, "  대통령을\t청원합니다 ",
                new String[] {"대통령", "##을", "청원", "##합니다"},
                new int[] {2, 5, 7, 9}, new int[] {5, 6, 9, 12});
    }

    @Test
    void english() {
        assertTokens(CASED, "Hello, world!", new String[] {"[UNK]", ",", "world", "!"},
                new int[] {0, 5, 7, 12}, new int[] {5, 6, 12, 13});
        assertTokens(LOWER, "Hello, WORLDs unaffable!", new String[] {"hello", ",", "world", "##s", "un", "##aff", "##able", "!"},
                new int[] {0, 5, 7, 12, 14, 16, 19, 23}, new int[] {5, 6, 12, 13, 16, 19, 23, 24});
    }

    @Test
    void mixedScriptsAndSurrogates() {
        // CJK ideographs become single words; an emoji is one code point = two UTF-16 units
        assertTokens(CASED, "漢字대통령😀😀x", new String[] {"漢", "字", "[UNK]"},
                new int[] {0, 1, 2}, new int[] {1, 2, 10});
        assertTokens(CASED, "대통령 😀😀 x", new String[] {"대통령", "😀", "##😀", "x"},
                new int[] {0, 4, 6, 9}, new int[] {3, 6, 8, 10});
    }

    @Test
    void accentsAreKeptForKoreanAndStrippedByHuggingFaceDefault() {
        assertTokens(CASED, "café", new String[] {"café"}, new int[] {0}, new int[] {4});
        // decomposed input: 'e' + U+0301 -> "cafe" when stripping; the removed mark is outside the token (as in HF)
        assertTokens(STRIP, "CAFE\u0301", new String[] {"cafe"}, new int[] {0}, new int[] {4});
        assertTokens(STRIP, "Café", new String[] {"cafe"}, new int[] {0}, new int[] {4});
        // stripping would decompose Hangul into jamo: the Korean normalizer must not
        assertThat(CASED.encode("대통령", false).tokens()).containsExactly("대통령");
        assertThat(STRIP.encode("대통령", false).tokens()).containsExactly("[UNK]");
    }

    @Test
    void specialTokensInTextAndPairs() {
        Encoding e = CASED.encodePair("대통령 [MASK]", "국민은");
        assertThat(e.tokens()).containsExactly("[CLS]", "대통령", "[MASK]", "[SEP]", "국민", "##은", "[SEP]");
        assertThat(e.typeIds()).containsExactly(0, 0, 0, 0, 1, 1, 1);
        assertThat(e.starts()).containsExactly(0, 0, 4, 0, 0, 2, 0);
        assertThat(e.ends()).containsExactly(0, 3, 10, 0, 2, 3, 0);
        assertThat(e.wordIds()).containsExactly(-1, 0, 1, -1, 0, 0, -1);
        assertThat(e.specialTokensMask()).containsExactly(1, 0, 0, 1, 0, 0, 1);
        assertThat(e.attentionMask()).containsOnly(1);
    }

    @Test
    void decodeJoinsContinuationPieces() {
        Encoding e = LOWER.encode("Hello, worlds! 대통령은");
        assertThat(LOWER.decode(e.ids())).isEqualTo("hello, worlds! 대통령은");
        assertThat(LOWER.decode(e.ids(), false)).isEqualTo("[CLS] hello, worlds! 대통령은 [SEP]");
    }

    @Test
    void truncationAndPadding() {
        Tokenizer t = CASED.withTruncation(5, TruncationStrategy.LONGEST_FIRST).withPadding(8);
        Encoding e = t.encodePair("대통령은 국민", "청원합니다");
        assertThat(e.tokens()).containsExactly("[CLS]", "대통령", "[SEP]", "청원", "[SEP]", "[PAD]", "[PAD]", "[PAD]");
        assertThat(e.attentionMask()).containsExactly(1, 1, 1, 1, 1, 0, 0, 0);
        assertThat(e.specialTokensMask()).containsExactly(1, 0, 1, 0, 1, 1, 1, 1);
        List<Encoding> batch = CASED.withPadding(-1).encodeBatch(List.of("대통령", "대통령은 국민 청원", "", "x", "x x"));
        assertThat(batch).allSatisfy(b -> assertThat(b.length()).isEqualTo(6));
        assertThat(batch.get(2).tokens()).containsExactly("[CLS]", "[SEP]", "[PAD]", "[PAD]", "[PAD]", "[PAD]");
    }
}
