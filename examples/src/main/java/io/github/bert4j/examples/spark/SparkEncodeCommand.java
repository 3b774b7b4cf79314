package io.github.bert4j.examples.spark;

import io.github.bert4j.bert.embed.TextEmbedder;
import io.github.bert4j.spark.BertSpark;
import io.github.bert4j.spark.HadoopSupport;
import io.github.bert4j.spark.SparkEncoder;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bert4j spark encode --model DIR --input FILE --output DIR [--pooling cls|mean]
 * [--normalize] [--batch-size N]}: {@code bert4j encode} on Spark; the output folder holds part
 * files of JSON lines ({@code text}, {@code embedding}) which, concatenated in name order, are what
 * {@code bert4j encode} writes for the same input and options.
 */
@Command(name = "encode", mixinStandardHelpOptions = true,
        description = "Embed the lines of a file (or folder) with an encoder on Spark; JSON lines in part files.")
public final class SparkEncodeCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "Model directory with tokenizer.json (visible to every executor).")
    Path model;

    @Option(names = "--input", required = true, paramLabel = "FILE",
            description = "Texts, one per line: a file, folder or glob Spark reads (local, hdfs://, s3a://).")
    String input;

    @Option(names = "--output", required = true, paramLabel = "DIR", description = "Output folder (must not exist).")
    String output;

    @Option(names = "--pooling", defaultValue = "cls", paramLabel = "cls|mean",
            description = "cls: the first token's hidden state; mean: the mean over the text's tokens (default: ${DEFAULT-VALUE}).")
    String pooling;

    @Option(names = "--normalize", description = "Scale each vector to unit L2 norm.")
    boolean normalize;

    @Option(names = "--batch-size", defaultValue = "32", paramLabel = "N",
            description = "Texts per batch, as bert4j encode batches them (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Mixin
    SparkOptions spark = new SparkOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        SparkEncoder.Settings settings;
        try {
            settings = new SparkEncoder.Settings(TextEmbedder.Pooling.parse(pooling), normalize, batchSize);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        HadoopSupport.requireFileSystem("bert4j spark encode"); // before Spark starts: Java 24+ cannot run it
        try (SparkSession s = spark.session("bert4j spark encode")) {
            long n = SparkEncoder.encodeFile(BertSpark.context(s), input, model, settings, output, spark.partitions(s));
            System.out.printf("embedded %d texts into %s%n", n, output);
        }
        return 0;
    }
}
