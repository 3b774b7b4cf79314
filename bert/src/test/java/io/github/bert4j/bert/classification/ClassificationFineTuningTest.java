package io.github.bert4j.bert.classification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.bert4j.bert.BertConfig;
import io.github.bert4j.bert.BertEncoder;
import io.github.bert4j.bert.BertForSequenceClassification;
import io.github.bert4j.core.config.ConfigException;
import io.github.bert4j.core.config.ConfigLoader;
import io.github.bert4j.core.testing.TestData;
import io.github.bert4j.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ClassificationFineTuning} end to end: 40 real petition titles, a tiny encoder, four steps. */
class ClassificationFineTuningTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /** The first 40 petitions of three categories, as {@code {"text": title, "label": category}}. */
    static Path data(Path dir) throws IOException {
        List<String> keep = List.of("육아/교육", "기타", "교통/건축/국토");
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(TestData.firstPetitions(), StandardCharsets.UTF_8)) {
            JsonNode n = JSON.readTree(line);
            if (keep.contains(n.get("category").asText()) && lines.size() < 40) {
                lines.add(JSON.createObjectNode().put("text", n.get("title").asText())
                        .put("label", n.get("category").asText()).toString());
            }
        }
        Path f = dir.resolve("titles.jsonl");
        Files.write(f, lines, StandardCharsets.UTF_8);
        return f;
    }

    /** A pretrained-looking directory: a tiny random encoder and the petitions tokenizer. */
    static Path encoder(Path dir) throws IOException {
        Tokenizer tok = Tokenizer.load(TestData.root().resolve("examples/models/petitions-klue-28ep/tokenizer.json"));
        Path enc = dir.resolve("encoder");
        try (BertEncoder e = BertEncoder.create(BertConfig.of(tok.vocab().size(), 32, 1, 2, 40, 64), 3)) {
            e.save(enc);
        }
        tok.save(enc);
        return enc;
    }

    @Test
    void trainsChoosesOnValidTestsOnceAndWritesAModelDirectoryThatClassifies() throws IOException {
        Path data = data(tmp);
        Path enc = encoder(tmp);
        String yaml = """
                data: {files: [%s], text_fields: [text], label_field: label}
                model: {pretrained: %s, max_len: 24, eval_batch_size: 7, head_lr_scale: 5}
                train: {epochs: 2, batch_size: 16, lr: 1.0e-3, warmup_steps: 1, log_every: 1}
                tracking: {mlruns: %s, experiment: cls-test, run_name: tiny}
                """.formatted(data, enc, tmp.resolve("mlruns"));
        ClassificationConfig cfg = ClassificationConfig.parse(yaml, ConfigLoader.Format.YAML, "cls.yaml");
        Path out = tmp.resolve("out");
        ClassificationFineTuning.Result r = ClassificationFineTuning.run(cfg, out, false, false);

        // 40 documents: i % 10 == 3 valid (4), == 7 test (4), 32 train -> 2 steps per epoch
        assertThat(r.split().train()).hasSize(32);
        assertThat(r.split().valid()).hasSize(4);
        assertThat(r.split().test()).hasSize(4);
        assertThat(r.split().labels()).containsExactly("교통/건축/국토", "기타", "육아/교육");
        assertThat(r.train().steps()).isEqualTo(4);
        for (String f : List.of("config.json", "model.safetensors", "tokenizer.json", "vocab.txt", "classification.json",
                "README.md", "report.json", "confusion-valid.png", "confusion-test.png", "class-distribution.png")) {
            assertThat(out.resolve(f)).as(f).isNotEmptyFile();
        }
        for (String png : List.of("confusion-valid.png", "confusion-test.png", "class-distribution.png")) {
            assertThat(Files.readAllBytes(out.resolve(png))).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        }
        assertThat(out.resolve("checkpoints/last/training_state")).isDirectory();
        assertThat(out.resolve("checkpoints/best/model.safetensors")).isRegularFile();
        assertThat(Files.readString(out.resolve("tokenizer.json"))).isEqualTo(Files.readString(enc.resolve("tokenizer.json")));

        JsonNode report = JSON.readTree(out.resolve("report.json").toFile());
        assertThat(report.get("labels")).hasSize(3);
        assertThat(report.at("/data/documents_per_split/train").asInt()).isEqualTo(32);
        assertThat(report.at("/data/distribution/test").size()).isEqualTo(3);
        assertThat(report.at("/selection/metric").asText()).isEqualTo("valid_macro_f1");
        assertThat(report.at("/selection/selected_step").asLong()).isEqualTo(r.selectedStep());
        // one validation per epoch end (steps 2 and 4); the chosen step has the best macro F1, the earlier on a tie
        JsonNode history = report.at("/selection/valid_history");
        assertThat(history).hasSize(2);
        assertThat(history.get(0).get("step").asLong()).isEqualTo(2);
        assertThat(history.get(1).get("step").asLong()).isEqualTo(4);
        double f2 = history.get(0).get("valid_macro_f1").asDouble();
        double f4 = history.get(1).get("valid_macro_f1").asDouble();
        assertThat(r.selectedStep()).isEqualTo(f4 > f2 ? 4L : 2L);
        assertThat(r.valid().macroF1()).isCloseTo(Math.max(f2, f4), within(1e-9));
        assertThat(report.at("/baseline/label").asText()).isEqualTo(r.majority());
        assertThat(report.at("/baseline/test/accuracy").asDouble()).isEqualTo(r.baselineTest().accuracy());
        assertThat(report.at("/valid/macro_f1").asDouble()).isEqualTo(r.valid().macroF1());
        assertThat(report.at("/test/selected/confusion").size()).isEqualTo(3);
        assertThat(report.at("/test/last/examples").asInt()).isEqualTo(4);
        // the majority class of train and its baseline, computed here from the split
        int[] trainY = r.split().ids(r.split().train());
        int[] counts = new int[3];
        for (int y : trainY) counts[y]++;
        int major = counts[0] >= counts[1] && counts[0] >= counts[2] ? 0 : counts[1] >= counts[2] ? 1 : 2;
        assertThat(r.majority()).isEqualTo(r.split().labels().get(major));
        long inTest = r.split().test().stream().filter(d -> d.label().equals(r.majority())).count();
        assertThat(r.baselineTest().accuracy()).isEqualTo(inTest / 4.0);

        // the validation metric of the chosen step is the one tracked, and test was tracked only at the end
        try (Stream<Path> files = Files.walk(tmp.resolve("mlruns"))) {
            assertThat(files.map(p -> p.getFileName().toString())).contains("meta.yaml", "valid_macro_f1",
                    "valid_accuracy", "valid_loss", "train_loss", "test_selected_macro_f1", "baseline_test_macro_f1",
                    "report.json", "confusion-test.png");
        }
        assertThat(r.train().bestValid().get("valid_macro_f1")).isCloseTo(r.valid().macroF1(), within(1e-12));

        // round trip: the model directory classifies the test texts as the report says
        try (TextClassifier c = TextClassifier.load(out)) {
            assertThat(c.settings().maxLen()).isEqualTo(24);
            assertThat(c.settings().textFields()).containsExactly("text");
            List<String> texts = r.split().test().stream().map(LabelledText::text).toList();
            List<BertForSequenceClassification.Prediction> p = c.classify(texts);
            int[] gold = r.split().ids(r.split().test());
            int[] pred = p.stream().mapToInt(BertForSequenceClassification.Prediction::label).toArray();
            ClassificationReport again = ClassificationReport.of(c.labels(), gold, pred, null);
            assertThat(again.accuracy()).isEqualTo(r.testSelected().accuracy());
            assertThat(again.confusion()).isDeepEqualTo(r.testSelected().confusion());
            assertThat(p.get(0).probability()).isBetween(1.0 / 3, 1.0);
            // alone (no padding) the same class, the probability up to float rounding
            BertForSequenceClassification.Prediction alone = c.classify(texts.get(0));
            assertThat(alone.label()).isEqualTo(p.get(0).label());
            assertThat(alone.probability()).isCloseTo(p.get(0).probability(), within(1e-5));
        }

        // a second run into the same output is refused unless told what to do
        assertThatThrownBy(() -> ClassificationFineTuning.run(cfg, out, false, false)).hasMessageContaining("--overwrite");
    }

    @Test
    void aMissingEncoderOrDataFileNamesItsKey() throws IOException {
        Path data = data(tmp);
        ClassificationConfig noEncoder = ClassificationConfig.parse("data: {files: [%s]}\nmodel: {pretrained: %s}\n"
                .formatted(data, tmp.resolve("nope")), ConfigLoader.Format.YAML, "cls.yaml");
        assertThatThrownBy(() -> ClassificationFineTuning.run(noEncoder, tmp.resolve("o1"), false, false))
                .isInstanceOf(ConfigException.class).hasMessageContaining("model.pretrained").hasMessageContaining("nope");
        Path enc = encoder(tmp);
        ClassificationConfig noData = ClassificationConfig.parse("data: {files: [%s]}\nmodel: {pretrained: %s}\n"
                .formatted(tmp.resolve("missing/*.jsonl"), enc), ConfigLoader.Format.YAML, "cls.yaml");
        assertThatThrownBy(() -> ClassificationFineTuning.run(noData, tmp.resolve("o2"), false, false))
                .isInstanceOf(ConfigException.class).hasMessageContaining("data.files[0]");
        ClassificationConfig tooLong = ClassificationConfig.parse(
                "data: {files: [%s], text_fields: [text], label_field: label}\nmodel: {pretrained: %s, max_len: 65}\n"
                .formatted(data, enc), ConfigLoader.Format.YAML, "cls.yaml");
        assertThatThrownBy(() -> ClassificationFineTuning.run(tooLong, tmp.resolve("o3"), false, false))
                .hasMessageContaining("model.max_len").hasMessageContaining("max_position_embeddings (64)");
    }
}
