package io.github.bert4j.tokenizer;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Broken files fail with a message naming the file, the JSON path and the problem. */
class MalformedFileTest {
    @TempDir
    Path dir;

    String base() throws Exception {
        return new String(getClass().getResourceAsStream("/hf/bert-uncased-mini.json").readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8);
    }

    void assertFails(String json, String... fragments) throws Exception {
        Path f = dir.resolve("tokenizer.json");
        Files.writeString(f, json);
        var a = assertThatThrownBy(() -> Tokenizer.load(f)).isInstanceOf(TokenizerFormatException.class)
                .hasMessageContaining(f.toString());
        for (String s : fragments) {
            a.hasMessageContaining(s);
        }
    }

    @Test
    void invalidJson() throws Exception {
        assertFails("{\"model\": ", "not valid JSON", "line 1");
    }

    @Test
    void missingModel() throws Exception {
        assertFails("{\"version\": \"1.0\"}", "missing 'model'");
    }

    @Test
    void unknownStageType() throws Exception {
        assertFails(base().replace("\"type\": \"BertNormalizer\"", "\"type\": \"NFKC\""), "normalizer", "NFKC");
    }

    @Test
    void unknownField() throws Exception {
        assertFails(base().replace("\"clean_text\": true", "\"clean_txt\": true"), "normalizer", "clean_txt");
    }

    @Test
    void unkTokenMissingFromVocab() throws Exception {
        assertFails(base().replace("\"unk_token\": \"[UNK]\"", "\"unk_token\": \"<unk>\""), "model", "<unk>");
    }

    @Test
    void duplicateVocabId() throws Exception {
        assertFails(base().replace("\"world\": 10", "\"world\": 9"), "model", "id 9");
    }

    @Test
    void wrongValueType() throws Exception {
        assertFails(base().replace("\"max_input_chars_per_word\": 100", "\"max_input_chars_per_word\": \"many\""),
                "model.max_input_chars_per_word");
    }

    @Test
    void badTruncation() throws Exception {
        assertFails(base().replace("\"truncation\": null",
                "\"truncation\": {\"direction\": \"Right\", \"max_length\": 8, \"strategy\": \"Widest\", \"stride\": 0}"),
                "truncation", "Widest");
    }

    @Test
    void addedTokenNotInVocab() throws Exception {
        assertFails(base().replace("\"content\": \"[MASK]\"", "\"content\": \"[MASKED]\""), "[MASKED]");
    }

    @Test
    void emptyVocabTxt() throws Exception {
        Path f = dir.resolve("vocab.txt");
        Files.writeString(f, "");
        assertThatThrownBy(() -> Tokenizer.fromVocab(f)).isInstanceOf(TokenizerFormatException.class)
                .hasMessageContaining("vocab.txt").hasMessageContaining("empty");
    }
}
