package io.github.bert4j.examples.bench;

import picocli.CommandLine.Option;

/** Batch-shape overrides that {@code bench pretrain} and {@code bench infer} share. */
final class BenchShapeOptions {
    @Option(names = "--batch-size", description = "Override the batch size.")
    Integer batchSize;

    @Option(names = "--seq-length", description = "Override the sequence length.")
    Integer seqLength;
}
