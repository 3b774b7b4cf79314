package io.github.bert4j.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.bert4j.core.testing.TestData;
import io.github.bert4j.ner.NerPredictor;
import io.github.bert4j.ner.align.Entity;
import io.github.bert4j.ner.data.KlueNerReader;
import io.github.bert4j.ner.data.KlueNerWriter;
import io.github.bert4j.ner.data.NerSentence;
import io.github.bert4j.ner.data.NerSplits;
import io.github.bert4j.tokenizer.TokenizerTraining;
import io.github.bert4j.tokenizer.training.MorphemeMode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * finetune-ner → evaluate-ner → tag through the CLI, on 100 real KLUE sentences with a tiny,
 * randomly initialised encoder (a few steps: the metrics are checked for consistency, not quality).
 */
class NerCommandsTest {

    @TempDir
    static Path tmp;
    static Path modelDir;
    static List<NerSentence> test;
    static Path testFile;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void fineTuneATinyModelThroughTheCli() throws IOException {
        List<NerSentence> sentences = KlueNerReader.readAll(TestData.klueNerDev()).subList(0, 100);
        Path data = tmp.resolve("ner100.tsv");
        KlueNerWriter.write(data, List.of(), sentences);
        test = NerSplits.everyFifth(sentences).test();
        testFile = tmp.resolve("test.tsv");
        KlueNerWriter.write(testFile, List.of(), test);

        Path raw = tmp.resolve("raw.tsv");
        try (java.util.stream.Stream<String> lines = Files.lines(TestData.klueRawSentences(), StandardCharsets.UTF_8)) {
            Files.write(raw, lines.limit(1000).toList(), StandardCharsets.UTF_8);
        }
        TrainTokenizerCommand.run(List.of(raw), "tsv:1",
                new TokenizerTraining.Options(2500, 2, 0, MorphemeMode.NORI, false, false, 2, false, List.of()),
                tmp.resolve("tok"));
        Path config = tmp.resolve("ner.yaml");
        Files.writeString(config, """
                data:
                  train_file: %s
                model:
                  pretrained: null
                  tokenizer: %s
                  bert: {hidden_size: 32, num_hidden_layers: 2, num_attention_heads: 4, intermediate_size: 37,
                         max_position_embeddings: 64}
                  max_len: 64
                  bucket: 8
                train:
                  epochs: 1
                  max_steps: 4
                  batch_size: 16
                  grad_accumulation: 1
                  lr: 1.0e-3
                  warmup_steps: 0
                  log_every: 1
                tracking:
                  mlruns: %s
                  experiment: test
                """.formatted(data, tmp.resolve("tok").resolve("tokenizer.json"), tmp.resolve("mlruns")),
                StandardCharsets.UTF_8);
        modelDir = tmp.resolve("model");
        assertThat(Bert4jCli.run("finetune-ner", "--config", config.toString(), "--output", modelDir.toString())).isZero();
    }

    @Test
    void finetuneWritesACompleteModelDirectory() {
        assertThat(modelDir.resolve("config.json")).isRegularFile();
        assertThat(modelDir.resolve("model.safetensors")).isRegularFile();
        assertThat(modelDir.resolve("tokenizer.json")).isRegularFile();
        assertThat(modelDir.resolve("eval.json")).isRegularFile();
        assertThat(modelDir.resolve("reliability.png")).isRegularFile();
        assertThat(tmp.resolve("mlruns")).isDirectory();
    }

    @Test
    void evaluateNerPrintsOneJsonLineMatchingTheTrainingEvaluationOfTheSameSplit() throws IOException {
        Path plot = tmp.resolve("plots/reliability.png");
        String out = Bert4jCliTest.capture(() -> assertThat(Bert4jCli.run("evaluate-ner", "--model", modelDir.toString(),
                "--data", testFile.toString(), "--reliability-plot", plot.toString())).isZero());
        assertThat(Files.readAllBytes(plot)).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        String[] lines = out.strip().split("\n");
        assertThat(lines).hasSize(1);
        JsonNode report = JSON.readTree(lines[0]);
        assertThat(report.get("sentences").asInt()).isEqualTo(test.size());
        // finetune-ner evaluated the chosen model on the same 20 sentences (index % 5 == 4)
        JsonNode atTraining = JSON.readTree(Files.readString(modelDir.resolve("eval.json")));
        for (String key : List.of("entity_macro_f1", "entity_micro_f1", "char_macro_f1", "char_macro_f1_with_o",
                "token_micro_f1", "token_macro_f1")) {
            assertThat(report.get(key).asDouble()).as(key).isBetween(0.0, 1.0).isEqualTo(atTraining.get(key).asDouble());
        }
        assertThat(report.get("per_type").has("PS")).isTrue();
        assertThat(report.get("reliability")).isEqualTo(atTraining.get("reliability"));
        assertThat(report.get("reliability").get("bins").size()).isEqualTo(10);
    }

    @Test
    void tagWritesOneJsonLinePerSentenceWithEntitiesAsThePredictorFindsThem() throws IOException {
        List<String> texts = test.stream().map(NerSentence::text).toList();
        Path in = tmp.resolve("sentences.txt");
        Path out = tmp.resolve("tagged.jsonl");
        Files.write(in, texts, StandardCharsets.UTF_8);
        assertThat(Bert4jCli.run("tag", "--model", modelDir.toString(), "--input", in.toString(),
                "--output", out.toString())).isZero();
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(texts.size());
        try (NerPredictor predictor = NerPredictor.load(modelDir)) {
            for (int i = 0; i < texts.size(); i++) {
                JsonNode j = JSON.readTree(lines.get(i));
                assertThat(j.get("text").asText()).isEqualTo(texts.get(i));
                List<Entity> expected = predictor.predict(texts.get(i));
                JsonNode entities = j.get("entities");
                assertThat(entities.size()).isEqualTo(expected.size());
                for (int e = 0; e < expected.size(); e++) {
                    JsonNode ent = entities.get(e);
                    assertThat(ent.get("type").asText()).isEqualTo(expected.get(e).type());
                    int s = ent.get("start").asInt();
                    int end = ent.get("end").asInt();
                    assertThat(texts.get(i).substring(s, end)).isEqualTo(ent.get("text").asText());
                    assertThat(ent.get("score").asDouble()).isCloseTo(expected.get(e).score(), within(5e-5));
                }
            }
        }
    }

    @Test
    void pseudoLabelWritesTheConfidentTaggingsAsAKlueFileAndNamesABadLine() throws IOException {
        Path in = tmp.resolve("raw.tsv");
        List<String> lines = new java.util.ArrayList<>();
        for (int i = 0; i < test.size(); i++) lines.add("raw-" + i + "\t" + test.get(i).text());
        Files.write(in, lines, StandardCharsets.UTF_8);
        Path out = tmp.resolve("pseudo.tsv");
        assertThat(Bert4jCli.run("pseudo-label", "--model", modelDir.toString(), "--input", in.toString(), "--tsv",
                "--min-score", "0", "--output", out.toString())).isZero();
        // with --min-score 0 every sentence with a predicted entity is kept, with the predicted tags
        List<NerSentence> kept = io.github.bert4j.ner.data.KlueNerReader.readAll(out, io.github.bert4j.ner.data.TagSet.klue());
        try (NerPredictor predictor = NerPredictor.load(modelDir)) {
            List<io.github.bert4j.ner.TaggedSentence> tagged = predictor.tag(test.stream().map(NerSentence::text).toList());
            List<String> expected = new java.util.ArrayList<>();
            for (int i = 0; i < tagged.size(); i++) {
                if (!tagged.get(i).entities().isEmpty()) expected.add("raw-" + i);
            }
            assertThat(kept).extracting(NerSentence::id).isEqualTo(expected);
        }
        assertThat(Files.readString(out)).startsWith("## pseudo-labels: bert4j pseudo-label");

        Files.write(in, List.of("raw-0\tfine", "no tab here"), StandardCharsets.UTF_8);
        String err = Bert4jCliTest.captureErr(() -> assertThat(Bert4jCli.run("pseudo-label", "--model", modelDir.toString(),
                "--input", in.toString(), "--tsv", "--output", tmp.resolve("bad.tsv").toString())).isNotZero());
        assertThat(err).contains("raw.tsv:2: expected `id<TAB>sentence`");
        assertThat(tmp.resolve("bad.tsv")).doesNotExist();
    }

    @Test
    void evaluateNerFailsCleanlyOnAnEmptyModelDirectory() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertThat(Bert4jCli.run("evaluate-ner", "--model", empty.toString(), "--data", testFile.toString())).isNotZero();
    }
}
