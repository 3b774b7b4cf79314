package io.github.bert4j.tokenizer;

import io.github.bert4j.core.corpus.Corpora;
import io.github.bert4j.core.corpus.CorpusFormat;
import io.github.bert4j.core.corpus.SentenceSplitter;
import io.github.bert4j.tokenizer.training.MorphemeMode;
import io.github.bert4j.tokenizer.training.WordPieceTrainer;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code bert4j train-tokenizer} entry point: trains a WordPiece vocabulary on text files and
 * writes {@code outputDir/tokenizer.json} and {@code outputDir/vocab.txt}.
 */
public final class TokenizerTraining {
    private TokenizerTraining() {
    }

    /**
     * Options of {@code train-tokenizer}.
     *
     * @param lowercase      lowercase in the normalizer (accents are never stripped)
     * @param encodeWithNori also cut morphemes at encode time (bert4j-only tokenizer.json)
     * @param limitAlphabet  0 = no limit
     * @param extraSpecialTokens appended after [PAD] [UNK] [CLS] [SEP] [MASK] [EOD]
     */
    public record Options(int vocabSize, long minFrequency, int limitAlphabet, MorphemeMode morphemes,
                          boolean lowercase, boolean encodeWithNori, int threads, boolean showProgress,
                          List<String> extraSpecialTokens) {
        public Options {
            extraSpecialTokens = List.copyOf(extraSpecialTokens);
        }

        /** vocab 32000, min frequency 2, no alphabet limit, Nori morphemes, cased, all cores, progress shown. */
        public static Options defaults() {
            return new Options(32000, 2, 0, MorphemeMode.NORI, false, false,
                    Runtime.getRuntime().availableProcessors(), true, List.of());
        }
    }

    /**
     * Trains on {@code files} read as {@code format} ({@code text | jsonl:<field> | tsv:<column>}) and
     * saves to {@code outputDir} (created if needed).
     */
    public static Tokenizer run(List<Path> files, String format, Options o, Path outputDir) {
        Tokenizer t = WordPieceTrainer.builder().vocabSize(o.vocabSize()).minFrequency(o.minFrequency())
                .limitAlphabet(o.limitAlphabet()).morphemes(o.morphemes()).lowercase(o.lowercase())
                .encodeWithNori(o.encodeWithNori()).threads(o.threads()).showProgress(o.showProgress())
                .addSpecialTokens(o.extraSpecialTokens().toArray(new String[0])).build()
                .train(Corpora.sentences(files, CorpusFormat.parse(format), SentenceSplitter.none()));
        t.save(outputDir);
        return t;
    }
}
