package io.github.bert4j.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * bert4j against HuggingFace tokenizers (DJL) on the same tokenizer.json — a vocabulary bert4j
 * trained on two petitions files ({@link ParityTokenizerGenerator}) — over petitions documents the
 * vocabulary was not trained on, single texts and pairs, with and without truncation.
 */
class HfParityTest {
    static Path json;
    static Tokenizer tok;
    static HfOracle hf;
    static List<String> docs;

    /** Strings that exercise the normalizer and pre-tokenizer corners. */
    static final List<String> TRICKY = List.of(
            "", " ", "\t\n\r ", "a\u0000b\u0001c\u007Fd\u00ADe\u200Bf", "\uFFFD\uFFFD x",
            "이모지 😀👍🏽 가족👨‍👩‍👧 끝", "漢字韓國語 혼용 文章이다", "𠀀𠀁 확장한자 𪜀", "Ελληνικά ΣΊΣΥΦΟΣ ﬁ İstanbul",
            "café naïve Ångström", "ｆｕｌｌｗｉｄｔｈ！？　전각", "«quotes» “double” ‘single’ — dash – … ¿¡",
            "$100 + 20% = #hashtag @user ^_^ ~tilde~ `code` |pipe| \\back\\", "[CLS] 안녕 [SEP] [MASK]은 [UNK]",
            "x[SEP]y [PAD][PAD]", "\u00A0nbsp\u2003em\u3000ideographic\u2028line", "١٢٣ العربية עברית हिन्दी ไทย",
            "ㄱㄴㄷ ㅏㅑ 자모만", "ᄀᄁᄂ 옛한글 ᆞ", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA 긴단어",
            "가".repeat(100) + " " + "나".repeat(101) + " " + "😀".repeat(100) + " " + "😀".repeat(101),
            "\u0301\u0308 combining alone", "tab\there\u000Bvt\u000Cff\u001Cfs\u0085nel");

    @BeforeAll
    static void setUp() throws URISyntaxException {
        json = Path.of(HfParityTest.class.getResource("/parity/tokenizer.json").toURI());
        tok = Tokenizer.load(json);
        hf = HfOracle.load(json);
        List<Path> files = TestCorpus.petitionFiles();
        docs = TestCorpus.petitions(List.of(files.get(files.size() - 1))).subList(0, 320);
    }

    @AfterAll
    static void tearDown() {
        hf.close();
    }

    static void assertSame(Encoding bert4j, Encoding huggingFace, String what) {
        if (!bert4j.equals(huggingFace)) {
            int n = Math.min(bert4j.length(), huggingFace.length());
            int i = 0;
            while (i < n && bert4j.ids()[i] == huggingFace.ids()[i] && bert4j.starts()[i] == huggingFace.starts()[i]
                    && bert4j.ends()[i] == huggingFace.ends()[i] && bert4j.wordIds()[i] == huggingFace.wordIds()[i]
                    && bert4j.typeIds()[i] == huggingFace.typeIds()[i]
                    && bert4j.specialTokensMask()[i] == huggingFace.specialTokensMask()[i]) {
                i++;
            }
            int from = Math.max(0, i - 2);
            throw new AssertionError(what + ": first difference at token " + i + " (lengths " + bert4j.length()
                    + " vs " + huggingFace.length() + ")\n bert4j: " + bert4j.slice(from, Math.min(bert4j.length(), i + 3))
                    + " words " + Arrays.toString(Arrays.copyOfRange(bert4j.wordIds(), from, Math.min(bert4j.length(), i + 3)))
                    + "\n hf:     " + huggingFace.slice(from, Math.min(huggingFace.length(), i + 3))
                    + " words " + Arrays.toString(Arrays.copyOfRange(huggingFace.wordIds(), from, Math.min(huggingFace.length(), i + 3))));
        }
    }

    @Test
    void singleDocumentsMatchHuggingFace() {
        long tokens = 0;
        for (int i = 0; i < docs.size(); i++) {
            Encoding e = tok.encode(docs.get(i));
            assertSame(e, hf.encode(docs.get(i)), "doc " + i);
            tokens += e.length();
        }
        assertThat(tokens).isGreaterThan(30_000);
    }

    @Test
    void trickyStringsMatchHuggingFace() {
        for (String s : TRICKY) {
            assertSame(tok.encode(s), hf.encode(s), "'" + s + "'");
        }
    }

    @Test
    void pairsMatchHuggingFace() {
        for (int i = 0; i + 1 < docs.size(); i += 2) {
            assertSame(tok.encodePair(docs.get(i), docs.get(i + 1)), hf.encodePair(docs.get(i), docs.get(i + 1)), "pair " + i);
        }
        for (int i = 0; i + 1 < TRICKY.size(); i++) {
            assertSame(tok.encodePair(TRICKY.get(i), TRICKY.get(i + 1)), hf.encodePair(TRICKY.get(i), TRICKY.get(i + 1)),
                    "tricky pair " + i);
        }
    }

    @Test
    void truncationMatchesHuggingFace() {
        for (TruncationStrategy strategy : TruncationStrategy.values()) {
            // not smaller: HF materializes every overflowing window pair (memory blows up for tiny max lengths)
            for (int max : new int[] {64, 200}) {
                Tokenizer t = tok.withTruncation(max, strategy);
                try (HfOracle h = HfOracle.load(json, max, strategy)) {
                    List<String> failures = new ArrayList<>();
                    for (int i = 0; i + 1 < 160; i += 2) {
                        String a = docs.get(i);
                        String b = i % 4 == 0 ? docs.get(i + 1) : docs.get(i + 1).substring(0, Math.min(40, docs.get(i + 1).length()));
                        if (strategy == TruncationStrategy.LONGEST_FIRST) {
                            assertSame(t.encode(a), h.encode(a), strategy + " " + max + " single " + i);
                        }
                        Encoding hfPair = null;
                        try {
                            hfPair = h.encodePair(a, b);
                        } catch (RuntimeException e) {
                            failures.add("hf " + i);
                        }
                        if (hfPair != null) {
                            assertSame(t.encodePair(a, b), hfPair, strategy + " " + max + " pair " + i);
                            assertThat(t.encodePair(a, b).length()).isLessThanOrEqualTo(max);
                        } else {
                            final String fa = a;
                            final String fb = b;
                            org.assertj.core.api.Assertions.assertThatThrownBy(() -> t.encodePair(fa, fb))
                                    .isInstanceOf(IllegalArgumentException.class);
                        }
                    }
                }
            }
        }
    }
}
