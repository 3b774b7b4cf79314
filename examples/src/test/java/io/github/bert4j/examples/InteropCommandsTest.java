package io.github.bert4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.bert4j.bert.embed.TextEmbedder;
import io.github.bert4j.core.testing.TestData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** export-onnx → import-onnx → encode from the command line, on the published seed encoder. */
class InteropCommandsTest {
    static final Path SEED = TestData.root().resolve("examples/models/seed-petitions");

    @Test
    void exportImportAndEncode(@TempDir Path dir) throws Exception {
        Path onnx = dir.resolve("seed.onnx");
        assertThat(Bert4jCli.run("export-onnx", "--model", SEED.toString(), "--output", onnx.toString())).isZero();
        assertThat(onnx).isRegularFile();
        Path imported = dir.resolve("imported");
        assertThat(Bert4jCli.run("import-onnx", "--onnx", onnx.toString(), "--tokenizer",
                SEED.resolve("tokenizer.json").toString(), "--output", imported.toString())).isZero();

        List<String> lines = List.of("대통령은 오늘 담화를 발표했다.", "청원 내용은 다음과 같습니다.", "");
        Path in = dir.resolve("in.txt");
        Files.write(in, lines, StandardCharsets.UTF_8);
        Path out = dir.resolve("out.jsonl");
        assertThat(Bert4jCli.run("encode", "--model", imported.toString(), "--pooling", "mean", "--normalize",
                "--batch-size", "2", "--input", in.toString(), "--output", out.toString())).isZero();
        List<String> json = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertThat(json).hasSize(3);
        try (TextEmbedder original = TextEmbedder.load(SEED, TextEmbedder.Pooling.MEAN, true)) {
            for (int i = 0; i < 3; i++) {
                JsonNode n = new ObjectMapper().readTree(json.get(i));
                assertThat(n.get("text").asText()).isEqualTo(lines.get(i));
                float[] expected = original.embed(lines.get(i));
                assertThat(n.get("embedding")).hasSize(256);
                for (int k = 0; k < expected.length; k++) {
                    // the command batches two texts (padding to the longer one), the reference one at a time
                    assertThat((float) n.get("embedding").get(k).asDouble())
                            .isCloseTo(expected[k], org.assertj.core.data.Offset.offset(1e-5f));
                }
            }
        }
    }

    @Test
    void badArgumentsFail(@TempDir Path dir) {
        assertThat(Bert4jCli.run("encode", "--model", SEED.toString(), "--pooling", "max")).isNotZero();
        assertThat(Bert4jCli.run("export-onnx", "--model", "/no/such/model", "--output", dir.resolve("x.onnx").toString()))
                .isNotZero();
        assertThat(Bert4jCli.run("import-onnx", "--onnx", "/no/such.onnx", "--output", dir.resolve("m").toString()))
                .isNotZero();
        assertThat(dir.resolve("m")).doesNotExist();
    }
}
