package io.github.bert4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bert4j.bert.BertConfig;
import io.github.bert4j.bert.BertEncoder;
import io.github.bert4j.core.testing.TestData;
import io.github.bert4j.ner.BertCrfTagger;
import io.github.bert4j.ner.NerInputs;
import io.github.bert4j.ner.NerModel;
import io.github.bert4j.ner.data.KlueNerReader;
import io.github.bert4j.ner.data.NerSentence;
import io.github.bert4j.ner.data.TagSet;
import io.github.bert4j.tokenizer.Tokenizer;
import io.github.bert4j.tokenizer.training.MorphemeMode;
import io.github.bert4j.tokenizer.training.WordPieceTrainer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bert4j spark tag} and {@code bert4j spark pretrain} through the CLI on a local master. */
class SparkCommandsTest {

    @TempDir
    Path tmp;

    @Test
    void sparkTagWritesWhatTagWrites() throws Exception {
        List<String> texts = KlueNerReader.readAll(TestData.klueNerDev()).subList(0, 150).stream().map(NerSentence::text).toList();
        Tokenizer tok = WordPieceTrainer.builder().vocabSize(400).morphemes(MorphemeMode.NONE).threads(1).build().train(texts);
        TagSet tags = TagSet.klue();
        Path model = tmp.resolve("model");
        try (NerModel m = new NerModel(BertCrfTagger.create(BertEncoder.create(BertConfig.of(tok.vocab().size(), 16, 1, 2, 24, 64), 3),
                tags, true, 0.1, 4), new NerInputs(tok, tags, 48, 16))) {
            m.save(model);
        }
        Path input = tmp.resolve("in.txt");
        Files.write(input, texts, StandardCharsets.UTF_8);
        Path single = tmp.resolve("single.jsonl");
        assertThat(Bert4jCli.run("tag", "--model", model.toString(), "--input", input.toString(), "--output", single.toString()))
                .isZero();
        Path out = tmp.resolve("spark-out");
        assertThat(Bert4jCli.run("spark", "tag", "--master", "local[2]", "--partitions", "3", "--model", model.toString(),
                "--input", input.toString(), "--output", out.toString())).isZero();
        List<String> lines = new ArrayList<>();
        try (Stream<Path> parts = Files.list(out)) {
            for (Path p : (Iterable<Path>) parts.filter(f -> f.getFileName().toString().startsWith("part-")).sorted()::iterator) {
                lines.addAll(Files.readAllLines(p, StandardCharsets.UTF_8));
            }
        }
        assertThat(lines).isEqualTo(Files.readAllLines(single, StandardCharsets.UTF_8)).hasSize(texts.size());
    }

    @Test
    void sparkPretrainWritesTheModelDirectoryAndTracksTheRun() throws Exception {
        Path corpus = tmp.resolve("p.jsonl");
        Files.write(corpus, Files.readAllLines(TestData.firstPetitions(), StandardCharsets.UTF_8).subList(0, 60), StandardCharsets.UTF_8);
        Path config = tmp.resolve("pretrain.yaml");
        Files.writeString(config, """
                preset: tiny
                experiment: spark-test
                mlruns: %s
                data:
                  corpus: [%s]
                  format: jsonl:content
                  valid_fraction: 0.1
                  max_len: 32
                tokenizer:
                  vocab_size: 300
                  morphemes: none
                train:
                  max_steps: 2
                  batch_size: 4
                  grad_accumulation: 2
                  warmup_steps: 0
                  eval_every: 0
                  log_every: 1
                  seed: 3
                """.formatted(tmp.resolve("mlruns"), corpus));
        Path out = tmp.resolve("run");
        assertThat(Bert4jCli.run("spark", "pretrain", "--master", "local[2]", "--config", config.toString(), "--output",
                out.toString())).isZero();
        assertThat(out.resolve("model").resolve("model.safetensors")).exists();
        assertThat(out.resolve("last").resolve("training_state")).isDirectory();
        assertThat(out.resolve("shards").resolve("train").resolve("manifest.json")).exists();
        try (Stream<Path> s = Files.walk(tmp.resolve("mlruns"))) {
            assertThat(s.filter(p -> p.getFileName().toString().equals("train_loss")).count()).isEqualTo(1);
        }
    }
}
