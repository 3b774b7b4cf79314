package io.github.bert4j.examples.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.bert4j.core.corpus.Corpora;
import io.github.bert4j.examples.ExamplePaths;
import io.github.bert4j.core.corpus.Corpora;
import io.github.bert4j.core.corpus.CorpusFormat;
import io.github.bert4j.core.corpus.SentenceSplitter;
import io.github.bert4j.tokenizer.Tokenizer;
import io.github.bert4j.tokenizer.TokenizerBenchmark;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bert4j bench tokenizer --tokenizer FILE}: encoding throughput of a tokenizer on real text
 * (by default the bundled petitions), one text at a time and in batches, over the tokenizer test
 * jar's {@link TokenizerBenchmark}. Prints one JSON line:
 * {@code {"texts":..,"chars":..,"threads":..,"batch_size":..,"single_chars_per_s":..,"batch_chars_per_s":..}}.
 *
 * <p>The side-by-side comparison with HuggingFace tokenizers (DJL) is the tokenizer module's test
 * class {@code HfTokenizerBenchmark}; DJL is not on this command's class path.
 */
@Command(name = "tokenizer", mixinStandardHelpOptions = true,
        description = "Tokenizer encoding throughput (chars/s, single and batched) on real text.")
public final class BenchTokenizerCommand implements Callable<Integer> {

    @Option(names = "--tokenizer", required = true, paramLabel = "FILE", description = "tokenizer.json or a model directory.")
    Path tokenizer;

    @Option(names = "--input", arity = "1..*", paramLabel = "FILE",
            description = "Text files (default: the bundled petitions, examples/data/petitions).")
    List<Path> inputs;

    @Option(names = "--format", defaultValue = "jsonl:content", description = "text | jsonl:<field> | tsv:<column> (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--limit", defaultValue = "1000", description = "Use at most N texts (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--batch-size", defaultValue = "64", description = "Texts per batch (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--seconds", defaultValue = "10", description = "Measured seconds per mode (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Override
    public Integer call() throws IOException {
        List<Path> files = inputs != null ? inputs : List.of(ExamplePaths.data("petitions"));
        Map<String, Object> r = run(Tokenizer.load(tokenizer), Corpora.expand(files), format, limit, batchSize, seconds);
        System.out.println(new ObjectMapper().writeValueAsString(r));
        return 0;
    }

    /** Measures {@code tokenizer} on the first {@code limit} texts of {@code files}; the JSON line's fields. */
    public static Map<String, Object> run(Tokenizer tokenizer, List<Path> files, String format, int limit, int batchSize,
                                          double seconds) {
        List<String> texts = new ArrayList<>();
        for (String t : Corpora.sentences(files, CorpusFormat.parse(format), SentenceSplitter.none())) {
            if (texts.size() >= limit) {
                break;
            }
            texts.add(t);
        }
        if (texts.isEmpty()) {
            throw new IllegalArgumentException("no texts in " + files + " (format " + format + ")");
        }
        TokenizerBenchmark.Result res = TokenizerBenchmark.run(List.of(TokenizerBenchmark.of(tokenizer)), texts, batchSize,
                seconds).get(0);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("texts", texts.size());
        out.put("chars", texts.stream().mapToLong(String::length).sum());
        out.put("threads", Runtime.getRuntime().availableProcessors());
        out.put("batch_size", batchSize);
        out.put("single_chars_per_s", Math.round(res.singleCharsPerSecond()));
        out.put("batch_chars_per_s", Math.round(res.batchCharsPerSecond()));
        return out;
    }
}
