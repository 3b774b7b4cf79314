package io.github.bert4j.examples.spark;

import io.github.bert4j.bert.pretraining.PretrainConfig;
import io.github.bert4j.core.train.TrainResult;
import io.github.bert4j.examples.PretrainCommand;
import io.github.bert4j.spark.BertSpark;
import io.github.bert4j.spark.SparkPretrainer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import io.github.bert4j.examples.RunOptions;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bert4j spark pretrain --config pretrain.yaml [--output DIR] [--resume | --overwrite]}: {@code bert4j
 * pretrain} with data preparation and every step's gradients on Spark (synchronous data parallel);
 * the same output directory, checkpoints, resume and MLflow tracking.
 */
@Command(name = "pretrain", mixinStandardHelpOptions = true,
        description = "Pretrain BERT (MLM + NSP) data-parallel on Spark from a YAML/JSON config.")
public final class SparkPretrainCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "pretrain.yaml (or .json).")
    Path config;

    @Option(names = "--output", paramLabel = "DIR", description = "Output directory (default: the config's output).")
    Path output;

    @Mixin
    RunOptions run = new RunOptions();

    @Mixin
    SparkOptions spark = new SparkOptions();

    @Override
    public Integer call() throws IOException {
        PretrainConfig cfg = PretrainConfig.load(config);
        try (SparkSession s = spark.session("bert4j spark pretrain")) {
            TrainResult r = SparkPretrainer.run(BertSpark.context(s), cfg, output, run.resume(), run.overwrite(), spark.partitions(s));
            System.out.print(PretrainCommand.summary(r));
        }
        return 0;
    }
}
