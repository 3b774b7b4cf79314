package io.github.bert4j.examples.bench;

import io.github.bert4j.bert.BertBenchmark;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code bert4j bench infer --preset seed|base|tiny [--config FILE] [--batch-size B] [--seq-length T]}:
 * inference throughput (tokens/s) of a BERT encoder forward pass with the pooler, float32, on a
 * random batch, without training steps ({@link BertBenchmark#runInference}). With {@code
 * --compare-pytorch}, the same encoder and batch in PyTorch 2.7.1 (DJL) in a JVM of its own, and
 * one JSON line with both figures and the ratio. ({@code bench pretrain} also prints an inference
 * line, measured after its training steps.)
 */
@Command(name = "infer", mixinStandardHelpOptions = true,
        description = "Inference throughput (tokens/s) of a BERT encoder on random batches.")
public final class BenchInferCommand implements Callable<Integer> {

    @Mixin
    BenchModelOptions options;

    @Mixin
    BenchShapeOptions shape;

    @Override
    public Integer call() {
        BenchPretrainCommand.Setup s = options.setup(shape.batchSize, shape.seqLength);
        BenchPretrainCommand.checkLength(s);
        if (!options.comparePytorch) {
            System.out.println(run(s).toJson());
            return 0;
        }
        PyTorchComparison.Torch torch = PyTorchComparison.measureInference(s, options.steps); // first, while idle
        BertBenchmark.Inference ours = run(s);
        System.out.println(PyTorchComparison.line("infer", s, ours.tokensPerSecond(), torch.inferTokensPerSecond(),
                ours.peakRssMb(), torch.peakRssMb()));
        return options.verdict(java.util.Map.of("infer", ours.tokensPerSecond() / torch.inferTokensPerSecond()));
    }

    private BertBenchmark.Inference run(BenchPretrainCommand.Setup s) {
        return BertBenchmark.runInference(s.name(), s.model(), s.batchSize(), s.seqLength(), options.warmup, options.steps,
                options.seed);
    }
}
