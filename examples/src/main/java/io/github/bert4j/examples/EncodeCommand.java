package io.github.bert4j.examples;

import io.github.bert4j.bert.embed.TextEmbedder;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bert4j encode --model DIR [--pooling cls|mean] [--normalize]}: one UTF-8 text per line
 * from stdin (or {@code --input}) to one JSON line each, {@code {"text":..,"embedding":[..]}}, in
 * input order; texts longer than the model's maximum length are truncated (one warning on stderr).
 * For a sentence-transformers model such as all-MiniLM-L6-v2, {@code --pooling mean --normalize}
 * gives its sentence embeddings.
 */
@Command(name = "encode", mixinStandardHelpOptions = true,
        description = "Embed texts (one per line) with an encoder; one JSON line with the vector each.")
public final class EncodeCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory with tokenizer.json.")
    Path model;

    @Option(names = "--pooling", defaultValue = "cls", paramLabel = "cls|mean",
            description = "cls: the first token's hidden state; mean: the mean over the text's tokens (default: ${DEFAULT-VALUE}).")
    String pooling;

    @Option(names = "--normalize", description = "Scale each vector to unit L2 norm.")
    boolean normalize;

    @Option(names = "--batch-size", defaultValue = "32", paramLabel = "N", description = "Texts per batch (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @CommandLine.Mixin
    LineFiles files;

    @Override
    public Integer call() throws IOException {
        TextEmbedder.Pooling p;
        try {
            p = TextEmbedder.Pooling.parse(pooling);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--pooling: " + e.getMessage());
        }
        if (batchSize < 1) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--batch-size must be >= 1, got " + batchSize);
        }
        try (TextEmbedder loaded = TextEmbedder.load(model, p, normalize);
             BufferedReader in = files.reader();
             BufferedWriter out = files.writer()) {
            run(loaded, batchSize, in, out);
        }
        return 0;
    }

    /** Embeds every line of {@code in} into one JSON line of {@code out}; returns the number of lines. */
    public static long run(TextEmbedder embedder, int batchSize, BufferedReader in, Writer out) {
        long n = 0;
        boolean warned = false;
        List<String> batch = new ArrayList<>(batchSize);
        try {
            for (String line = in.readLine(); ; line = in.readLine()) {
                if (line != null) {
                    batch.add(line);
                    if (!warned && embedder.truncates(line)) {
                        System.err.printf("encode: line %d is longer than %d tokens and is truncated (as are any later "
                                + "ones; this warning is shown once)%n", n + batch.size(), embedder.maxLength());
                        warned = true;
                    }
                }
                if (batch.size() == batchSize || (line == null && !batch.isEmpty())) {
                    List<float[]> vectors = embedder.embed(batch);
                    for (int i = 0; i < batch.size(); i++) {
                        out.write(TextEmbedder.toJson(batch.get(i), vectors.get(i)));
                        out.write('\n');
                    }
                    n += batch.size();
                    batch.clear();
                }
                if (line == null) {
                    break;
                }
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return n;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new EncodeCommand()).execute(args));
    }
}
