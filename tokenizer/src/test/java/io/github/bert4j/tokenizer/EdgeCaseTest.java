package io.github.bert4j.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Inputs that must not throw, with sensible results. */
class EdgeCaseTest {
    static Tokenizer tok;

    @BeforeAll
    static void load() throws Exception {
        tok = Tokenizer.load(Path.of(EdgeCaseTest.class.getResource("/parity/tokenizer.json").toURI()));
    }

    @Test
    void emptyAndWhitespaceGiveOnlySpecials() {
        for (String s : List.of("", " ", "\t\n\r\u3000\u00A0", "\u0000\u0001\u200B\uFFFD")) {
            Encoding e = tok.encode(s);
            assertThat(e.tokens()).as("'%s'", s).containsExactly("[CLS]", "[SEP]");
            assertThat(tok.encode(s, false).length()).isZero();
        }
        assertThat(tok.encodePair("", "").tokens()).containsExactly("[CLS]", "[SEP]", "[SEP]");
    }

    @Test
    void loneSurrogatesAreDroppedLikeOtherInvalidCharacters() {
        Encoding e = tok.encode("국민\uD800청원 \uDC00 끝\uD83D");
        assertThat(e.tokens()).doesNotContain("\uD800", "\uDC00");
        assertThat(e.tokens()[1]).isEqualTo("국민");
        OffsetFuzzTest.checkInvariants(tok, "국민\uD800청원 \uDC00 끝\uD83D", e);
    }

    @Test
    void emojiAndOtherScriptsAreUnknownOrSplit() {
        String s = "😀 العربية हिन्दी ไทย ⓐⓑⓒ";
        Encoding e = tok.encode(s);
        assertThat(e.length()).isGreaterThan(2);
        OffsetFuzzTest.checkInvariants(tok, s, e);
    }

    @Test
    void textOfUnknownWordsIsAllUnk() {
        Encoding e = tok.encode("ⓐⓑⓒ ⓓⓔ ⓕ", false);
        assertThat(e.tokens()).containsExactly("[UNK]", "[UNK]", "[UNK]");
        assertThat(e.starts()).containsExactly(0, 4, 7);
        assertThat(e.ends()).containsExactly(3, 6, 8);
    }

    @Test
    void oneMegabyteSingleLine() {
        StringBuilder sb = new StringBuilder();
        while (sb.length() < 1_000_000) {
            sb.append("국민청원 게시판에 글을 올립니다, 감사합니다! ");
        }
        sb.append("x".repeat(50_000));
        String s = sb.toString();
        long t0 = System.nanoTime();
        Encoding e = tok.encode(s);
        assertThat((System.nanoTime() - t0) / 1e9).isLessThan(10);
        assertThat(e.length()).isGreaterThan(100_000);
        assertThat(e.tokens()[e.length() - 2]).isEqualTo("[UNK]"); // a 50k-char word exceeds max_input_chars_per_word
        assertThat(e.ends()[e.length() - 2]).isEqualTo(s.length());
        assertThat(tok.withTruncation(512, TruncationStrategy.LONGEST_FIRST).encode(s).length()).isEqualTo(512);
    }
}
