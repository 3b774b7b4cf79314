package io.github.bert4j.ner;

import io.github.bert4j.core.testing.TestData;
import io.github.bert4j.ner.data.KlueNerReader;
import io.github.bert4j.ner.data.NerSentence;
import io.github.bert4j.tokenizer.Tokenizer;
import io.github.bert4j.tokenizer.training.MorphemeMode;
import io.github.bert4j.tokenizer.training.WordPieceTrainer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.List;

/** Small real fixtures: the shortest KLUE dev sentences and a WordPiece tokenizer trained on them. */
final class TinyNer {

    private static List<NerSentence> all;

    private TinyNer() {
    }

    static synchronized List<NerSentence> klue() {
        if (all == null) {
            try {
                all = KlueNerReader.readAll(TestData.klueNerDev());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return all;
    }

    /** The {@code n} shortest sentences that contain at least one entity, in file order. */
    static List<NerSentence> shortWithEntities(int n) {
        List<NerSentence> withEntities = klue().stream()
                .filter(s -> s.charTags().stream().anyMatch(t -> !t.equals("O")))
                .sorted(Comparator.comparingInt(NerSentence::length))
                .limit(n).toList();
        return klue().stream().filter(withEntities::contains).toList();
    }

    /** A WordPiece tokenizer (no morphemes) trained on the texts of the first 400 KLUE sentences. */
    static Tokenizer tokenizer() {
        List<String> texts = klue().subList(0, 400).stream().map(NerSentence::text).toList();
        return WordPieceTrainer.builder().vocabSize(600).morphemes(MorphemeMode.NONE).threads(1)
                .showProgress(false).build().train(texts);
    }
}
