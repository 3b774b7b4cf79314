package io.github.bert4j.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bert4j.tokenizer.normalizers.BertNormalizer;
import io.github.bert4j.tokenizer.processors.BertProcessing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tokenizer.json in HuggingFace's exact format for an uncased English BERT (strip_accents null =
 * lowercase, as bert-base-uncased) loads in bert4j and encodes like HuggingFace itself; also with the
 * older BertProcessing post-processor.
 */
class HfWrittenFileTest {
    static final List<String> TEXTS = List.of("Hello, World! Unaffable CAFÉ naïve",
            "Ångström's ΣΊΣΥΦΟΣ İstanbul ﬁne", "The quick brown fox can't jump... [MASK] it's [SEP] here",
            "漢字 mixed 대통령은 hello", "   ", "", "Don't do not we're they've", "e\u0301 \u0301 x\u0308y");

    @Test
    void templateProcessingFileMatchesHuggingFace(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tokenizer.json");
        Files.copy(getClass().getResourceAsStream("/hf/bert-uncased-mini.json"), file);
        Tokenizer t = Tokenizer.load(file);
        assertThat(t.normalizer()).isEqualTo(new BertNormalizer(true, true, null, true));
        try (HfOracle hf = HfOracle.load(file)) {
            for (String s : TEXTS) {
                HfParityTest.assertSame(t.encode(s), hf.encode(s), s);
                HfParityTest.assertSame(t.encodePair(s, "hello world"), hf.encodePair(s, "hello world"), s);
                assertThat(t.decode(t.encode(s).ids())).isEqualTo(hf.hf.decode(toLong(t.encode(s).ids()), true));
            }
        }
    }

    @Test
    void bertProcessingFileMatchesHuggingFace(@TempDir Path dir) throws Exception {
        String json = new String(getClass().getResourceAsStream("/hf/bert-uncased-mini.json").readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8);
        int start = json.indexOf("\"post_processor\"");
        int end = json.indexOf("\"decoder\"");
        json = json.substring(0, start)
                + "\"post_processor\": {\"type\": \"BertProcessing\", \"sep\": [\"[SEP]\", 3], \"cls\": [\"[CLS]\", 2]},\n  "
                + json.substring(end);
        Path file = dir.resolve("tokenizer.json");
        Files.writeString(file, json);
        Tokenizer t = Tokenizer.load(file);
        assertThat(t.postProcessor()).isInstanceOf(BertProcessing.class);
        try (HfOracle hf = HfOracle.load(file)) {
            for (String s : TEXTS) {
                HfParityTest.assertSame(t.encode(s), hf.encode(s), s);
                HfParityTest.assertSame(t.encodePair(s, "fox"), hf.encodePair(s, "fox"), s);
            }
        }
    }

    @Test
    void saveThenLoadRoundTrips(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("in.json");
        Files.copy(getClass().getResourceAsStream("/hf/bert-uncased-mini.json"), file);
        Tokenizer t = Tokenizer.load(file).withTruncation(12, TruncationStrategy.ONLY_FIRST).withPadding(16);
        t.save(dir.resolve("out"));
        Tokenizer back = Tokenizer.load(dir.resolve("out"));
        assertThat(back.truncation()).isEqualTo(t.truncation());
        assertThat(back.padding()).isEqualTo(t.padding());
        assertThat(back.vocab()).isEqualTo(t.vocab());
        assertThat(Tokenizer.fromVocab(dir.resolve("out/vocab.txt")).vocab()).isEqualTo(t.vocab());
        for (String s : TEXTS) {
            assertThat(back.encode(s)).isEqualTo(t.encode(s));
        }
        try (HfOracle hf = HfOracle.load(dir.resolve("out/tokenizer.json"))) {
            for (String s : TEXTS) {
                HfParityTest.assertSame(back.withoutTruncation().withoutPadding().encode(s), hf.encode(s), s);
            }
        }
    }

    static long[] toLong(int[] ids) {
        long[] out = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = ids[i];
        }
        return out;
    }
}
