package io.github.bert4j.bert.pretraining.shards;

import io.github.bert4j.bert.pretraining.data.TokenizedDocument;
import java.nio.file.Path;
import java.util.List;

/**
 * The contents of one shard file, in memory.
 *
 * @param file where it was read from
 * @param vocabSize the vocabulary size recorded when it was written
 * @param documents the documents, in file order
 */
public record Shard(Path file, int vocabSize, List<TokenizedDocument> documents) {
    public Shard {
        documents = List.copyOf(documents);
    }
}
