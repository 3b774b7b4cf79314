package io.github.bert4j.examples.bench;

import io.github.bert4j.bert.BertBenchmark;
import io.github.bert4j.bert.BertConfig;
import io.github.bert4j.bert.pretraining.PretrainConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code bert4j bench pretrain --preset seed|base|tiny [--config FILE] [--steps N]}: throughput of
 * a pretraining step (forward + backward, dropout on, MLM on 15% of positions + NSP) and of the
 * encoder's inference pass on random full-length batches, medians after warm-up (the bert test
 * jar's {@link BertBenchmark}). Prints one JSON line with {@code train_tokens_per_s},
 * {@code infer_tokens_per_s} and {@code peak_rss_mb} among others.
 *
 * <p>Presets: {@code seed} (hidden 256, 2 layers, vocab 12000, batch 64 × 128), {@code base}
 * (BERT-base, vocab 32000, batch 8 × 128), {@code tiny} (hidden 32, vocab 2000, batch 16 × 64).
 * {@code --config} takes the model, vocabulary size, batch size and max length of a pretraining
 * config instead.
 */
@Command(name = "pretrain", mixinStandardHelpOptions = true,
        description = "Pretraining and inference throughput (tokens/s) of a BERT config on random batches.")
public final class BenchPretrainCommand implements Callable<Integer> {

    @Mixin
    BenchModelOptions options;

    @Mixin
    BenchShapeOptions shape;

    /** A benchmark setup: model, batch size, sequence length. */
    public record Setup(String name, BertConfig model, int batchSize, int seqLength) {
    }

    @Override
    public Integer call() {
        Setup s = options.setup(shape.batchSize, shape.seqLength);
        if (!options.comparePytorch) {
            System.out.println(run(s, options.warmup, options.steps, options.seed).toJson());
            return 0;
        }
        PyTorchComparison.Torch torch = PyTorchComparison.measure(s, options.steps); // first, while this JVM is idle
        BertBenchmark.Result ours = run(s, options.warmup, options.steps, options.seed);
        for (String line : PyTorchComparison.lines(s, ours, torch)) {
            System.out.println(line);
        }
        java.util.Map<String, Double> ratios = new java.util.LinkedHashMap<>();
        ratios.put("pretrain", ours.trainTokensPerSecond() / torch.trainTokensPerSecond());
        ratios.put("infer", ours.inferTokensPerSecond() / torch.inferTokensPerSecond());
        return options.verdict(ratios);
    }

    /** Runs the benchmark. */
    public static BertBenchmark.Result run(Setup s, int warmup, int steps, long seed) {
        checkLength(s);
        return BertBenchmark.run(s.name(), s.model(), s.batchSize(), s.seqLength(), warmup, steps, seed);
    }

    /** Throws a usage error if the sequence length exceeds the model's position embeddings. */
    static void checkLength(Setup s) {
        if (s.seqLength() > s.model().maxPositionEmbeddings()) {
            throw new IllegalArgumentException("sequence length " + s.seqLength() + " exceeds max_position_embeddings "
                    + s.model().maxPositionEmbeddings());
        }
    }

    /** {@code seed}, {@code base} (the bert module's presets) or {@code tiny}. */
    public static Setup preset(String name) {
        if (name.equals("tiny")) {
            return new Setup("tiny", BertConfig.tiny(2000), 16, 64);
        }
        Object[] p = BertBenchmark.presets().get(name);
        if (p == null) {
            throw new IllegalArgumentException("unknown preset '" + name + "', expected seed, base or tiny");
        }
        return new Setup(name, (BertConfig) p[0], (Integer) p[1], (Integer) p[2]);
    }

    /** The model (with the tokenizer section's vocabulary size), micro-batch size and max length of a config. */
    public static Setup fromConfig(PretrainConfig cfg, String name) {
        BertConfig m = cfg.model();
        BertConfig model = new BertConfig(cfg.tokenizer().vocabSize(), m.hiddenSize(), m.numHiddenLayers(),
                m.numAttentionHeads(), m.intermediateSize(), m.hiddenAct(), m.hiddenDropoutProb(),
                m.attentionProbsDropoutProb(), m.maxPositionEmbeddings(), m.typeVocabSize(), m.initializerRange(),
                m.layerNormEps(), m.padTokenId(), m.modelType(), m.architectures(), m.extra());
        return new Setup(name, model, cfg.train().batchSize(), cfg.data().maxLen());
    }
}
