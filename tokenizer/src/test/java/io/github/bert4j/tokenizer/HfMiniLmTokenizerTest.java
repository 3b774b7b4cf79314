package io.github.bert4j.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.github.bert4j.core.testing.MiniLm;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tokenizer.json written by HuggingFace tokenizers' own serializer (all-MiniLM-L6-v2's, from the
 * langchain4j jar; it sets truncation LongestFirst 128 and padding Fixed 128): bert4j applies the
 * file's truncation and padding as HuggingFace does, turns them off on request, and writes them back.
 */
class HfMiniLmTokenizerTest {
    @TempDir
    static Path dir;
    static Path file;
    static List<String> sentences;

    @BeforeAll
    static void setUp() {
        file = MiniLm.copy(MiniLm.TOKENIZER, dir);
        sentences = new java.util.ArrayList<>(MiniLm.sentences(110, 110));
        // longer than 128 tokens: truncation must cut them the same way
        sentences.add(String.join(" ", sentences.subList(0, 12)));
        sentences.add(String.join(" ", sentences.subList(110, 125)));
    }

    @Test
    void theFilesTruncationAndPaddingAreInForceOnLoad() throws Exception {
        Tokenizer t = Tokenizer.load(file);
        assertThat(t.truncation()).isEqualTo(new Truncation(128, TruncationStrategy.LONGEST_FIRST));
        assertThat(t.padding()).isEqualTo(new Padding(128, 0, "[PAD]", 0));
        try (HuggingFaceTokenizer hf = HuggingFaceTokenizer.builder().optTokenizerPath(file)
                .optTruncation(true).optMaxLength(128).optPadToMaxLength().build()) {
            int truncated = 0;
            for (String s : sentences) {
                Encoding ours = t.encode(s);
                assertThat(ours.length()).isEqualTo(128);
                HfParityTest.assertSame(ours, HfOracle.convert(hf.encode(s), s, null), s);
                Encoding pair = t.encodePair(s, "A second segment.");
                HfParityTest.assertSame(pair, HfOracle.convert(hf.encode(s, "A second segment."), s,
                        "A second segment."), "pair " + s);
                truncated += t.withoutTruncation().withoutPadding().encode(s).length() > 128 ? 1 : 0;
            }
            assertThat(truncated).as("sentences that really were truncated").isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void turnedOffTheyMatchHuggingFaceWithoutThem() throws Exception {
        Tokenizer t = Tokenizer.load(file).withoutTruncation().withoutPadding();
        try (HuggingFaceTokenizer hf = HuggingFaceTokenizer.builder().optTokenizerPath(file)
                .optTruncation(false).optPadding(false).build()) {
            for (String s : sentences) {
                HfParityTest.assertSame(t.encode(s), HfOracle.convert(hf.encode(s), s, null), s);
            }
        }
    }

    @Test
    void savingWritesThemBack(@TempDir Path out) throws Exception {
        Tokenizer.load(file).save(out);
        Tokenizer back = Tokenizer.load(out);
        assertThat(back.truncation()).isEqualTo(new Truncation(128, TruncationStrategy.LONGEST_FIRST));
        assertThat(back.padding()).isEqualTo(new Padding(128, 0, "[PAD]", 0));
        for (String s : sentences.subList(0, 20)) {
            assertThat(back.encode(s)).isEqualTo(Tokenizer.load(file).encode(s));
        }
    }
}
