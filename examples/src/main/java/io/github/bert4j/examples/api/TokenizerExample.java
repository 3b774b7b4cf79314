package io.github.bert4j.examples.api;

import io.github.bert4j.core.corpus.Corpora;
import io.github.bert4j.core.corpus.CorpusFormat;
import io.github.bert4j.core.corpus.SentenceSplitter;
import io.github.bert4j.tokenizer.Encoding;
import io.github.bert4j.tokenizer.Tokenizer;
import io.github.bert4j.tokenizer.TruncationStrategy;
import io.github.bert4j.tokenizer.training.MorphemeMode;
import io.github.bert4j.tokenizer.training.WordPieceTrainer;
import java.nio.file.Path;
import java.util.List;

/** README: train a morpheme-aware tokenizer and encode with offsets. */
public final class TokenizerExample {
    private TokenizerExample() {
    }

    // README:begin
    /** Trains a WordPiece vocabulary on JSON-lines files ({"content": ...}) and encodes a pair with it. */
    public static Encoding trainAndEncode(List<Path> files, int vocabSize, Path dir) {
        Tokenizer tok = WordPieceTrainer.builder()
                .vocabSize(vocabSize).minFrequency(2)
                .morphemes(MorphemeMode.NORI)          // Nori morphemes; continuation morphemes become ##pieces
                .build()
                .train(Corpora.sentences(files, CorpusFormat.parse("jsonl:content"), SentenceSplitter.korean()));
        tok.save(dir);                                  // tokenizer.json (HuggingFace format) + vocab.txt

        Encoding e = Tokenizer.load(dir).withTruncation(128, TruncationStrategy.LONGEST_FIRST)
                .encodePair("대통령은 오늘 담화를 발표했다.", "내용은 다음과 같다.");
        // e.ids(), e.tokens(), e.typeIds(), e.attentionMask(); e.starts(), e.ends(): offsets into the String
        return e;
    }
    // README:end
}
