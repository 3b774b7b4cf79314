package io.github.bert4j.examples;

import io.github.bert4j.core.testing.TestData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** A tiny pretraining setup for CLI tests: 40 petitions and a config for the tiny preset on them. */
final class TinyPretrain {
    static final String CORPUS = "petitions40.jsonl";

    private TinyPretrain() {}

    /** Writes the first 40 documents of the first petitions file as {@code dir/petitions40.jsonl}. */
    static Path writeCorpus(Path dir) throws IOException {
        Path corpus = dir.resolve(CORPUS);
        try (Stream<String> lines = Files.lines(TestData.petitions().get(0), StandardCharsets.UTF_8)) {
            Files.write(corpus, lines.limit(40).toList(), StandardCharsets.UTF_8);
        }
        return corpus;
    }

    /** The config (output {@code out}, tracking in {@code mlruns}, relative to the config's directory) with this {@code train:} map. */
    static String yaml(String train) {
        return """
                preset: tiny
                output: out
                mlruns: mlruns
                data: {corpus: [petitions40.jsonl], format: "jsonl:content", valid_fraction: 0.1, max_len: 32}
                tokenizer: {vocab_size: 1500, morphemes: nori, limit_alphabet: 500}
                model: {max_position_embeddings: 32}
                """ + "train: " + train + "\n";
    }
}
