package io.github.bert4j.examples.spark;

import io.github.bert4j.core.config.ConfigException;
import io.github.bert4j.examples.FinetuneNerCommand;
import io.github.bert4j.ner.NerConfig;
import io.github.bert4j.ner.NerFineTuning;
import io.github.bert4j.spark.BertSpark;
import io.github.bert4j.spark.SparkNerFineTuning;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import io.github.bert4j.examples.RunOptions;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bert4j spark finetune-ner --config ner.yaml [--output DIR] [--resume | --overwrite]}:
 * {@code bert4j finetune-ner} with every step's gradients on Spark (synchronous data parallel); the
 * same config, model directory, checkpoints, validation, resume and MLflow tracking.
 */
@Command(name = "finetune-ner", mixinStandardHelpOptions = true,
        description = "Fine-tune BERT+CRF for NER data-parallel on Spark from a YAML/JSON config; the output directory is the model.")
public final class SparkFinetuneNerCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "ner.yaml (or .json).")
    Path config;

    @Option(names = "--output", paramLabel = "DIR",
            description = "Model directory to write (default: runs/<config file name without extension>).")
    Path output;

    @Mixin
    RunOptions run = new RunOptions();

    @Mixin
    SparkOptions spark = new SparkOptions();

    @Override
    public Integer call() throws IOException {
        Path out = output != null ? output : FinetuneNerCommand.defaultOutput(config);
        NerConfig cfg = NerConfig.load(config);
        NerFineTuning.Result r;
        try (SparkSession s = spark.session("bert4j spark finetune-ner")) {
            r = SparkNerFineTuning.run(BertSpark.context(s), cfg, out, run.resume(), run.overwrite(), spark.partitions(s));
        } catch (ConfigException e) {
            // a path the config names is missing: say which config named it
            throw e.source() == null ? e.withSource(config.toString()) : e;
        }
        System.out.print(FinetuneNerCommand.summary(r));
        return 0;
    }
}
