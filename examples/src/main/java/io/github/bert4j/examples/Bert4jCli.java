package io.github.bert4j.examples;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code bert4j} command line. Each subcommand is a thin shell over a library entry point (or
 * an example class with a {@code main}) so that Java users and the CLI run the same code.
 */
@Command(
        name = "bert4j",
        mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "Train BERT from scratch and fine-tune it for NER on the JVM (Korean first).",
        subcommands = {VersionCommand.class, CommandLine.HelpCommand.class, TrainTokenizerCommand.class,
                TokenizeCommand.class, PretrainCommand.class, FinetuneNerCommand.class, EvaluateNerCommand.class,
                TagCommand.class,
                io.github.bert4j.examples.quickstart.QuickstartCommand.class,
                io.github.bert4j.examples.bench.BenchCommand.class})
public final class Bert4jCli {

    /** Runs the CLI and returns its exit code (tests call this instead of {@link #main}). */
    public static int run(String... args) {
        return new CommandLine(new Bert4jCli()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }
}
