package io.github.bert4j.examples;

import io.github.bert4j.ner.NerPredictor;
import io.github.bert4j.ner.align.Entity;
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
 * {@code bert4j tag --model DIR}: reads UTF-8 sentences, one per line, from stdin (or
 * {@code --input}) and writes one JSON line each:
 * {@code {"text":..,"entities":[{"type":"PS","start":..,"end":..,"text":..,"score":..}]}} (offsets:
 * UTF-16 indices into the line; score: the CRF's probability of the entity, 4 decimals). Lines are tagged in small batches with the ner module's
 * {@link NerPredictor}; output order is input order.
 */
@Command(name = "tag", mixinStandardHelpOptions = true,
        description = "Tag named entities in sentences (one per line) with a NER model; one JSON line each.")
public final class TagCommand implements Callable<Integer> {

    /** Lines tagged together. */
    static final int BATCH = 32;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "NER model directory.")
    Path model;

    @CommandLine.Mixin
    LineFiles files;

    @Override
    public Integer call() throws IOException {
        try (NerPredictor predictor = NerPredictor.load(model);
             BufferedReader in = files.reader();
             BufferedWriter out = files.writer()) {
            run(predictor, in, out);
        }
        return 0;
    }

    /** Tags every line of {@code in}, writing one JSON line per input line; returns the number of lines. */
    public static long run(NerPredictor predictor, BufferedReader in, Writer out) {
        long n = 0;
        List<String> batch = new ArrayList<>(BATCH);
        try {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                batch.add(line);
                if (batch.size() == BATCH) {
                    n += flush(predictor, batch, out);
                }
            }
            n += flush(predictor, batch, out);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return n;
    }

    private static int flush(NerPredictor predictor, List<String> batch, Writer out) throws IOException {
        if (batch.isEmpty()) {
            return 0;
        }
        List<List<Entity>> entities = predictor.predictBatch(batch);
        for (int i = 0; i < batch.size(); i++) {
            out.write(NerPredictor.toJson(batch.get(i), entities.get(i)));
            out.write('\n');
        }
        int n = batch.size();
        batch.clear();
        return n;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new TagCommand()).execute(args));
    }
}
