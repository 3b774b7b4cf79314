package io.github.bert4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bert4j.bert.BertConfig;
import io.github.bert4j.bert.BertEncoder;
import io.github.bert4j.core.testing.TestData;
import io.github.bert4j.ner.BertCrfTagger;
import io.github.bert4j.ner.NerInputs;
import io.github.bert4j.ner.NerModel;
import io.github.bert4j.core.io.SafeTensors;
import io.github.bert4j.ner.data.KlueNerReader;
import io.github.bert4j.ner.data.KlueNerWriter;
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
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code bert4j spark tag|encode|pretrain|finetune-ner} through the CLI on a local master, against
 * their single-machine commands.
 */
class SparkCommandsTest {

    @TempDir
    Path tmp;

    @Test
    // reads and writes through Hadoop 3.3's FileSystem, which cannot tell the user on Java 23+ (HadoopSupport)
    @EnabledForJreRange(max = JRE.JAVA_22)
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
        // a second run into the same output: refused without --overwrite, as bert4j pretrain
        assertThat(Bert4jCli.run("spark", "pretrain", "--master", "local[2]", "--config", config.toString(), "--output",
                out.toString())).isNotZero();
        assertThat(Bert4jCli.run("spark", "pretrain", "--master", "local[2]", "--config", config.toString(), "--output",
                out.toString(), "--overwrite")).isZero();
    }

    @Test
    @EnabledForJreRange(max = JRE.JAVA_22) // Hadoop files, as above
    void sparkEncodeWritesWhatEncodeWrites() throws Exception {
        Path model = encoder();
        Path input = tmp.resolve("in.txt");
        Files.write(input, texts(90), StandardCharsets.UTF_8);
        Path single = tmp.resolve("single.jsonl");
        assertThat(Bert4jCli.run("encode", "--model", model.toString(), "--pooling", "mean", "--normalize", "--batch-size", "16",
                "--input", input.toString(), "--output", single.toString())).isZero();
        Path out = tmp.resolve("spark-out");
        assertThat(Bert4jCli.run("spark", "encode", "--master", "local[2]", "--partitions", "3", "--model", model.toString(),
                "--pooling", "mean", "--normalize", "--batch-size", "16", "--input", input.toString(), "--output",
                out.toString())).isZero();
        assertThat(partLines(out)).isEqualTo(Files.readAllLines(single, StandardCharsets.UTF_8)).hasSize(90);
    }

    @Test
    @EnabledForJreRange(min = JRE.JAVA_24)
    void theFileJobsSayWhyTheyCannotRunOnJava24AndLater() throws Exception {
        Path model = encoder();
        Path input = tmp.resolve("in.txt");
        Files.write(input, texts(5), StandardCharsets.UTF_8);
        for (String job : List.of("tag", "encode")) {
            java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
            java.io.PrintStream old = System.err;
            System.setErr(new java.io.PrintStream(buf, true, StandardCharsets.UTF_8));
            int code;
            try {
                code = Bert4jCli.run("spark", job, "--master", "local[2]", "--model", model.toString(), "--input",
                        input.toString(), "--output", tmp.resolve("out-" + job).toString());
            } finally {
                System.setErr(old);
            }
            assertThat(code).isNotZero();
            assertThat(buf.toString(StandardCharsets.UTF_8)).as(job)
                    .contains("bert4j spark " + job + " reads and writes its files through Hadoop")
                    .contains("run it on Java 17 to 22").doesNotContain("internal error");
            assertThat(tmp.resolve("out-" + job)).doesNotExist();
        }
    }

    @Test
    void sparkFinetuneNerEqualsFinetuneNer() throws Exception {
        Path data = tmp.resolve("ner60.tsv");
        KlueNerWriter.write(data, List.of(), KlueNerReader.readAll(TestData.klueNerDev()).subList(0, 60));
        Tokenizer tok = WordPieceTrainer.builder().vocabSize(300).morphemes(MorphemeMode.NONE).threads(1).build().train(texts(60));
        Path tokenizer = tmp.resolve("tok");
        tok.save(tokenizer);
        Path config = tmp.resolve("ner.yaml");
        Files.writeString(config, """
                data:
                  train_file: %s
                model:
                  pretrained: null
                  tokenizer: %s
                  bert: {hidden_size: 16, num_hidden_layers: 1, num_attention_heads: 2, intermediate_size: 24,
                         max_position_embeddings: 32}
                  max_len: 32
                  stride: 16
                  bucket: 8
                train:
                  epochs: 1
                  max_steps: 3
                  batch_size: 4
                  grad_accumulation: 3
                  lr: 1.0e-2
                  warmup_steps: 0
                  log_every: 1
                tracking:
                  mlruns: %s
                  experiment: spark-ner
                """.formatted(data, tokenizer.resolve("tokenizer.json"), tmp.resolve("mlruns")), StandardCharsets.UTF_8);
        Path single = tmp.resolve("single");
        assertThat(Bert4jCli.run("finetune-ner", "--config", config.toString(), "--output", single.toString())).isZero();
        Path spark = tmp.resolve("spark");
        assertThat(Bert4jCli.run("spark", "finetune-ner", "--master", "local[2]", "--partitions", "3", "--config",
                config.toString(), "--output", spark.toString())).isZero();
        for (String f : List.of("config.json", "tokenizer.json", "labels.json", "eval.json")) {
            assertThat(spark.resolve(f)).as(f).isRegularFile();
        }
        assertThat(spark.resolve("checkpoints").resolve("last").resolve("training_state")).isDirectory();
        Map<String, INDArray> a = SafeTensors.read(spark.resolve("model.safetensors"));
        Map<String, INDArray> b = SafeTensors.read(single.resolve("model.safetensors"));
        assertThat(a.keySet()).isEqualTo(b.keySet()).contains("classifier.weight");
        for (String k : b.keySet()) {
            double scale = Math.max(1e-3, b.get(k).amaxNumber().doubleValue());
            double diff = a.get(k).sub(b.get(k)).amaxNumber().doubleValue();
            assertThat(diff / scale).as(k).isLessThan(1e-5);
        }
        try (Stream<Path> s = Files.walk(tmp.resolve("mlruns"))) {
            assertThat(s.filter(p -> p.getFileName().toString().equals("train_loss")).count()).as("two tracked runs").isEqualTo(2);
        }
    }

    /** The first {@code n} sentences of the bundled KLUE file. */
    static List<String> texts(int n) throws Exception {
        return KlueNerReader.readAll(TestData.klueNerDev()).subList(0, n).stream().map(NerSentence::text).toList();
    }

    /** A tiny random encoder directory with a tokenizer trained on 150 KLUE sentences. */
    Path encoder() throws Exception {
        Tokenizer tok = WordPieceTrainer.builder().vocabSize(400).morphemes(MorphemeMode.NONE).threads(1).build().train(texts(150));
        Path dir = tmp.resolve("encoder");
        try (BertEncoder e = BertEncoder.create(BertConfig.of(tok.vocab().size(), 16, 1, 2, 24, 48), 3)) {
            e.save(dir);
        }
        tok.save(dir);
        return dir;
    }

    /** The lines of a Spark output folder's part files, in name order. */
    static List<String> partLines(Path out) throws Exception {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> parts = Files.list(out)) {
            for (Path p : (Iterable<Path>) parts.filter(f -> f.getFileName().toString().startsWith("part-")).sorted()::iterator) {
                lines.addAll(Files.readAllLines(p, StandardCharsets.UTF_8));
            }
        }
        return lines;
    }
}
