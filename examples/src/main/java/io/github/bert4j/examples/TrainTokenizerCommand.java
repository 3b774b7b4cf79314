package io.github.bert4j.examples;

import io.github.bert4j.core.corpus.Corpora;
import io.github.bert4j.tokenizer.Tokenizer;
import io.github.bert4j.tokenizer.TokenizerTraining;
import io.github.bert4j.tokenizer.training.MorphemeMode;
import io.github.bert4j.tokenizer.training.WordPieceTrainer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bert4j train-tokenizer}: trains a (morpheme-aware) WordPiece vocabulary on corpus files
 * and writes {@code DIR/tokenizer.json} and {@code DIR/vocab.txt}.
 *
 * <pre>{@code
 * bert4j train-tokenizer --input examples/data/petitions/*.jsonl --format jsonl:content \
 *     --vocab-size 12000 --min-frequency 2 --morphemes nori --output models/petitions-tokenizer
 * }</pre>
 *
 * A thin shell over {@link TokenizerTraining}: the corpus is streamed (see {@link WordPieceTrainer}
 * for the algorithm); directories given as input expand to the files directly inside them.
 */
@Command(name = "train-tokenizer", mixinStandardHelpOptions = true,
        description = "Train a WordPiece vocabulary (optionally on Nori morphemes); writes tokenizer.json and vocab.txt.")
public final class TrainTokenizerCommand implements Callable<Integer> {

    /** The trained tokenizer and where it was written. */
    public record Result(Tokenizer tokenizer, Path tokenizerJson, Path vocabTxt, double seconds) {
    }

    @Option(names = "--input", required = true, arity = "1..*", paramLabel = "FILE",
            description = "Corpus files or directories.")
    List<Path> inputs;

    @Option(names = "--format", defaultValue = "text",
            description = "text | jsonl:<field> | tsv:<column> (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--vocab-size", defaultValue = "12000", description = "Vocabulary size (default: ${DEFAULT-VALUE}).")
    int vocabSize;

    @Option(names = "--min-frequency", defaultValue = "2", description = "Minimum merge frequency (default: ${DEFAULT-VALUE}).")
    long minFrequency;

    @Option(names = "--morphemes", defaultValue = "nori", description = "nori | none (default: ${DEFAULT-VALUE}).")
    String morphemes;

    @Option(names = "--limit-alphabet", defaultValue = "0", description = "Keep at most N characters, 0 = all (default: ${DEFAULT-VALUE}).")
    int limitAlphabet;

    @Option(names = "--lowercase", description = "Lowercase in the normalizer (accents are never stripped).")
    boolean lowercase;

    @Option(names = "--encode-with-nori",
            description = "Also cut Nori morphemes at encode time (a bert4j-only tokenizer.json).")
    boolean encodeWithNori;

    @Option(names = "--special-tokens", split = ",", paramLabel = "TOKEN",
            description = "Extra special tokens after [PAD] [UNK] [CLS] [SEP] [MASK] [EOD].")
    List<String> specialTokens = List.of();

    @Option(names = "--threads", defaultValue = "0", description = "Counting threads, 0 = all cores (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--output", required = true, paramLabel = "DIR", description = "Output directory.")
    Path output;

    @Override
    public Integer call() {
        TokenizerTraining.Options o = new TokenizerTraining.Options(vocabSize, minFrequency, limitAlphabet,
                MorphemeMode.parse(morphemes), lowercase, encodeWithNori,
                threads > 0 ? threads : Runtime.getRuntime().availableProcessors(), true, specialTokens);
        Result r = run(inputs, format, o, output);
        System.out.printf("vocabulary of %d tokens in %.1f s -> %s%n", r.tokenizer().vocab().size(), r.seconds(),
                r.tokenizerJson());
        return 0;
    }

    /**
     * Trains on {@code inputs} (files, or directories of files) read as {@code format} and saves the
     * tokenizer into {@code output}.
     */
    public static Result run(List<Path> inputs, String format, TokenizerTraining.Options options, Path output) {
        long t0 = System.nanoTime();
        Tokenizer tokenizer = TokenizerTraining.run(Corpora.expand(inputs), format, options, output);
        return new Result(tokenizer, output.resolve("tokenizer.json"), output.resolve("vocab.txt"),
                (System.nanoTime() - t0) / 1e9);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new TrainTokenizerCommand()).execute(args));
    }
}
