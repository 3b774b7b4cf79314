package io.github.bert4j.examples;

import io.github.bert4j.core.corpus.Corpora;
import io.github.bert4j.core.corpus.CorpusFormat;
import io.github.bert4j.core.corpus.SentenceSplitter;
import io.github.bert4j.tokenizer.Tokenizer;
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
 * The corpus is streamed once (see {@link WordPieceTrainer}); directories given as input expand to
 * the files directly inside them.
 */
@Command(name = "train-tokenizer", mixinStandardHelpOptions = true,
        description = "Train a WordPiece vocabulary (optionally on Nori morphemes); writes tokenizer.json and vocab.txt.")
public final class TrainTokenizerCommand implements Callable<Integer> {

    /**
     * What to train on and how.
     *
     * @param inputs corpus files (or directories of files)
     * @param format {@code text}, {@code jsonl:<field>} or {@code tsv:<column>} (see {@link CorpusFormat})
     * @param vocabSize target vocabulary size including special tokens
     * @param minFrequency minimum pair frequency of a merge
     * @param morphemes {@link MorphemeMode#NORI} to cut Korean words into morphemes before WordPiece
     * @param limitAlphabet max distinct characters kept (0 = all)
     * @param output directory that receives {@code tokenizer.json} and {@code vocab.txt}
     */
    public record Options(List<Path> inputs, String format, int vocabSize, long minFrequency, MorphemeMode morphemes,
                          int limitAlphabet, Path output) {
    }

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

    @Option(names = "--output", required = true, paramLabel = "DIR", description = "Output directory.")
    Path output;

    @Override
    public Integer call() {
        Result r = run(new Options(inputs, format, vocabSize, minFrequency, MorphemeMode.parse(morphemes),
                limitAlphabet, output));
        System.out.printf("vocabulary of %d tokens in %.1f s -> %s%n", r.tokenizer().vocab().size(), r.seconds(),
                r.tokenizerJson());
        return 0;
    }

    /** Trains and saves the tokenizer. */
    public static Result run(Options o) {
        long t0 = System.nanoTime();
        CorpusFormat fmt = CorpusFormat.parse(o.format());
        Iterable<String> texts = Corpora.sentences(Corpora.expand(o.inputs()), fmt, SentenceSplitter.none());
        Tokenizer tokenizer = WordPieceTrainer.builder()
                .vocabSize(o.vocabSize())
                .minFrequency(o.minFrequency())
                .limitAlphabet(o.limitAlphabet())
                .morphemes(o.morphemes())
                .showProgress(true)
                .build()
                .train(texts);
        tokenizer.save(o.output());
        return new Result(tokenizer, o.output().resolve("tokenizer.json"), o.output().resolve("vocab.txt"),
                (System.nanoTime() - t0) / 1e9);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new TrainTokenizerCommand()).execute(args));
    }
}
