package io.github.bert4j.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.bert4j.tokenizer.training.MorphemeMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The library entry points behind {@code train-tokenizer}, {@code tokenize} and {@code bench tokenizer}. */
class CliEntryPointsTest {
    @Test
    void trainTokenizeAndBench(@TempDir Path dir) throws Exception {
        Path tsv = dir.resolve("in.tsv");
        Files.writeString(tsv, "1\t대통령은 국민의 청원에 답합니다.\n2\t국민은 청원을 올립니다.\n\n3\t대통령은 답을 합니다!\n");
        TokenizerTraining.Options o = new TokenizerTraining.Options(200, 1, 0, MorphemeMode.NORI, false, false, 1,
                false, List.of("[USER]"));
        Tokenizer t = TokenizerTraining.run(List.of(tsv), "tsv:1", o, dir.resolve("tok"));
        assertThat(dir.resolve("tok/tokenizer.json")).exists();
        assertThat(dir.resolve("tok/vocab.txt")).exists();
        assertThat(t.vocab().token(6)).isEqualTo("[USER]");
        assertThat(t.vocab().tokens()).contains("##은", "대통령");

        Tokenizer loaded = Tokenizer.load(dir.resolve("tok/tokenizer.json"));
        String line = "대통령은 \"답\"\t국민은";
        Encoding e = EncodingJson.encodeLine(loaded, line);
        JsonNode n = new ObjectMapper().readTree(EncodingJson.write(e));
        assertThat(n.get("ids").size()).isEqualTo(e.length());
        assertThat(n.get("tokens").get(0).asText()).isEqualTo("[CLS]");
        assertThat(n.get("offsets").get(1).get(1).asInt()).isEqualTo(e.ends()[1]);
        assertThat(n.get("type_ids").get(e.length() - 1).asInt()).isEqualTo(1);

        List<TokenizerBenchmark.Result> r = TokenizerBenchmark.run(List.of(TokenizerBenchmark.of(loaded)),
                List.of("대통령은 국민의 청원에 답합니다.", "국민은 청원을 올립니다."), 2, 0.05);
        assertThat(r.get(0).singleCharsPerSecond()).isPositive();
        assertThat(r.get(0).batchCharsPerSecond()).isPositive();
    }
}
