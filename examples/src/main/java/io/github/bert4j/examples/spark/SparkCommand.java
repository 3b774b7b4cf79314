package io.github.bert4j.examples.spark;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code bert4j spark prepare|tag|encode|pretrain|finetune-ner}: the bert4j-spark jobs from the command line, on a
 * local Spark ({@code --master local[*]}, the default) or, through {@code spark-submit}, on a
 * cluster (see the README's "Spark" section for the command and the jars to submit).
 */
@Command(name = "spark", mixinStandardHelpOptions = true,
        description = "Corpus preparation, NER tagging, embedding and data-parallel pretraining and NER fine-tuning on Apache Spark.",
        subcommands = {SparkPrepareCommand.class, SparkTagCommand.class, SparkEncodeCommand.class, SparkPretrainCommand.class,
                SparkFinetuneNerCommand.class})
public final class SparkCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }
}
