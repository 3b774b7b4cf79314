package io.github.bert4j.examples.spark;

import io.github.bert4j.spark.BertSpark;
import io.github.bert4j.spark.HadoopSupport;
import io.github.bert4j.spark.SparkTagger;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bert4j spark tag --model DIR --input FILE --output DIR}: {@code bert4j tag} on Spark; the
 * output folder holds part files of JSON lines ({@code text}, {@code entities}) which, concatenated
 * in name order, are what {@code bert4j tag} prints for the same input.
 */
@Command(name = "tag", mixinStandardHelpOptions = true,
        description = "Tag named entities in the lines of a file (or folder) on Spark; JSON lines in part files.")
public final class SparkTagCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "NER model directory (visible to every executor).")
    Path model;

    @Option(names = "--input", required = true, paramLabel = "FILE",
            description = "Sentences, one per line: a file, folder or glob Spark reads (local, hdfs://, s3a://).")
    String input;

    @Option(names = "--output", required = true, paramLabel = "DIR", description = "Output folder (must not exist).")
    String output;

    @Mixin
    SparkOptions spark = new SparkOptions();

    @Override
    public Integer call() {
        HadoopSupport.requireFileSystem("bert4j spark tag"); // before Spark starts: Java 24+ cannot run it
        try (SparkSession s = spark.session("bert4j spark tag")) {
            long n = SparkTagger.tagFile(BertSpark.context(s), input, model, output, spark.partitions(s));
            System.out.printf("tagged %d sentences into %s%n", n, output);
        }
        return 0;
    }
}
