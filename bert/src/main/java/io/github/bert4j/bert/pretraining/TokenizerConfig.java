package io.github.bert4j.bert.pretraining;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.bert4j.core.config.Check;
import io.github.bert4j.tokenizer.training.MorphemeMode;

/**
 * The {@code tokenizer} section: either an existing tokenizer ({@code path} to a
 * {@code tokenizer.json}, a {@code vocab.txt} or a model directory) or how to train a WordPiece
 * vocabulary on the training documents.
 *
 * @param path existing tokenizer; when set the training settings are ignored
 * @param vocabSize target vocabulary size including special tokens (12000)
 * @param minFrequency minimum pair/word frequency for the WordPiece trainer (2)
 * @param morphemes {@code nori} (split Korean into morphemes before WordPiece, the default) or
 *     {@code none}, case-insensitive ({@link MorphemeMode#parse})
 * @param limitAlphabet max distinct characters kept in the initial alphabet (null: trainer default)
 */
public record TokenizerConfig(
        @JsonProperty("path") String path,
        @JsonProperty("vocab_size") Integer vocabSize,
        @JsonProperty("min_frequency") Integer minFrequency,
        @JsonProperty("morphemes") MorphemeMode morphemes,
        @JsonProperty("limit_alphabet") Integer limitAlphabet) {

    public TokenizerConfig {
        vocabSize = Check.positive("vocab_size", vocabSize == null ? 12000 : vocabSize);
        Check.that(vocabSize >= 16, "vocab_size", ">= 16", vocabSize);
        minFrequency = Check.positive("min_frequency", minFrequency == null ? 2 : minFrequency);
        morphemes = morphemes == null ? MorphemeMode.NORI : morphemes;
        if (limitAlphabet != null) {
            Check.positive("limit_alphabet", limitAlphabet);
        }
    }

    public static TokenizerConfig defaults() {
        return new TokenizerConfig(null, null, null, null, null);
    }

    public TokenizerConfig withVocabSize(int size) {
        return new TokenizerConfig(path, size, minFrequency, morphemes, limitAlphabet);
    }
}
