package io.github.bert4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.bert4j.bert.BertBenchmark;
import io.github.bert4j.bert.BertConfig;
import io.github.bert4j.bert.pretraining.PretrainConfig;
import io.github.bert4j.core.testing.TestData;
import io.github.bert4j.examples.bench.BenchPretrainCommand;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pretrain (with --resume) and bench pretrain with tiny arguments. */
class PretrainCommandsTest {

    @TempDir
    Path tmp;

    @Test
    void pretrainWritesAModelDirectoryAndResumesWhereItStopped() throws IOException {
        TinyPretrain.writeCorpus(tmp);
        Path config = tmp.resolve("pretrain.yaml");
        String yaml = TinyPretrain.yaml("{epochs: 1, max_steps: %d, batch_size: 8, lr: 1.0e-3, warmup_steps: 0, log_every: 1}");
        Files.writeString(config, yaml.formatted(2), StandardCharsets.UTF_8);
        String out = Bert4jCliTest.capture(() -> assertThat(Bert4jCli.run("pretrain", "--config", config.toString())).isZero());
        Path model = tmp.resolve("out").resolve("model");
        for (String f : List.of("config.json", "model.safetensors", "tokenizer.json", "vocab.txt", "README.md")) {
            assertThat(model.resolve(f)).isRegularFile();
        }
        assertThat(BertConfig.load(model.resolve("config.json")).hiddenSize()).isEqualTo(32);
        assertThat(out).containsPattern("steps\\s+2\\b");

        // same run, two more steps: --resume continues from out/last instead of starting again
        Files.writeString(config, yaml.formatted(4), StandardCharsets.UTF_8);
        String resumed = Bert4jCliTest.capture(() ->
                assertThat(Bert4jCli.run("pretrain", "--config", config.toString(), "--resume")).isZero());
        assertThat(resumed).containsPattern("steps\\s+4\\b");
        assertThat(tmp.resolve("mlruns")).isDirectory();

        // without --resume an earlier run's checkpoints are refused, with --overwrite replaced
        Bert4jCliTest.capture(() -> assertThat(Bert4jCli.run("pretrain", "--config", config.toString())).isNotZero());
        assertThat(Files.exists(tmp.resolve("out/last"))).isTrue();
        Files.writeString(config, yaml.formatted(1), StandardCharsets.UTF_8);
        String overwritten = Bert4jCliTest.capture(() ->
                assertThat(Bert4jCli.run("pretrain", "--config", config.toString(), "--overwrite")).isZero());
        assertThat(overwritten).containsPattern("steps\\s+1\\b");
    }

    @Test
    void benchPretrainTinyPrintsTheRequiredKeys() throws IOException {
        BertBenchmark.Result r = BenchPretrainCommand.run(BenchPretrainCommand.preset("tiny"), 1, 2, 42);
        JsonNode j = new ObjectMapper().readTree(r.toJson());
        assertThat(j.get("train_tokens_per_s").asDouble()).isPositive();
        assertThat(j.get("infer_tokens_per_s").asDouble()).isPositive();
        assertThat(j.get("peak_rss_mb").asLong()).isPositive();
        assertThat(j.get("batch_size").asInt()).isEqualTo(16);
        assertThat(j.get("seq_length").asInt()).isEqualTo(64);
    }

    @Test
    void benchNerTinyPrintsOneJsonLineWithThroughput() throws IOException {
        String out = Bert4jCliTest.capture(() -> assertThat(Bert4jCli.run("bench", "ner", "--preset", "tiny",
                "--batch-size", "4", "--seq-length", "16", "--steps", "1", "--warmup", "1")).isZero());
        JsonNode j = new ObjectMapper().readTree(out.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElseThrow());
        assertThat(j.get("sentences_per_s").asDouble()).isPositive();
        assertThat(j.get("tokens_per_s").asDouble()).isGreaterThan(j.get("sentences_per_s").asDouble());
        assertThat(j.get("batch_size").asInt()).isEqualTo(4);
        assertThat(j.get("seq_length").asInt()).isEqualTo(16);
        assertThat(j.get("tags").asInt()).isEqualTo(13); // KLUE's 6 types in BIO + O
        assertThat(Bert4jCli.run("bench", "ner", "--preset", "tiny", "--seq-length", "4096")).isNotZero();
    }

    @Test
    void benchInferTinyPrintsOneJsonLineWithThroughput() throws IOException {
        String out = Bert4jCliTest.capture(() -> assertThat(Bert4jCli.run("bench", "infer", "--preset", "tiny",
                "--batch-size", "4", "--seq-length", "16", "--steps", "2", "--warmup", "1")).isZero());
        JsonNode j = new ObjectMapper().readTree(out.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElseThrow());
        assertThat(j.get("tokens_per_s").asDouble()).isPositive();
        assertThat(j.get("batch_s").asDouble()).isPositive();
        // tokens/s × s/batch = the batch's 4 × 16 tokens (batch_s has 6 decimals: well within 1% at > 0.1 ms)
        assertThat(j.get("tokens_per_s").asDouble() * j.get("batch_s").asDouble())
                .isCloseTo(64.0, org.assertj.core.api.Assertions.withinPercentage(1));
        assertThat(j.get("batch_size").asInt()).isEqualTo(4);
        assertThat(j.get("seq_length").asInt()).isEqualTo(16);
        assertThat(j.has("train_tokens_per_s")).isFalse();
        assertThat(Bert4jCli.run("bench", "infer", "--preset", "tiny", "--seq-length", "4096")).isNotZero();
    }

    /** Without a -Pbench build the PyTorch side is missing: a usage error that says how to build it. */
    @Test
    void comparePytorchWithoutTheBenchBuildSaysHowToGetIt() {
        java.io.PrintStream old = System.err;
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(buf, true, java.nio.charset.StandardCharsets.UTF_8));
        int code;
        try {
            code = Bert4jCli.run("bench", "ner", "--preset", "tiny", "--compare-pytorch");
        } finally {
            System.setErr(old);
        }
        assertThat(code).isEqualTo(1);
        assertThat(buf.toString(java.nio.charset.StandardCharsets.UTF_8)).contains("-Pbench").doesNotContain("internal error");
    }

    @Test
    void benchPretrainTakesTheShapeOfAPretrainingConfig() {
        BenchPretrainCommand.Setup s = BenchPretrainCommand.fromConfig(
                PretrainConfig.load(TestData.root().resolve("examples/configs/seed-pretrain.yaml")), "seed-pretrain");
        assertThat(s.batchSize()).isEqualTo(64); // the config's (micro-)batch
        assertThat(s.seqLength()).isEqualTo(128);
        assertThat(s.model().hiddenSize()).isEqualTo(256);
        assertThat(s.model().vocabSize()).isEqualTo(12000);
        assertThat(BenchPretrainCommand.preset("seed").batchSize()).isEqualTo(64);
        assertThat(BenchPretrainCommand.preset("base").model().numHiddenLayers()).isEqualTo(12);
    }
}
