package io.github.bert4j.examples.bench;

import io.github.bert4j.ner.NerBenchmark;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

    @Mixin
    BenchModelOptions options;

    @Option(names = "--batch-size", defaultValue = "64", description = "Sentences per batch (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--seq-length", description = "Padded length (default: the preset's or config's max length).")
    Integer seqLength;

    @Override
    public Integer call() {
        BenchPretrainCommand.Setup s = options.setup(batchSize, seqLength);
        if (!options.comparePytorch) {
            System.out.println(run(s).toJson());
            return 0;
        }
        PyTorchComparison.TorchNer torch = PyTorchComparison.measureNer(s, options.steps, options.seed); // first, while idle
        NerBenchmark.Result ours = run(s);
        System.out.println(PyTorchComparison.nerLine(s, ours, torch));
        return options.verdict(java.util.Map.of("ner", ours.sentencesPerSecond() / torch.sentencesPerSecond()));
    }

    private NerBenchmark.Result run(BenchPretrainCommand.Setup s) {
        return NerBenchmark.run(s.name(), s.model(), s.batchSize(), s.seqLength(), options.warmup, options.steps, options.seed);
    }
}
