package io.github.bert4j.examples.bench;

import picocli.CommandLine.Command;

/** {@code bert4j bench <what>}: throughput benchmarks; each prints one JSON line. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Throughput benchmarks (one JSON line each).",
        subcommands = {BenchPretrainCommand.class, BenchInferCommand.class, BenchNerCommand.class, BenchTokenizerCommand.class})
public final class BenchCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "name a benchmark: " + spec.subcommands().keySet());
    }
}
