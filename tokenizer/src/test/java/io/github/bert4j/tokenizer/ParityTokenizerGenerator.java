package io.github.bert4j.tokenizer;

import io.github.bert4j.tokenizer.training.MorphemeMode;
import io.github.bert4j.tokenizer.training.WordPieceTrainer;
import java.nio.file.Path;

/**
 * Regenerates {@code src/test/resources/parity/tokenizer.json}: an 8k WordPiece vocabulary trained
 * by bert4j (Nori morphemes) on the first two petitions files. Run from the tokenizer module dir:
 * {@code java -cp <test classpath> io.github.bert4j.tokenizer.ParityTokenizerGenerator}.
 */
public final class ParityTokenizerGenerator {
    public static final int VOCAB_SIZE = 8000;

    private ParityTokenizerGenerator() {
    }

    static WordPieceTrainer trainer() {
        return WordPieceTrainer.builder().vocabSize(VOCAB_SIZE).minFrequency(2).morphemes(MorphemeMode.NORI)
                .showProgress(true).build();
    }

    public static void main(String[] args) {
        Path out = Path.of(args.length > 0 ? args[0] : "src/test/resources/parity");
        Tokenizer t = trainer().train(TestCorpus.petitions(TestCorpus.petitionFiles().subList(0, 2)));
        t.save(out);
    }
}
