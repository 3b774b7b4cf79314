package io.github.bert4j.examples.spark;

import io.github.bert4j.bert.pretraining.PretrainConfig;
import io.github.bert4j.spark.BertSpark;
import io.github.bert4j.spark.SparkPrepare;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bert4j spark prepare --config pretrain.yaml [--output DIR]}: the tokenizer and the token
 * shards of a pretraining config, made on Spark, where {@code bert4j pretrain} (or {@code spark
 * pretrain}) with the same config and output picks them up.
 */
@Command(name = "prepare", mixinStandardHelpOptions = true,
        description = "Train the WordPiece tokenizer and write the token shards of a pretraining config on Spark.")
public final class SparkPrepareCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "pretrain.yaml (or .json).")
    Path config;

    @Option(names = "--output", paramLabel = "DIR", description = "Output directory (default: the config's output).")
    Path output;

    @Mixin
    SparkOptions spark = new SparkOptions();

    @Override
    public Integer call() throws IOException {
        PretrainConfig cfg = PretrainConfig.load(config);
        try (SparkSession s = spark.session("bert4j spark prepare")) {
            SparkPrepare.Prepared p = SparkPrepare.run(BertSpark.context(s), cfg, output, spark.partitions(s));
            System.out.printf("vocabulary %d tokens; train %d documents / %d tokens in %d shards (%s)%s%s%n",
                    p.tokenizer().vocab().size(), p.train().documents(), p.train().tokens(), p.train().shards().size(),
                    p.train().dir(),
                    p.valid() == null ? "" : "; valid " + p.valid().documents() + " documents",
                    p.extra() == null ? "" : "; extra MLM " + p.extra().documents() + " documents");
        }
        return 0;
    }
}
