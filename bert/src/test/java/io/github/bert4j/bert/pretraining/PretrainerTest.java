package io.github.bert4j.bert.pretraining;

import io.github.bert4j.bert.pretraining.data.PretrainingInstance;
import io.github.bert4j.bert.pretraining.data.SpecialTokens;
import io.github.bert4j.bert.pretraining.shards.ShardSet;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.bert4j.bert.BertConfig;
import io.github.bert4j.bert.BertPreTrainingModel;
import io.github.bert4j.bert.pretraining.data.PretrainingBatch;
import io.github.bert4j.core.config.ConfigLoader;
import io.github.bert4j.core.io.SafeTensors;
import io.github.bert4j.core.testing.TestData;
import io.github.bert4j.core.train.TrainResult;
import io.github.bert4j.tokenizer.Tokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** End to end: real petitions text → tokenizer → shards → tiny BERT trained a few dozen steps → model directory. */
class PretrainerTest {

    @TempDir
    Path dir;

    @Test
    void tinyPretrainingLowersTheLossAndLeavesALoadableModelDirectory() throws Exception {
        Path corpus = dir.resolve("petitions-60.jsonl");
        try (Stream<String> lines = Files.lines(TestData.firstPetitions())) {
            Files.write(corpus, lines.limit(60).toList());
        }
        Path config = dir.resolve("pretrain.yaml");
        Files.writeString(config, """
                preset: tiny
                experiment: test-pretrain
                output: out
                mlruns: mlruns
                data:
                  corpus: [petitions-60.jsonl]
                  format: jsonl:content
                  valid_fraction: 0.15
                  docs_per_shard: 16
                  max_len: 32
                tokenizer: {vocab_size: 1200, morphemes: none}
                model: {hid_dim: 32, n_layers: 1, n_heads: 4, pf_dim: 37, dropout: 0.0}
                train: {max_steps: 16, batch_size: 8, lr: 5.0e-3, warmup_steps: 2, eval_every: 8, log_every: 2}
                """);
        PretrainConfig cfg = PretrainConfig.load(config);
        long t0 = System.nanoTime();
        TrainResult result = Pretrainer.run(cfg, null, false);
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.getLogger(getClass().getName()).log(System.Logger.Level.INFO,
                "tiny pretraining: {0} steps in {1} s, last train {2}, best valid {3}", result.steps(), seconds,
                result.lastTrain(), result.bestValid());

        assertThat(result.steps()).isEqualTo(16);
        // training loss: first logged interval vs last
        Path runs = dir.resolve("mlruns");
        Path trainLoss;
        try (Stream<Path> s = Files.walk(runs)) {
            trainLoss = s.filter(p -> p.getFileName().toString().equals("train_mlm_loss")).findFirst().orElseThrow();
        }
        List<Double> losses = new ArrayList<>();
        for (String line : Files.readAllLines(trainLoss)) {
            losses.add(Double.parseDouble(line.split(" ")[1]));
        }
        assertThat(losses).hasSizeGreaterThanOrEqualTo(8);
        assertThat(losses.get(losses.size() - 1)).as("MLM loss %s", losses).isLessThan(losses.get(0) - 0.3);
        assertThat(result.bestValid()).containsKeys("valid_mlm_loss", "valid_mlm_acc", "valid_nsp_loss", "valid_nsp_acc");
        result.bestValid().values().forEach(v -> assertThat(v).isFinite());
        assertThat(result.bestValid().get("valid_mlm_loss")).isLessThan(Math.log(1200));

        Path model = dir.resolve("out").resolve(Pretrainer.MODEL_DIR);
        for (String f : List.of("config.json", "model.safetensors", "tokenizer.json", "vocab.txt", "README.md")) {
            assertThat(model.resolve(f)).as(f).isRegularFile();
        }
        assertThat(Files.readString(model.resolve("README.md"))).contains("hidden", "petitions-60.jsonl", "mlm_acc");
        Tokenizer tok = Tokenizer.load(model);
        BertConfig bc = BertConfig.load(model);
        assertThat(bc.vocabSize()).isEqualTo(tok.vocab().size());
        assertThat(bc.hiddenSize()).isEqualTo(32);
        assertThat(bc.numHiddenLayers()).isEqualTo(1);
        assertThat(dir.resolve("out/last/tokenizer.json")).isRegularFile();

        // the model directory reloads with the weights that were saved and runs
        Map<String, INDArray> saved = SafeTensors.read(model.resolve("model.safetensors"));
        try (BertPreTrainingModel loaded = BertPreTrainingModel.load(model)) {
            for (var e : loaded.parameters().entrySet()) {
                if (saved.containsKey(e.getKey())) {
                    assertThat(e.getValue().equalsWithEps(saved.get(e.getKey()), 0)).as(e.getKey()).isTrue();
                }
            }
            ShardSet valid = ShardSet.load(dir.resolve("out/shards/valid")).orElseThrow();
            PretrainingData data = new PretrainingData(valid, null, SpecialTokens.of(tok.vocab()),
                    cfg.data().options(8).fixed(), cfg.train().seed());
            PretrainingBatch batch = data.epoch(0, cfg.train().seed()).next();
            Map<String, Double> m = loaded.evaluate(List.of(batch));
            assertThat(m.get("mlm_loss")).isFinite().isLessThan(Math.log(1200));
        }

        // a second run reuses tokenizer and shards, and the config round-trips as YAML
        assertThat(PretrainConfig.parse(cfg.toYaml(), ConfigLoader.Format.YAML, "x.yaml")).isEqualTo(cfg);
        // no wall-time assertion: the time is dominated by the model's steps and by machine load
    }

    /**
     * Extra MLM-only text (the seed-pretrain-extra-mlm variant): batches mix NSP pairs with
     * single sequences labelled NO_NSP; training runs through them (the eager NSP head once
     * indexed label -1) and NSP metrics count the labelled sequences only.
     */
    @Test
    void extraMlmTextMixesIntoTraining() throws Exception {
        try (Stream<String> lines = Files.lines(TestData.firstPetitions())) {
            Files.write(dir.resolve("petitions-30.jsonl"), lines.limit(30).toList());
        }
        try (Stream<String> lines = Files.lines(TestData.klueRawSentences())) {
            Files.write(dir.resolve("raw-300.tsv"), lines.limit(300).toList());
        }
        Path config = dir.resolve("extra.yaml");
        Files.writeString(config, """
                preset: tiny
                experiment: test-extra-mlm
                output: out-extra
                mlruns: mlruns
                data:
                  corpus: [petitions-30.jsonl]
                  format: jsonl:content
                  extra_mlm: [raw-300.tsv]
                  extra_mlm_format: tsv:1
                  valid_fraction: 0.2
                  max_len: 32
                tokenizer: {vocab_size: 800, morphemes: none}
                model: {hid_dim: 32, n_layers: 1, n_heads: 4, pf_dim: 37, dropout: 0.1}
                train: {max_steps: 12, batch_size: 16, lr: 5.0e-3, warmup_steps: 2, eval_every: 12, log_every: 4}
                """);
        PretrainConfig cfg = PretrainConfig.load(config);
        TrainResult result = Pretrainer.run(cfg, null, false);
        assertThat(result.steps()).isEqualTo(12);
        assertThat(result.lastTrain()).containsKeys("train_mlm_acc", "train_nsp_acc");
        result.lastTrain().values().forEach(v -> assertThat(v).isFinite());

        // the training stream really mixes the two kinds of sequence
        Tokenizer tok = Tokenizer.load(dir.resolve("out-extra/tokenizer"));
        PretrainingData data = new PretrainingData(ShardSet.load(dir.resolve("out-extra/shards/train")).orElseThrow(),
                ShardSet.load(dir.resolve("out-extra/shards/extra")).orElseThrow(), SpecialTokens.of(tok.vocab()),
                cfg.data().options(16), cfg.train().seed());
        int mlmOnly = 0;
        int pairs = 0;
        for (var it = data.epoch(0, cfg.train().seed()); it.hasNext(); ) {
            for (int label : it.next().nspLabels().castTo(org.nd4j.linalg.api.buffer.DataType.INT).toIntVector()) {
                if (label == PretrainingInstance.NO_NSP) mlmOnly++; else pairs++;
            }
        }
        assertThat(mlmOnly).isPositive();
        assertThat(pairs).isPositive();
    }
}
