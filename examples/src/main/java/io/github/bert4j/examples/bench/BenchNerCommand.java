package io.github.bert4j.examples.bench;

import io.github.bert4j.bert.pretraining.PretrainConfig;
import io.github.bert4j.ner.NerBenchmark;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bert4j bench ner --preset seed|base|tiny [--config FILE] [--batch-size 64]}: tagging
 * throughput of a BERT+CRF tagger (encoder inference, classifier, constrained Viterbi over KLUE's
 * 13 BIO tags) on a random batch whose sentence lengths vary from a quarter of the padded length
 * to all of it ({@link NerBenchmark}). With {@code --compare-pytorch}, the same tagger and batch in
 * PyTorch 2.7.1 (DJL) in a JVM of its own, and one JSON line with both figures and the ratio.
 */
@Command(name = "ner", mixinStandardHelpOptions = true,
        description = "Tagging throughput (sentences/s) of BERT+CRF on random batches.")
public final class BenchNerCommand implements Callable<Integer> {

    @Option(names = "--preset", defaultValue = "seed", description = "seed | base | tiny (default: ${DEFAULT-VALUE}).")
    String preset;

    @Option(names = "--config", paramLabel = "FILE", description = "A pretraining config: its model (overrides --preset).")
    Path config;

    @Option(names = "--batch-size", defaultValue = "64", description = "Sentences per batch (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--seq-length", description = "Padded length (default: the preset's or config's max length).")
    Integer seqLength;

    @Option(names = "--steps", defaultValue = "5", description = "Measured batches (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--warmup", defaultValue = "2", description = "Warm-up batches, not measured (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of weights and data (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--compare-pytorch", description = "Also time the same tagger in PyTorch 2.7.1 (DJL) in a JVM of its "
            + "own and print both figures and the ratio (needs a build with -Pbench).")
    boolean comparePytorch;

    @Override
    public Integer call() {
        BenchPretrainCommand.Setup s = config != null
                ? BenchPretrainCommand.fromConfig(PretrainConfig.load(config), config.getFileName().toString())
                : BenchPretrainCommand.preset(preset);
        s = new BenchPretrainCommand.Setup(s.name(), s.model(), batchSize, seqLength != null ? seqLength : s.seqLength());
        if (s.seqLength() > s.model().maxPositionEmbeddings()) {
            throw new IllegalArgumentException("sequence length " + s.seqLength() + " exceeds max_position_embeddings "
                    + s.model().maxPositionEmbeddings());
        }
        if (!comparePytorch) {
            System.out.println(run(s).toJson());
            return 0;
        }
        PyTorchComparison.TorchNer torch = PyTorchComparison.measureNer(s, steps, seed); // first, while this JVM is idle
        System.out.println(PyTorchComparison.nerLine(s, run(s), torch));
        return 0;
    }

    private NerBenchmark.Result run(BenchPretrainCommand.Setup s) {
        return NerBenchmark.run(s.name(), s.model(), s.batchSize(), s.seqLength(), warmup, steps, seed);
    }
}
