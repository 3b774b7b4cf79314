package io.github.bert4j.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.bert4j.bert.BertConfig;
import io.github.bert4j.bert.BertEncoder;
import io.github.bert4j.bert.BertForSequenceClassification;
import io.github.bert4j.bert.classification.TextClassifier;
import io.github.bert4j.core.testing.TestData;
import io.github.bert4j.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * finetune-classifier → classify through the CLI, on the first 40 petitions (read unchanged, text =
 * title) with a tiny random encoder and three steps: the outputs are checked for consistency, not
 * quality.
 */
class ClassifierCommandsTest {

    @TempDir
    static Path tmp;
    static Path modelDir;
    static List<String> lines;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void fineTuneATinyClassifierThroughTheCli() throws IOException {
        lines = Files.readAllLines(TestData.firstPetitions(), StandardCharsets.UTF_8).subList(0, 40);
        Path data = tmp.resolve("petitions40.jsonl");
        Files.write(data, lines, StandardCharsets.UTF_8);
        Tokenizer tok = Tokenizer.load(TestData.root().resolve("examples/models/petitions-klue-28ep/tokenizer.json"));
        Path enc = tmp.resolve("encoder");
        try (BertEncoder e = BertEncoder.create(BertConfig.of(tok.vocab().size(), 32, 1, 2, 40, 64), 5)) {
            e.save(enc);
        }
        tok.save(enc);
        Path config = tmp.resolve("cls.yaml");
        Files.writeString(config, """
                data:
                  files: [%s]
                  text_fields: [title]
                model:
                  pretrained: %s
                  max_len: 32
                train:
                  epochs: 1
                  max_steps: 3
                  batch_size: 8
                  lr: 1.0e-3
                  log_every: 1
                tracking:
                  mlruns: %s
                  experiment: test
                output: %s
                """.formatted(data, enc, tmp.resolve("mlruns"), tmp.resolve("from-config")), StandardCharsets.UTF_8);
        modelDir = tmp.resolve("model");
        String out = Bert4jCliTest.capture(() -> assertThat(Bert4jCli.run("finetune-classifier", "--config",
                config.toString(), "--output", modelDir.toString())).isZero());
        assertThat(out).contains("Classifier fine-tuning finished", "valid_macro_f1", "test_macro_f1", "baseline_test_macro_f1");
    }

    @Test
    void finetuneWritesACompleteModelDirectoryWhereTheCommandLineSaid() throws IOException {
        for (String f : List.of("config.json", "model.safetensors", "tokenizer.json", "classification.json", "report.json",
                "confusion-valid.png", "confusion-test.png", "class-distribution.png", "README.md")) {
            assertThat(modelDir.resolve(f)).as(f).isNotEmptyFile();
        }
        assertThat(tmp.resolve("from-config")).doesNotExist();
        JsonNode report = JSON.readTree(modelDir.resolve("report.json").toFile());
        // documents 3, 13, 23, 33 are valid and 7, 17, 27, 37 test, less those of a category train never shows
        for (String part : List.of("valid", "test")) {
            assertThat(report.at("/data/documents_per_split/" + part).asInt()
                    + report.at("/data/dropped_unknown_label/" + part).asInt()).as(part).isEqualTo(4);
        }
        assertThat(report.at("/data/documents_per_split/train").asInt()).isEqualTo(32);
        assertThat(report.at("/selection/last_step").asInt()).isEqualTo(3);
        assertThat(tmp.resolve("mlruns")).isDirectory();
    }

    @Test
    void classifyPrintsLabelAndProbabilityPerTextAsTheLibraryPredicts() throws IOException {
        List<String> titles = lines.stream().limit(5).map(l -> {
            try {
                return JSON.readTree(l).get("title").asText();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).toList();
        String out = Bert4jCliTest.capture(() -> assertThat(Bert4jCli.run("classify", "--model", modelDir.toString(),
                "--text", titles.get(0), "--text", titles.get(1))).isZero());
        String[] printed = out.strip().split("\n");
        assertThat(printed).hasSize(2);
        try (TextClassifier c = TextClassifier.load(modelDir)) {
            for (int i = 0; i < 2; i++) {
                BertForSequenceClassification.Prediction p = c.classify(titles.get(i));
                String[] cols = printed[i].split("\t");
                assertThat(cols[0]).isEqualTo(p.name());
                assertThat(Double.parseDouble(cols[1])).isCloseTo(p.probability(), within(1e-4));
                assertThat(c.labels()).contains(cols[0]);
            }
            // a text file, one text per line, as JSON lines
            Path txt = tmp.resolve("titles.txt");
            Files.write(txt, titles, StandardCharsets.UTF_8);
            Path jsonOut = tmp.resolve("out.jsonl");
            assertThat(Bert4jCli.run("classify", "--model", modelDir.toString(), "--input", txt.toString(), "--json",
                    "--output", jsonOut.toString())).isZero();
            List<String> rows = Files.readAllLines(jsonOut, StandardCharsets.UTF_8);
            assertThat(rows).hasSize(5);
            List<BertForSequenceClassification.Prediction> batch = c.classify(titles);
            for (int i = 0; i < 5; i++) {
                JsonNode j = JSON.readTree(rows.get(i));
                assertThat(j.get("text").asText()).isEqualTo(titles.get(i));
                assertThat(j.get("label").asText()).isEqualTo(batch.get(i).name());
                assertThat(j.get("probability").asDouble()).isCloseTo(batch.get(i).probability(), within(1e-4));
            }
            // the petitions' own JSON lines: the model reads the fields it was trained on (title)
            Path jsonl = tmp.resolve("five.jsonl");
            Files.write(jsonl, lines.subList(0, 5), StandardCharsets.UTF_8);
            String fromJsonl = Bert4jCliTest.capture(() -> assertThat(Bert4jCli.run("classify", "--model",
                    modelDir.toString(), "--input", jsonl.toString())).isZero());
            assertThat(fromJsonl.strip().split("\n")).hasSize(5)
                    .allSatisfy(l -> assertThat(c.labels()).contains(l.split("\t")[0]));
            assertThat(fromJsonl.strip().split("\n")[3].split("\t")[0]).isEqualTo(batch.get(3).name());
        }
    }

    @Test
    void badInputFailsNamingTheLineAndContradictoryOptionsAreRefused() throws IOException {
        Path bad = tmp.resolve("bad.jsonl");
        Files.write(bad, List.of(lines.get(0), "{\"content\": \"no title\"}"), StandardCharsets.UTF_8);
        String err = Bert4jCliTest.captureErr(() -> assertThat(Bert4jCli.run("classify", "--model", modelDir.toString(),
                "--input", bad.toString())).isNotZero());
        assertThat(err).contains("bad.jsonl, line 2").contains("missing text field \"title\"");
        assertThat(Bert4jCli.run("classify", "--model", modelDir.toString(), "--input", bad.toString(), "--text", "x"))
                .isNotZero();
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertThat(Bert4jCli.run("classify", "--model", empty.toString(), "--text", "x")).isNotZero();
    }
}
